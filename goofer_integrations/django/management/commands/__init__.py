"""``manage.py goofer_*``: thin subclasses of ``goofer_integrations.django.commands``."""
