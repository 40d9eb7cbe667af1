"""``manage.py goofer_down``: revert the most recently applied Goofer migrations."""

from __future__ import annotations

from goofer_integrations.django.commands import GooferCommand


class Command(GooferCommand):
    """Run ``goofer down`` on a Django database."""

    goofer_command = "down"
