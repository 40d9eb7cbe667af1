"""``manage.py goofer_check``: exit 1 unless every migration is applied and unchanged."""

from __future__ import annotations

from goofer_integrations.django.commands import GooferCommand


class Command(GooferCommand):
    """Run ``goofer check`` on a Django database."""

    goofer_command = "check"
