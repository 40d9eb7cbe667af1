"""The Migrator: apply, revert, list and check migrations on one database.

Imported at every boot: it and the modules it imports use only what the job needs (no
``dataclasses``, ``typing``, ``contextlib``, ``pathlib`` or ``re`` at import time), because a
no-op ``goofer up`` on SQLite is otherwise mostly Python start-up.
"""

from __future__ import annotations

import os
import time

from ..dialects import get_dialect
from ..dialects.base import check_table_name
from ..errors import ConfigurationError, GooferError, MigrationFailedError, UnknownMigrationError
from ..redaction import redact
from ..url import DatabaseURL
from . import plan as planning
from .events import Event, EventKind, ignore
from .files import asks_no_transaction, load_migrations
from .plan import MigrationState
from .session import Locked, Session
from .tracking import RowState, TrackingTable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path
    from typing import Any

    from ..dialects import Connection, Dialect
    from .events import EventHandler
    from .faults import Fault
    from .files import MigrationFile
    from .plan import MigrationStatus
    from .split import Statement


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


class Migrator:
    """Apply and revert the migrations of one directory on one database.

    ``db`` is a URL (``str`` or ``DatabaseURL``) or an open DB-API connection; with a connection,
    ``dialect`` is required and the connection is left open and restored as it was.
    The engine never prints: progress and warnings go to ``on_event``.
    """

    def __init__(
        self,
        db: str | DatabaseURL | Connection,
        dialect: str | None = None,
        directory: str | Path = "migrations",
        *,
        table: str = "migrations",
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
        self.directory = os.fspath(directory)
        self.table = check_table_name(table)
        if lock_timeout < 0:
            raise ConfigurationError(f"lock timeout {lock_timeout}: must be 0 or more seconds")
        self.lock_timeout = lock_timeout
        self.connect_timeout = connect_timeout
        self.on_event = on_event or ignore
        self._fault = _fault_from_env()

    # -- public API --------------------------------------------------------------------------

    def files(self, read_up: bool = True) -> list[MigrationFile]:
        """Read and validate the migrations directory (no database access).

        ``read_up=False`` validates the names and pairs but leaves each up file unread until used.
        """
        return load_migrations(self.directory, read_up)

    def status(self) -> list[MigrationStatus]:
        """Return every migration on disk or in the table with its state, in id order."""
        files = self.files()
        with self._session() as conn:
            rows = TrackingTable(self.dialect, conn, self.table).read_if_exists() or {}
        return planning.compute_status(files, rows)

    def pending(self) -> list[MigrationFile]:
        """Return what ``up`` would apply now (no lock, nothing written)."""
        files = self.files()
        with self._session() as conn:
            rows = TrackingTable(self.dialect, conn, self.table).read_if_exists() or {}
        return planning.plan_up(files, rows)

    def up(self, to: str | None = None) -> list[MigrationFile]:
        """Apply pending migrations in id order (up to ``to``); return those applied."""
        files = self.files()
        if to is not None and to not in {m.id for m in files}:
            raise UnknownMigrationError(f"--to {to}: no migration with that id in the directory")
        with self._session() as conn:
            table = TrackingTable(self.dialect, conn, self.table)
            # The boot path: when the table exists and nothing is pending, this one query
            # and the file hashes are the whole cost; no lock is taken.
            checksums = table.read_checksums_if_exists()
            if checksums is not None and planning.is_up_to_date(files, checksums, to):
                return []
            with self._locked(conn, table) as token:
                rows = table.read()
                pending = planning.plan_up(files, rows, to)
                for m in planning.out_of_order(pending, rows):
                    self.on_event(
                        Event(
                            EventKind.WARNING,
                            f"{m.label} is older than the newest "
                            "applied migration; applying it out of order",
                            m,
                        )
                    )
                scripts = [(m, self._split(m.up_sql, m.up_filename)) for m in pending]
                for m, statements in scripts:
                    self._apply(conn, table, token, m, statements)
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
            table = TrackingTable(self.dialect, conn, self.table)
            if not table.read_if_exists():
                if to is not None:
                    planning.plan_down(files, {}, to=to)  # raises: not applied
                return []
            with self._locked(conn, table) as token:
                plan = planning.plan_down(files, table.read(), steps, to, everything)
                downs = [(m, m.read_down()) for m in plan]
                scripts = [(m, text, self._split(text, m.down_filename)) for m, text in downs]
                for m, text, statements in scripts:
                    self._revert(conn, table, token, m, statements, asks_no_transaction(text))
        return plan

    def resolve(self, migration_id: str, applied: bool) -> None:
        """Settle a migration that failed part-way: mark it applied, or forget it (rolled back)."""
        by_id = {m.id: m for m in self.files()}
        with self._session() as conn:
            table = TrackingTable(self.dialect, conn, self.table)
            with self._locked(conn, table):
                row = table.read().get(migration_id)
                if row is None or row.state == RowState.APPLIED:
                    raise GooferError(
                        f"resolve {migration_id}: no migration with that id failed part-way"
                    )
                if applied:
                    table.mark_resolved(by_id.get(migration_id), migration_id)
                else:
                    table.delete(migration_id)

    def check(self) -> list[str]:
        """Return why the database is not in step with the directory (empty when it is)."""
        return [
            f"{s.id}_{s.name}: {_CHECK_REASONS.get(s.state) or s.detail}"
            for s in self.status()
            if s.state != MigrationState.APPLIED
        ]

    def plan_sql(
        self, down: bool = False, to: str | None = None, steps: int = 1, everything: bool = False
    ) -> list[tuple[Path, str]]:
        """Return (file, SQL text) for what ``up`` (or ``down``) would run; writes nothing."""
        files = self.files()
        with self._session() as conn:
            rows = TrackingTable(self.dialect, conn, self.table).read_if_exists() or {}
        if down:
            return [
                (m.down_path, m.read_down())
                for m in planning.plan_down(files, rows, steps, to, everything)
            ]
        return [(m.up_path, m.up_sql) for m in planning.plan_up(files, rows, to)]

    # -- connection and lock -----------------------------------------------------------------

    def _session(self) -> Session:
        """Return a context manager giving the connection: opened here, or the caller's."""
        return Session(
            self.dialect, self.url or self._conn, self.connect_timeout, self.lock_timeout
        )

    def _locked(self, conn: Connection, table: TrackingTable) -> Locked:
        """Return a context manager holding the run lock (the tracking table created under it)."""
        return Locked(self.dialect, conn, table, self.lock_timeout, self._fault)

    # -- running one migration ---------------------------------------------------------------

    def _split(self, text: str, filename: str) -> list[Statement]:
        # Imported here: a boot with nothing pending never splits anything.
        from .split import split_statements

        try:
            return split_statements(text, self.dialect)
        except GooferError as exc:
            raise GooferError(f"{filename}: {exc}") from None

    def _apply(
        self,
        conn: Connection,
        table: TrackingTable,
        token: Any,
        m: MigrationFile,
        statements: list[Statement],
    ) -> None:
        start = time.perf_counter()
        if self.dialect.transactional_ddl and not m.no_transaction:
            self._run_in_transaction(
                conn,
                statements,
                m.up_filename,
                m.id,
                record=lambda: table.insert(m, RowState.APPLIED, len(statements)),
            )
        else:
            table.insert(m, RowState.RUNNING, 0)
            self._run_recorded(conn, table, token, m.id, statements, m.up_filename)
            if self._fault:
                self._fault.reach("before-commit", m.id)
            table.set_state(m.id, RowState.APPLIED, len(statements))
        if self._fault:
            self._fault.reach("after-commit", m.id)
        elapsed = time.perf_counter() - start
        self.on_event(Event(EventKind.APPLIED, f"applied {m.label}", m, elapsed))

    def _revert(
        self,
        conn: Connection,
        table: TrackingTable,
        token: Any,
        m: MigrationFile,
        statements: list[Statement],
        no_transaction: bool,
    ) -> None:
        # The down file's own first line decides: a no-transaction up (CREATE INDEX
        # CONCURRENTLY) may well have a down that can run in a transaction, and vice versa.
        start = time.perf_counter()
        if self.dialect.transactional_ddl and not no_transaction:
            self._run_in_transaction(
                conn, statements, m.down_filename, m.id, record=lambda: table.delete(m.id)
            )
        else:
            table.set_state(m.id, RowState.REVERTING, 0)
            self._run_recorded(conn, table, token, m.id, statements, m.down_filename)
            table.delete(m.id)
        elapsed = time.perf_counter() - start
        self.on_event(Event(EventKind.REVERTED, f"reverted {m.label}", m, elapsed))

    def _run_in_transaction(
        self,
        conn: Connection,
        statements: list[Statement],
        filename: str,
        migration_id: str,
        record: Callable[[], None],
    ) -> None:
        """Run the statements and the tracking-table change in one transaction."""
        self.dialect.begin(conn)
        try:
            self._execute(conn, statements, filename, migration_id)
            record()
            if self._fault:
                self._fault.reach("before-commit", migration_id)
            self.dialect.commit(conn)
        except BaseException:
            self._rollback_quietly(conn)
            raise

    def _run_recorded(
        self,
        conn: Connection,
        table: TrackingTable,
        token: Any,
        migration_id: str,
        statements: list[Statement],
        filename: str,
    ) -> None:
        """Run statements that cannot be rolled back, recording progress after each one."""
        self.dialect.lock.suspend(conn, token)
        done = 0

        def progress(count: int) -> None:
            nonlocal done
            done = count
            if count < len(statements):
                table.set_state(migration_id, table_state, count)

        table_state = RowState.RUNNING if filename.endswith(".up.sql") else RowState.REVERTING
        try:
            self._execute(conn, statements, filename, migration_id, progress)
        except MigrationFailedError as exc:
            self.dialect.lock.resume(conn, token, self.lock_timeout)
            table.set_state(migration_id, RowState.FAILED, done, exc.db_message)
            raise MigrationFailedError(
                exc.filename,
                exc.statement,
                exc.line,
                exc.db_message,
                rolled_back=False,
                note=f"{done} of {len(statements)} statements ran and could not be rolled back; "
                f"repair the database by hand, then run 'goofer resolve {migration_id} "
                "--applied' or '--rolled-back'",
            ) from None
        self.dialect.lock.resume(conn, token, self.lock_timeout)

    def _execute(
        self,
        conn: Connection,
        statements: list[Statement],
        filename: str,
        migration_id: str,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        cur = conn.cursor()
        errors = self.dialect.driver_errors()
        for position, statement in enumerate(statements, 1):
            if self._fault:
                self._fault.reach("before-statement", migration_id, position)
            failure = None
            try:
                self.dialect.run_statement(cur, statement.sql)
            except errors as exc:
                failure = MigrationFailedError(
                    filename,
                    statement.number,
                    self._error_line(statement, exc),
                    self._scrub(self.dialect.describe_error(exc)),
                    rolled_back=True,
                )
            if failure is not None:
                # Raised outside the except block: the driver's exception, which may quote the
                # password, is not chained as __context__ for a traceback to print.
                raise failure
            if progress is not None:
                progress(position)

    def _scrub(self, message: str) -> str:
        """Remove the URL's secrets from a database message (a server may quote them back)."""
        return redact(message, *self.url.secrets()) if self.url is not None else message

    def _error_line(self, statement: Statement, exc: BaseException) -> int:
        offset = self.dialect.error_offset(exc)
        if offset is None:
            return statement.line
        return statement.line + statement.sql.count("\n", 0, offset)

    def _rollback_quietly(self, conn: Connection) -> None:
        # The original error is the one to report; a dead connection rolls back by itself.
        try:  # noqa: SIM105 - contextlib.suppress: contextlib is not imported at boot
            self.dialect.rollback(conn)
        except Exception:  # noqa: S110
            pass
