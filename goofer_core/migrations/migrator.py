"""The Migrator: apply, revert, list and check migrations on one database.

Imported at every boot: it and the modules it imports use only what the job needs (no
``dataclasses``, ``typing``, ``contextlib``, ``pathlib`` or ``re`` at import time), because a
no-op ``goofer up`` on SQLite is otherwise mostly Python start-up.
"""

from __future__ import annotations

import os

from ..dialects import get_dialect
from ..errors import (
    ConfigurationError,
    GooferError,
    MigrationFileError,
    UnknownMigrationError,
)
from ..url import DatabaseURL
from . import plan as planning
from .files import asks_no_transaction, is_irreversible, load_migrations, refuse_other_dialects
from .layout import folder_for
from .plan import MigrationState
from .session import InSchema, Locked, Session, lock_timeout_problem
from .squashed import fold_rows, refuse_partial, rows_to_delete
from .tracking import RowState, TrackingTable, tracking_table_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Collection
    from pathlib import Path
    from typing import Any

    from ..dialects import Connection, Dialect
    from .events import EventHandler
    from .execute import Executor
    from .faults import Fault
    from .files import MigrationFile
    from .plan import MigrationStatus
    from .split import Statement


def _ignore(event: object) -> None:
    """The default ``on_event``: the engine never prints."""


#: How ``check`` words each state but applied (``failed`` gives the row's own detail).
_CHECK_REASONS = {
    MigrationState.PENDING: "pending",
    MigrationState.MODIFIED: "modified after being applied",
    MigrationState.MISSING: "applied but its files are missing",
}


def _fault_from_env() -> Fault | None:
    """Return the test-only fault configured in the environment; import nothing when unset."""
    if not os.environ.get("GOOFER_TEST_FAULT"):
        return None
    from .faults import Fault

    return Fault.from_env()


def refuse_irreversible(m: MigrationFile, down_text: str) -> None:
    """Raise, before anything runs, when ``m``'s down file says it cannot be reverted."""
    if is_irreversible(down_text):
        raise MigrationFileError(
            m.down_filename,
            "is marked '-- goofer:irreversible': this migration cannot be reverted; write "
            "the SQL that undoes it there (and remove that line) to make it reversible; nothing "
            "was reverted",
        )


