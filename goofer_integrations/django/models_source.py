"""Django models as Goofer's entities: ``GOOFER["MODELS"] = ["billing", "shop.Product"]``.

Django's own schema editor writes the models' tables: it runs in ``collect_sql`` mode on the
project's connection (so the columns get exactly the types, defaults and constraints Django
would give them on that backend: ``DEFAULT_AUTO_FIELD``, ``db_default``, ``Meta.indexes`` ...),
and the SQL it collects is run in Goofer's empty scratch database, which Goofer then reads
back (see ``goofer_core.generate.models``). Nothing is run on the project's database; on
PostgreSQL and MySQL Django may connect to it to learn the server's version.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

from goofer_core.errors import ConfigurationError
from goofer_core.generate.models import ModelDefinitionError

from .conf import setting_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from goofer_core.dialects import Connection, Dialect

    from .base_schema import DjangoMigrationsBase


def models_setting(
    specs: Sequence[str], alias: str, base: DjangoMigrationsBase | None = None
) -> list[DjangoModels]:
    """Return the source of the models ``GOOFER["MODELS"]`` names, or none when it is empty.

    The names are looked up when generate or check first reads the models, so a wrong name
    cannot stop ``apply()`` at start-up or the test databases' migrations.
    """
    return [DjangoModels(specs, alias, base)] if specs else []


def resolve_models(specs: Sequence[str]) -> list[Any]:
    """Return the models ``specs`` name (app labels or ``app_label.Model``), or raise naming one."""
    from django.apps import apps

    chosen: list[Any] = []
    for spec in specs:
        label, _, name = spec.partition(".")
        try:
            config = apps.get_app_config(label)
        except LookupError:
            raise ConfigurationError(
                f"{setting_name('MODELS')}: {spec!r}: no installed app with the label {label!r}"
            ) from None
        if name:
            try:
                found = [config.get_model(name)]
            except LookupError:
                raise ConfigurationError(
                    f"{setting_name('MODELS')}: {spec!r}: app {label!r} has no model {name!r}"
                ) from None
        else:
            found = list(config.get_models())
        chosen += [m for m in found if m not in chosen and _has_table(m)]
    if not chosen:
        # Generating from no tables would drop every table the migrations made.
        raise ConfigurationError(
            f"{setting_name('MODELS')}: {', '.join(specs)}: no models with tables of their own"
        )
    return chosen


def _has_table(model: Any) -> bool:
    meta = model._meta
    return not (meta.proxy or meta.swapped or meta.auto_created)


class DjangoModels:
    """The tables of chosen Django models, and their many-to-many tables."""

    def __init__(
        self, specs: Sequence[str], alias: str, base: DjangoMigrationsBase | None = None
    ) -> None:
        self.specs = tuple(specs)
        self.label = f"Django models {', '.join(specs)}"
        self.alias = alias
        #: The tables of Django's migrations, which the models' foreign keys may point at.
        self.base = base

    @cached_property
    def models(self) -> list[Any]:
        """Return the models the settings name."""
        return resolve_models(self.specs)

    def _all_models(self) -> list[Any]:
        """Return the models and the auto-created through models of their many-to-manys."""
        found = list(self.models)
        for model in self.models:
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                if through._meta.auto_created and through not in found:
                    found.append(through)
        return found

    def table_names(self) -> list[str]:
        """Return the names of the tables it declares."""
        return [model._meta.db_table for model in self._all_models()]

    def _fail(self, model: Any, column: str | None, problem: str) -> ModelDefinitionError:
        table = f"{model._meta.db_table} ({model._meta.label})"
        return ModelDefinitionError(self.label, table, column, problem)

    def check(self, dialect: Dialect) -> None:
        """Raise ModelDefinitionError for what Goofer's schema model cannot hold."""
        from django.db import models

        mine = set(self._all_models())
        for model in self._all_models():
            for field in model._meta.local_fields:
                generated: Any = getattr(models, "GeneratedField", ())  # Django 5.0+
                if isinstance(field, generated):
                    raise self._fail(
                        model,
                        field.column,
                        "a GeneratedField cannot be generated; write it in a migration by hand",
                    )
                related = field.related_model if field.is_relation else None
                if (
                    related is not None
                    and field.db_constraint
                    and related not in mine
                    and not self._in_base(related)
                ):
                    raise self._fail(
                        model,
                        field.column,
                        f"its foreign key points at {related._meta.label}, which is neither in "
                        f"{setting_name('MODELS')} nor made by Django's migrations",
                    )
            for index in model._meta.indexes:
                descending = [f for f in index.fields if f.startswith("-")]
                if descending:
                    raise self._fail(
                        model,
                        None,
                        f"index {index.name}: a descending field ({descending[0]}) cannot be "
                        "generated; write the index in a migration by hand",
                    )
                if index.expressions or index.condition or index.include:
                    raise self._fail(
                        model,
                        None,
                        f"index {index.name}: an index on an expression, with a condition or "
                        "INCLUDE cannot be generated; write it in a migration by hand",
                    )
            for constraint in model._meta.constraints:
                self._check_constraint(model, constraint)

    def _in_base(self, model: Any) -> bool:
        return self.base is not None and model._meta.label_lower in self.base.model_labels

    def _check_constraint(self, model: Any, constraint: Any) -> None:
        from django.db import models

        name = getattr(constraint, "name", "")
        if isinstance(constraint, models.CheckConstraint):
            return
        if not isinstance(constraint, models.UniqueConstraint):
            raise self._fail(
                model, None, f"constraint {name}: a {type(constraint).__name__} cannot be generated"
            )
        extras = ("condition", "expressions", "include", "deferrable", "nulls_distinct")
        if any(getattr(constraint, extra, None) for extra in extras):
            raise self._fail(
                model,
                None,
                f"constraint {name}: a UniqueConstraint with a condition, expressions, INCLUDE, "
                "deferrable or nulls_distinct cannot be generated",
            )

    def create_tables(self, conn: Connection, dialect: Dialect) -> None:
        """Run the SQL Django's schema editor writes for the models, on ``conn``."""
        from django.db import connections

        wrapper = connections[self.alias]
        check_vendor(wrapper, self.alias, dialect, setting_name("MODELS"))
        # Django writes no indexes for a ``managed = False`` model, and Goofer's models are
        # usually marked so (Django's migrate must leave them alone): present them as managed
        # while the schema editor writes their tables.
        unmanaged = [m for m in self._all_models() if not m._meta.managed]
        for model in unmanaged:
            model._meta.managed = True
        try:
            statements = create_sql(wrapper, self.models)
        finally:
            for model in unmanaged:
                model._meta.managed = False
        problem = run_sql(conn, dialect, statements)
        if problem:
            raise ModelDefinitionError(
                self.label,
                "",
                None,
                f"creating its tables in the scratch database failed: {problem}",
            )


