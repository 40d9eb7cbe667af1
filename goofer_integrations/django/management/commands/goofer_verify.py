"""``manage.py goofer_verify``: check on a scratch database that each down reverts its up."""

from __future__ import annotations

from goofer_integrations.django.commands import GooferCommand


class Command(GooferCommand):
    """Run ``goofer verify`` on a Django database."""

    goofer_command = "verify"
