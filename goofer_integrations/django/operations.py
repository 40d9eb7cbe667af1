"""A Django migration can require Goofer migrations: ``ApplyGooferMigrations(to=ID)``.

Put it first in the ``operations`` of the Django migration that needs Goofer's tables (a
foreign key to a table a Goofer migration creates)::

    from goofer_integrations.django.operations import ApplyGooferMigrations

    class Migration(migrations.Migration):
        dependencies = [("catalog", "0001_initial")]
        operations = [
            ApplyGooferMigrations(to="20250101000000"),
            migrations.CreateModel("Refund", ...),  # ForeignKey("billing.Invoice")
        ]

``manage.py migrate`` (and test database creation) applies Goofer's migrations up to that id
before the Django migration starts (``interleave.py``), outside its transaction. Run by any
other means, the operation applies them itself where it can (no transaction open: MySQL, or a
migration with ``atomic = False``), and otherwise fails naming the way out. Migrating backwards
past it leaves Goofer's migrations applied (``goofer_down`` reverts them).
"""

from __future__ import annotations

from typing import Any

from django.db.migrations.operations.base import Operation

from goofer_core.errors import GooferError

from .conf import load_settings
from .routing import goofer_allowed


class ApplyGooferMigrations(Operation):  # type: ignore[misc,unused-ignore]  # without django-stubs
    """Make sure Goofer's migrations up to ``to`` are applied before the next operations."""

    reversible = True
    reduces_to_sql = False

    def __init__(self, to: str) -> None:
        self.to = str(to)

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        """Return how makemigrations/squashmigrations write this operation."""
        return (self.__class__.__qualname__, [], {"to": self.to})

    def state_forwards(self, app_label: str, state: Any) -> None:
        """Change no model state: Goofer's tables are not Django models."""

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        """Apply Goofer's migrations up to ``to`` unless ``migrate`` already has."""
        from django.db import router

        from .interleave import apply_up_to

        alias = schema_editor.connection.alias
        conf = load_settings()
        if not router.allow_migrate(alias, app_label):
            return  # as Django's operations do: this app is not migrated here
        if alias not in conf.goofer_databases or not goofer_allowed(alias):
            return
        if schema_editor.connection.in_atomic_block:
            if not applied(alias, self.to):
                raise GooferError(
                    f"{app_label}: ApplyGooferMigrations(to={self.to!r}) runs inside the "
                    "migration's transaction, where Goofer cannot apply migrations; run it "
                    "with 'python manage.py migrate' or set atomic = False on the migration"
                )
            return
        apply_up_to(alias, self.to)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        """Leave Goofer's migrations applied (``goofer_down`` reverts them)."""

    def describe(self) -> str:
        """Return the line ``sqlmigrate`` and ``makemigrations`` show for this operation."""
        return f"Apply Goofer migrations up to {self.to}"


def applied(alias: str, migration_id: str) -> bool:
    """Return whether the Goofer migration ``migration_id`` is recorded on ``alias``.

    Read with Django's cursor, so it works inside the migration's transaction.
    """
    from django.db import connections

    from .runs import run_settings

    table = run_settings(alias, source=f"database {alias!r}").settings.table
    wrapper = connections[alias]
    if table not in wrapper.introspection.table_names():
        return False
    with wrapper.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {wrapper.ops.quote_name(table)} WHERE id = %s", [migration_id]
        )
        return cursor.fetchone() is not None
