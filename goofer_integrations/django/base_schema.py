"""The tables Django's own migrations make: what Goofer's migrations stand on in a Django project.

A Goofer migration (or a model in ``GOOFER["MODELS"]``) may point a foreign key at a table of an
app that Django migrates, ``catalog_product`` say. ``goofer_generate``, ``goofer_check`` and
``goofer_verify`` replay Goofer's migrations into an empty scratch database, so that table has to
be built there first (see ``goofer_core/migrations/base.py``).

It is built from the state Django's migration files reach (``MigrationLoader.project_state()``,
the same state ``makemigrations`` diffs against), by the schema editor, as ``migrate`` would
create those models: no database is read, and no Django migration is run. What the state does
not hold is not built: ``RunSQL`` and ``RunPython`` operations. The apps and models
``GOOFER["MODELS"]`` names are Goofer's, never part of the base.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

from goofer_core.errors import GooferError

from .conf import setting_name
from .models_source import check_vendor, create_sql, run_sql

TYPE_CHECKING = False
if TYPE_CHECKING:
    from goofer_core.dialects import Connection, Dialect


class DjangoMigrationsBase:
    """The models of Django's migrated apps, as their migration files leave them."""

    label = "schema of Django's migrations"

    def __init__(self, alias: str, goofer_models: Sequence[str] = ()) -> None:
        self.alias = alias
        self.goofer_models = tuple(goofer_models)
        self._sql: list[str] | None = None

    def _is_goofers(self, model: Any) -> bool:
        meta = model._meta
        return any(
            spec.lower() in (meta.app_label.lower(), meta.label_lower)
            for spec in self.goofer_models
        )

    @cached_property
    def models(self) -> list[Any]:
        """Return the historical models whose tables Django's migrations create."""
        from django.db.migrations.loader import MigrationLoader

        state = MigrationLoader(None, ignore_no_migrations=True).project_state()
        return [
            model
            for model in state.apps.get_models()
            if model._meta.managed and not model._meta.proxy and not self._is_goofers(model)
        ]

    @cached_property
    def model_labels(self) -> frozenset[str]:
        """Return ``app_label.modelname`` of each model (and many-to-many table) it creates."""
        labels = {model._meta.label_lower for model in self.models}
        for model in self.models:
            for field in model._meta.local_many_to_many:
                labels.add(field.remote_field.through._meta.label_lower)
        return frozenset(labels)

    def prepare(self) -> None:
        """Write the SQL, with the schema editor of this thread's Django connection."""
        from django.db import connections

        if self._sql is None:
            self._sql = create_sql(connections[self.alias], self.models)

    def create(self, conn: Connection, dialect: Dialect) -> None:
        """Create the tables of Django's migrations on the scratch connection ``conn``."""
        from django.db import connections

        check_vendor(connections[self.alias], self.alias, dialect, "Django's migrations")
        self.prepare()
        assert self._sql is not None
        problem = run_sql(conn, dialect, self._sql)
        if problem:
            raise GooferError(
                f"the {self.label} could not be built in the scratch database "
                f"(see {setting_name('MODELS')}): {problem}"
            )
