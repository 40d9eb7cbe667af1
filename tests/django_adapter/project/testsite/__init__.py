"""A Django project for Goofer's adapter tests."""
