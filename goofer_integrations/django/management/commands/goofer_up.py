"""``manage.py goofer_up``: apply pending Goofer migrations."""

from __future__ import annotations

from goofer_integrations.django.commands import GooferCommand


class Command(GooferCommand):
    """Run ``goofer up`` on a Django database."""

    goofer_command = "up"
