"""A Goofer migration can require Django migrations: ``-- requires: catalog 0002_product``.

The header is a comment among the lines that open the up file (before its first statement),
one or more per file, each naming one or more Django migrations as ``app_label name``
(``app_label.name`` works too), separated by commas::

    -- requires: catalog 0002_product
    -- requires: auth 0012_alter_user_first_name_max_length, catalog 0003_refund

``manage.py migrate`` applies such a migration once those are applied (see ``interleave.py``);
``goofer_up`` and ``apply()`` refuse, naming the first one missing, rather than fail on a table
that is not there yet. An app without Django migrations (its tables made by ``--run-syncdb``,
or a test database with ``"MIGRATE": False``) counts as migrated.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from goofer_core.errors import GooferError, MigrationFileError
from goofer_core.migrations.files import MigrationFile
from goofer_core.migrations.migrator import Migrator

_HEADER = re.compile(r"--\s*requires\s*:(.*)", re.IGNORECASE)
_NAME = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:\s+|\.)([A-Za-z0-9_]+)$")


class DjangoMigration(NamedTuple):
    """A Django migration a Goofer migration requires."""

    app_label: str
    name: str

    def __str__(self) -> str:
        return f"{self.app_label}.{self.name}"


def requirements(migration: MigrationFile) -> list[DjangoMigration]:
    """Return the Django migrations that the header of ``migration``'s up file requires."""
    found: list[DjangoMigration] = []
    for number, line in enumerate(migration.up_sql.split("\n"), start=1):
        line = line.strip()
        if not line:
            continue
        if not line.startswith("--"):
            break
        header = _HEADER.fullmatch(line)
        if header is None:
            continue
        for part in header.group(1).split(","):
            name = _NAME.match(part.strip())
            if name is None:
                raise MigrationFileError(
                    migration.up_filename,
                    f"line {number}: '-- requires:' expects 'app_label migration_name' "
                    f"(e.g. 'catalog 0002_product'), got {part.strip()!r}",
                )
            found.append(DjangoMigration(name.group(1), name.group(2)))
    return found


class DjangoHistory:
    """The Django migrations of one database: which exist, and which are applied."""

    def __init__(self, alias: str) -> None:
        from django.db import connections
        from django.db.migrations.loader import MigrationLoader

        loader = MigrationLoader(connections[alias], ignore_no_migrations=True)
        self.alias = alias
        self.unmigrated = set(loader.unmigrated_apps)
        self.known = set(loader.disk_migrations)
        self.applied = set(loader.applied_migrations)

    def record(self, migration: Any) -> None:
        """Note that Django just applied ``migration`` (and the ones it replaces)."""
        self.applied.add((migration.app_label, migration.name))
        self.applied.update(tuple(replaced) for replaced in migration.replaces)

    def missing(self, migration: MigrationFile) -> DjangoMigration | None:
        """Return the first Django migration ``migration`` requires that is not applied."""
        for required in requirements(migration):
            if required.app_label in self.unmigrated or tuple(required) in self.applied:
                continue
            if tuple(required) not in self.known:
                raise MigrationFileError(
                    migration.up_filename,
                    f"requires {required}, which is not a Django migration of this project",
                )
            return required
        return None


def refuse_unmet(alias: str, pending: list[MigrationFile]) -> None:
    """Raise when a pending migration requires a Django migration not applied to ``alias``."""
    if not any(requirements(m) for m in pending):
        return
    history = DjangoHistory(alias)
    for migration in pending:
        required = history.missing(migration)
        if required is not None:
            raise GooferError(
                f"{migration.up_filename}: requires Django migration {required}, which is not "
                f"applied to database {alias!r}; run 'python manage.py migrate', which applies "
                "both histories in order"
            )


class DjangoMigrator(Migrator):
    """A Migrator on a Django database: ``up`` first checks the ``-- requires:`` headers."""

    #: The DATABASES alias; ``check_requirements`` False: the caller has checked them.
    django_alias: str = ""
    check_requirements: bool = True
    _files: list[MigrationFile] | None = None

    def up(self, to: str | None = None) -> list[MigrationFile]:
        """Refuse (naming the Django migration) when a requirement is missing, else apply.

        The directory is read once for both (a boot with nothing to do pays no second read).
        """
        if not self.check_requirements:
            return super().up(to)
        self._files = self.files()
        try:
            if any(requirements(m) for m in self._files):
                pending = [m for m in self.pending() if to is None or m.id <= to]
                refuse_unmet(self.django_alias, pending)
            return super().up(to)
        finally:
            self._files = None

    def files(self, read_up: bool = True) -> list[MigrationFile]:
        """Return the directory's migrations (as read by the ``up`` in progress, if any)."""
        if self._files is not None:
            return self._files
        return super().files(read_up)
