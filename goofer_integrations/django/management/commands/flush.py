"""``manage.py flush`` (and every ``TransactionTestCase`` teardown): Goofer's tables too."""

from __future__ import annotations

from typing import Any

from django.core.management import CommandError
from django.core.management.commands import flush

from goofer_core.errors import GooferError
from goofer_integrations.django.flushing import flushing_goofer_tables


class Command(flush.Command):  # type: ignore[misc,unused-ignore]  # without django-stubs
    """Django's flush, which also empties Goofer's tables and restores the rows they seed."""

    help = (
        flush.Command.help + " Goofer's tables are emptied too (its tracking table is kept), "
        "and the rows its migrations seeded in a test database are put back."
    )

    def handle(self, **options: Any) -> None:
        """Flush as Django does, with Goofer's tables in the list (see ``flushing.py``)."""
        try:
            with flushing_goofer_tables(options["database"]):
                super().handle(**options)
        except GooferError as exc:
            raise CommandError(str(exc)) from None
