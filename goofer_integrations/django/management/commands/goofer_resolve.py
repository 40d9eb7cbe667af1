"""``manage.py goofer_resolve``: settle a migration that failed part-way."""

from __future__ import annotations

from goofer_integrations.django.commands import GooferCommand


class Command(GooferCommand):
    """Run ``goofer resolve`` on a Django database."""

    goofer_command = "resolve"
