"""ASGI entry point: boot Django, then bring the database up to date with Goofer."""

import os

from django.core.asgi import get_asgi_application

from goofer_integrations.django import apply

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()

apply()  # also fine inside an ASGI server's event loop
