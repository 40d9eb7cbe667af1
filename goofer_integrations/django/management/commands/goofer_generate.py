"""``manage.py goofer_generate``: write a migration pair from the registered entities."""

from __future__ import annotations

from goofer_integrations.django.commands import GooferCommand


class Command(GooferCommand):
    """Run ``goofer generate`` on a Django database."""

    goofer_command = "generate"
