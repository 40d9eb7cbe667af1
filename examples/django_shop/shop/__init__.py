"""The shop app: Django models over tables that Goofer's SQL migrations create."""