class Migrator:
    """Apply and revert the migrations of one directory on one database.

    ``db`` is a URL (``str`` or ``DatabaseURL``) or an open DB-API connection; with a connection,
    ``dialect`` is required and the connection is left open and restored as it was. When
    ``directory`` has a folder per dialect (``migrations/postgresql/`` ...), the folder of this
    database's dialect is the one used (``migrations/layout.py``).
    ``table`` is the tracking table, ``NAME`` (found on the search_path, else in the current
    schema) or ``SCHEMA.NAME`` (PostgreSQL; ``DATABASE.NAME`` on MySQL). ``schema`` makes it a
    tenant's run: the tracking table is ``schema.table`` and the migrations run with ``schema``
    first on the search_path (PostgreSQL) or as the current database (MySQL), so what they
    create lands in the tenant's schema.
    The engine never prints: progress and warnings go to ``on_event``.
    """

    def __init__(
        self,
        db: str | DatabaseURL | Connection,
        dialect: str | None = None,
        directory: str | Path = "migrations",
        *,
        table: str = "migrations",
        schema: str | None = None,
        lock_timeout: float = 60.0,
        connect_timeout: float = 10.0,
        on_event: EventHandler | None = None,
    ) -> None:
        self.url: DatabaseURL | None = None
        self._conn: Connection | None = None
        if isinstance(db, str):
            db = DatabaseURL.parse(db)
        if isinstance(db, DatabaseURL):
            self.url = db
            dialect = dialect or db.dialect
        else:
            self._conn = db
            if dialect is None:
                raise ConfigurationError("dialect: required when Migrator is given a connection")
        self.dialect: Dialect = get_dialect(dialect)
        self.directory = folder_for(directory, self.dialect.name)
        self.table = tracking_table_name(self.dialect, table, schema)
        self.schema = schema
        problem = lock_timeout_problem(lock_timeout)
        if problem:
            raise ConfigurationError(f"lock timeout {lock_timeout}: {problem}")
        self.lock_timeout = lock_timeout
        self.connect_timeout = connect_timeout
        self.on_event = on_event or _ignore
        self._fault = _fault_from_env()

    # -- public API --------------------------------------------------------------------------

    def files(self, read_up: bool = True) -> list[MigrationFile]:
        """Read and validate the migrations directory (no database access).

        ``read_up=False`` validates the names and pairs but leaves each up file unread until used.
        """
        files = load_migrations(self.directory, read_up, self._warn)
        if read_up:
            refuse_other_dialects(files, self.dialect.name, self.directory)
        return files

    def _warn(self, message: str, migration: MigrationFile | None = None) -> None:
        from .events import Event, EventKind  # a boot with nothing to say never needs them

        self.on_event(Event(EventKind.WARNING, message, migration))

    def status(self) -> list[MigrationStatus]:
        """Return every migration on disk or in the table with its state, in id order."""
        files = self.files()
        with self._session() as conn:
            rows = self._tracking(conn).read_if_exists() or {}
        folded = fold_rows(files, rows)
        return planning.compute_status(files, folded.rows, folded.blocked)

    def pending(self) -> list[MigrationFile]:
        """Return what ``up`` would apply now (no lock, nothing written)."""
        files = self.files()
        with self._session() as conn:
            rows = self._tracking(conn).read_if_exists() or {}
        return planning.plan_up(files, refuse_partial(fold_rows(files, rows)))

    def up(self, to: str | None = None) -> list[MigrationFile]:
        """Apply pending migrations in id order (up to ``to``); return those applied."""
        files = self.files()
        if to is not None and to not in {m.id for m in files}:
            raise UnknownMigrationError(f"--to {to}: no migration with that id in the directory")
        with self._session() as conn:
            table = self._tracking(conn)
            # The boot path: when the table exists and nothing is pending, this one query
            # and the file hashes are the whole cost; no lock is taken.
            checksums = table.read_checksums_if_exists()
            if checksums is not None and planning.is_up_to_date(files, checksums, to):
                return []
            with self._locked(conn, table) as token:
                rows = refuse_partial(fold_rows(files, table.read()))
                pending = planning.plan_up(files, rows, to)
                for m in planning.out_of_order(pending, rows):
                    self._warn(
                        f"{m.label} is older than the newest applied migration; applying it "
                        "out of order",
                        m,
                    )
                scripts = [(m, self._up_statements(m)) for m in pending]
                self._refuse_too_big(conn, pending)
                with self._in_schema(conn, bool(scripts)) as schema:
                    transactional = self.dialect.transactional_ddl
                    schema.refuse_outside_transactions(
                        [m.up_filename for m in pending if m.no_transaction or not transactional]
                    )
                    executor = self._executor(conn, table, token, schema.per_transaction)
                    for m, statements in scripts:
                        executor.apply(m, statements)
        return pending

    def down(self) -> MigrationFile | None:
        """Revert the most recently applied migration; return it, or None if none is applied."""
        reverted = self.revert(steps=1)
        return reverted[0] if reverted else None

    def revert(
        self, steps: int = 1, to: str | None = None, everything: bool = False
    ) -> list[MigrationFile]:
        """Revert ``steps`` migrations, or all applied after ``to``, or all; return them."""
        files = self.files(read_up=False)  # a revert reads only the down files it runs
        with self._session() as conn:
            table = self._tracking(conn)
            if not table.read_checksums_if_exists():  # nothing applied: the cheap query says so
                if to is not None:
                    planning.plan_down(files, {}, to=to)  # raises: not applied
                return []
            with self._locked(conn, table) as token:
                stored = table.read()
                if not stored.keys() <= {m.id for m in files}:  # a squashed history, maybe
                    files = [m.read_up() for m in files]
                rows = refuse_partial(fold_rows(files, stored))
                plan = planning.plan_down(files, rows, steps, to, everything)
                downs = [(m, m.read_down()) for m in plan]
                for m, text in downs:
                    refuse_irreversible(m, text)
                scripts = [
                    (m, text, self._split(text, m.down_filename, not asks_no_transaction(text)))
                    for m, text in downs
                ]
                with self._in_schema(conn, bool(scripts)) as schema:
                    transactional = self.dialect.transactional_ddl
                    schema.refuse_outside_transactions(
                        [
                            m.down_filename
                            for m, text, _ in scripts
                            if asks_no_transaction(text) or not transactional
                        ]
                    )
                    executor = self._executor(conn, table, token, schema.per_transaction)
                    for m, text, statements in scripts:
                        no_transaction = asks_no_transaction(text)
                        done = rows[m.id].statements_done
                        also = rows_to_delete(m, stored)
                        executor.revert(m, statements, no_transaction, done, also)
        return plan

    def resolve(self, migration_id: str, applied: bool) -> None:
        """Settle a migration that failed part-way: mark it applied, or forget it (rolled back)."""
        by_id = {m.id: m for m in self.files()}
        with self._session() as conn:
            table = self._tracking(conn)
            with self._locked(conn, table):
                rows = table.read()
                row = rows.get(migration_id)
                if row is None or row.state == RowState.APPLIED:
                    raise GooferError(
                        f"resolve {migration_id}: no migration with that id failed part-way"
                    )
                if applied:
                    table.mark_resolved(by_id.get(migration_id), migration_id)
                else:
                    table.delete(migration_id)
                    squashed = by_id.get(migration_id)  # its down ran: the rows it stood for go
                    for other in rows_to_delete(squashed, rows) if squashed else ():
                        table.delete(other)

    def baseline(
        self,
        to: str | None,
        *,
        only: Collection[str] | None = None,
        failed: str | None = None,
        failed_error: str | None = None,
    ) -> list[MigrationFile]:
        """Record migrations as applied without running them; return those newly recorded.

        Every migration up to ``to`` (or exactly the ids in ``only``) is recorded as ``up``
        would record it, under the run lock, all in one transaction; ``failed`` is recorded as
        failed part-way (with ``failed_error``) for ``resolve``. Refuses, writing nothing, when
        one is already recorded differently; ones recorded identically are skipped.
        """
        from .baseline import record_baseline, refuse_conflicts, select_baseline

        chosen = select_baseline(self.files(), to, only)
        with self._session() as conn:
            table = self._tracking(conn)
            with self._locked(conn, table):
                todo = refuse_conflicts(chosen, table.read(), failed)
                counts = [(m, len(self._up_statements(m))) for m in todo]
                self._refuse_too_big(conn, todo)  # as up would: the row holds the script
                record_baseline(self.dialect, conn, table, counts, failed, failed_error)
        return todo

    def check(self) -> list[str]:
        """Return why the database is not in step with the directory (empty when it is)."""
        return [
            f"{s.id}_{s.name}: {s.detail or _CHECK_REASONS.get(s.state)}"
            for s in self.status()
            if s.state != MigrationState.APPLIED
        ]

    def plan_sql(
        self, down: bool = False, to: str | None = None, steps: int = 1, everything: bool = False
    ) -> list[tuple[Path, str]]:
        """Return (file, SQL text) for what ``up`` (or ``down``) would run; writes nothing."""
        files = self.files()
        with self._session() as conn:
            stored = self._tracking(conn).read_if_exists() or {}
        rows = refuse_partial(fold_rows(files, stored))
        # Each script is split as up and down would split it, so what they refuse, sql refuses.
        if down:
            scripts = []
            for m in planning.plan_down(files, rows, steps, to, everything):
                text = m.read_down()
                refuse_irreversible(m, text)
                self._split(text, m.down_filename, not asks_no_transaction(text))
                scripts.append((m.down_path, text))
            return scripts
        pending = planning.plan_up(files, rows, to)
        for m in pending:
            self._up_statements(m)
        return [(m.up_path, m.up_sql) for m in pending]

    # -- connection and lock -----------------------------------------------------------------

    def session(self) -> Session:
        """Return a context manager giving this Migrator's connection (for reading only)."""
        return self._session()

    def _session(self) -> Session:
        """Return a context manager giving the connection: opened here, or the caller's."""
        return Session(
            self.dialect, self.url or self._conn, self.connect_timeout, self.lock_timeout
        )

    def _in_schema(self, conn: Connection, needed: bool) -> InSchema:
        """Return a context manager running a tenant's migrations in its schema."""
        return InSchema(self.dialect, conn, self.schema if needed else None)

    def _tracking(self, conn: Connection) -> TrackingTable:
        """Return the tracking table on ``conn`` (pinned to its schema when the lock is taken)."""
        return TrackingTable(self.dialect, conn, self.table)

    def _locked(self, conn: Connection, table: TrackingTable) -> Locked:
        """Return a context manager holding the run lock (the tracking table created under it)."""
        return Locked(self.dialect, conn, table, self.lock_timeout, self._fault, self.on_event)

    def _executor(
        self, conn: Connection, table: TrackingTable, token: Any, schema: str | None = None
    ) -> Executor:
        """Return what runs migrations on ``conn`` while the lock (``token``) is held.

        ``schema``: a tenant's, set in each migration's transaction (behind a pooler).
        """
        from .execute import Executor  # a boot with nothing pending never runs a migration

        return Executor(
            self.dialect,
            conn,
            table,
            token,
            lock_timeout=self.lock_timeout,
            secrets=self.url.secrets() if self.url is not None else (),
            fault=self._fault,
            on_event=self.on_event,
            schema=schema,
        )

    # -- statements ----------------------------------------------------------------------------

    def _up_statements(self, m: MigrationFile) -> list[Statement]:
        """Return the up file's statements; refuse a file with none (an unedited --empty)."""
        from .split import up_statements  # a boot with nothing pending never splits anything

        return up_statements(m, self.dialect)

    def _refuse_too_big(self, conn: Connection, pending: list[MigrationFile]) -> None:
        """Raise, before anything runs, when the largest up file cannot be recorded."""
        if not pending:
            return
        sizes = {m.up_filename: len(m.up_sql.encode("utf-8")) for m in pending}
        biggest = max(sizes, key=sizes.__getitem__)
        problem = self.dialect.script_size_problem(conn, sizes[biggest])
        if problem:
            raise MigrationFileError(biggest, problem)

    def _split(self, text: str, filename: str, in_transaction: bool) -> list[Statement]:
        """Return the file's statements; refuse transaction control where Goofer holds one."""
        from .split import migration_statements

        return migration_statements(text, filename, self.dialect, in_transaction)
