"""Management commands of the Goofer Django app."""