def check_vendor(wrapper: Any, alias: str, dialect: Dialect, setting: str) -> None:
    """Raise unless Django's database ``alias`` is of the migrations' dialect."""
    from .database import dialect_of

    if dialect_of(wrapper) != dialect.name:
        raise ConfigurationError(
            f"{setting}: Django writes the tables for settings.DATABASES[{alias!r}] "
            f"({wrapper.vendor}), but the migrations are for {dialect.name}: run with "
            "--database set to an alias of that database"
        )


def create_sql(wrapper: Any, models: Sequence[Any]) -> list[str]:
    """Return the statements Django's schema editor writes to create ``models``' tables."""
    with wrapper.schema_editor(collect_sql=True, atomic=False) as editor:
        for model in models:
            editor.create_model(model)  # with its auto-created many-to-many tables
    return [sql.strip().rstrip(";") for sql in editor.collected_sql if sql.strip().rstrip(";")]


def run_sql(conn: Connection, dialect: Dialect, statements: Sequence[str]) -> str | None:
    """Run ``statements`` on ``conn``; return what failed and why, or None."""
    cursor = conn.cursor()
    for statement in statements:
        try:
            cursor.execute(statement)
        except dialect.driver_errors() as exc:
            return f"{dialect.describe_error(exc)} (in: {statement[:200]})"
    return None
