"""WSGI entry point: boot Django, then bring the database up to date with Goofer."""

import os

from django.core.wsgi import get_wsgi_application

from goofer_integrations.django import apply

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Safe with any number of workers: one applies each migration, the others wait for the lock and
# find nothing to do. A failure raises GooferError, so a broken deploy does not start serving.
apply()
