"""``manage.py goofer_import``: write a Goofer copy of golang-migrate's or dbmate's migrations."""

from __future__ import annotations

from goofer_integrations.django.commands import GooferCommand


class Command(GooferCommand):
    """Run ``goofer import`` on a Django database."""

    goofer_command = "import"
