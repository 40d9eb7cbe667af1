"""``manage.py goofer_sql``: print the SQL that goofer_up (or goofer_down) would run."""

from __future__ import annotations

from goofer_integrations.django.commands import GooferCommand


class Command(GooferCommand):
    """Run ``goofer sql`` on a Django database."""

    goofer_command = "sql"
