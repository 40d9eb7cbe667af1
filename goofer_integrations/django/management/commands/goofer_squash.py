"""``manage.py goofer_squash``: replace the migrations up to --to ID by one."""

from __future__ import annotations

from goofer_integrations.django.commands import GooferCommand


class Command(GooferCommand):
    """Run ``goofer squash`` on a Django database."""

    goofer_command = "squash"
