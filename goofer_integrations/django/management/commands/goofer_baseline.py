"""``manage.py goofer_baseline``: record migrations as applied without running them."""

from __future__ import annotations

from goofer_integrations.django.commands import GooferCommand


class Command(GooferCommand):
    """Run ``goofer baseline`` on a Django database."""

    goofer_command = "baseline"
