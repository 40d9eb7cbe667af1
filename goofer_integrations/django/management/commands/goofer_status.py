"""``manage.py goofer_status``: list every Goofer migration with its state."""

from __future__ import annotations

from goofer_integrations.django.commands import GooferCommand


class Command(GooferCommand):
    """Run ``goofer status`` on a Django database."""

    goofer_command = "status"
