"""The django_shop example project: Django plus Goofer-managed SQL migrations."""
