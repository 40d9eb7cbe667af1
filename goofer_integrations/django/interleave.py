"""One order for both histories: ``manage.py migrate`` applies Goofer's migrations too.

Django's ``migrate`` reports each migration to a progress callback before its transaction opens
and after it commits. At each of those points this applies every pending Goofer migration
whose ``-- requires:`` Django migrations are applied (in id order, stopping at the first that
must wait), and before a Django migration with ``ApplyGooferMigrations(to=ID)`` it makes sure
Goofer's migrations up to ID are in (or says which requirement stops them). The same runs when
Django creates a test database, because that calls ``migrate``. ``--plan`` lists Goofer's
pending migrations after Django's plan and ``--check`` counts them; ``--prune`` and ``--fake``
leave Goofer alone.
"""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path
from typing import Any

from goofer_core.errors import GooferError
from goofer_core.migrations.events import Event
from goofer_core.migrations.files import MigrationFile

from .conf import load_settings
from .requires import DjangoHistory, DjangoMigrator
from .routing import goofer_allowed
from .runs import Target, run_settings

#: True while this app's ``migrate`` applies Goofer's migrations itself (so the test database
#: hook in ``testdb.py`` stands aside).
interleaving: ContextVar[bool] = ContextVar("goofer_interleaving", default=False)


class Interleaver:
    """Apply one alias's Goofer migrations as Django's migrations make them possible."""

    def __init__(self, target: Target, report: Any = None) -> None:
        assert target.alias is not None
        self.alias = target.alias
        self.migrator = target.settings.migrator(report)
        if isinstance(self.migrator, DjangoMigrator):
            self.migrator.check_requirements = False  # checked here, migration by migration
        self.ids = {m.id for m in self.migrator.files()}
        self._pending: list[MigrationFile] | None = None
        self._history: DjangoHistory | None = None

    @property
    def pending(self) -> list[MigrationFile]:
        """Return Goofer's pending migrations (read once, then kept up to date)."""
        if self._pending is None:
            self._pending = self.migrator.pending()
        return self._pending

    @property
    def history(self) -> DjangoHistory:
        """Return Django's migrations on this database (read when first needed)."""
        if self._history is None:
            self._history = DjangoHistory(self.alias)
        return self._history

    def advance(self) -> MigrationFile | None:
        """Apply the pending migrations whose requirements are met; return the first waiting."""
        if not self.pending:
            return None
        ready = 0
        for migration in self.pending:
            if self.history.missing(migration) is not None:
                break
            ready += 1
        if ready:
            self.migrator.up(to=self.pending[ready - 1].id)
            del self.pending[:ready]
        return self.pending[0] if self.pending else None

    def require(self, migration_id: str, needed_by: str) -> None:
        """Apply Goofer's migrations up to ``migration_id``, or say what stops them."""
        if migration_id not in self.ids:
            raise GooferError(
                f"{needed_by}: ApplyGooferMigrations(to={migration_id!r}): no Goofer migration "
                f"with that id in {self.migrator.directory}"
            )
        waiting = self.advance()
        if waiting is not None and waiting.id <= migration_id:
            required = self.history.missing(waiting)
            raise GooferError(
                f"{needed_by} needs Goofer migration {migration_id}, but "
                f"{waiting.up_filename} requires Django migration {required}, which is not "
                "applied yet: the two histories require each other in a cycle"
            )

    def before(self, migration: Any) -> None:
        """Run before Django applies ``migration``: what it needs of Goofer goes first.

        Like Django's own operations, ``ApplyGooferMigrations`` counts only on a database where
        the routers allow the migration's app.
        """
        from django.db import router

        from .operations import ApplyGooferMigrations

        self.advance()
        if not router.allow_migrate(self.alias, migration.app_label):
            return
        for operation in migration.operations:
            if isinstance(operation, ApplyGooferMigrations):
                self.require(operation.to, f"{migration.app_label}.{migration.name}")

    def after(self, migration: Any) -> None:
        """Run after Django applied ``migration``: what waited for it goes now."""
        if self.pending:
            self.history.record(migration)
            self.advance()


def interleaver_for(alias: str, report: Any) -> Interleaver | None:
    """Return the Interleaver for ``migrate --database alias``, or None when Goofer stays out.

    Goofer migrates an alias in ``GOOFER['DATABASE']`` or ``GOOFER['MIGRATIONS_DIRS']``
    (``GOOFER['MIGRATE']`` True), a test database listed by ``APPLY_TO_TEST_DATABASES``, and
    only where the database routers allow it and its migrations directory exists.
    """
    from .testdb import creating_test_database

    conf = load_settings()
    if creating_test_database():
        wanted = alias in conf.test_databases
    else:
        wanted = conf.migrate and alias in conf.goofer_databases
    if not wanted or not goofer_allowed(alias):
        return None
    target = run_settings(alias, source=f"migrate --database {alias}", conf=conf)
    if not Path(target.settings.directory).is_dir():
        return None  # no Goofer migrations yet (goofer_generate makes the directory)
    return Interleaver(target, report)


def apply_up_to(alias: str, migration_id: str) -> None:
    """Apply Goofer's migrations up to ``migration_id`` on ``alias`` (outside ``migrate``)."""
    from .boot import logger

    def report(event: Event) -> None:
        logger.info("%s", event.message)

    target = run_settings(alias, source="ApplyGooferMigrations", conf=load_settings())
    Interleaver(target, report).require(migration_id, "ApplyGooferMigrations")


def report_to(stdout: Any, verbosity: int, alias: str) -> Any:
    """Return an event handler printing ``  Goofer: ...`` lines as migrate prints its own."""
    from .boot import logger

    def report(event: Event) -> None:
        logger.debug("database %r: %s", alias, event.message)
        if verbosity >= 1:
            line = f"warning: {event.message}" if event.kind == "warning" else event.line()
            stdout.write(f"  Goofer: {line}\n")

    return report
