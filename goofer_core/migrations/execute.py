"""Run one migration's statements on a locked connection, keeping the tracking table in step.

Where the dialect has transactional DDL, a migration and its tracking row commit together.
Elsewhere (MySQL DDL, ``-- goofer:no-transaction`` files) progress is recorded after every
statement, so a failure or a crash part-way is visible, and ``resolve`` settles it.
"""

from __future__ import annotations

import time

from ..errors import MigrationFailedError
from ..redaction import redact
from . import plan as planning
from .events import Event, EventKind
from .tracking import RowState

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from ..dialects import Connection, Dialect
    from .events import EventHandler
    from .faults import Fault
    from .files import MigrationFile
    from .split import Statement
    from .tracking import TrackingTable


class Executor:
    """Apply and revert migrations on one connection that holds the run lock."""

    def __init__(
        self,
        dialect: Dialect,
        conn: Connection,
        table: TrackingTable,
        token: Any,
        *,
        lock_timeout: float,
        secrets: Sequence[str],
        fault: Fault | None,
        on_event: EventHandler,
        schema: str | None = None,
    ) -> None:
        self.dialect = dialect
        self.conn = conn
        self.table = table
        self.token = token  # the lock's, for a no-transaction migration to step out and back in
        self.lock_timeout = lock_timeout
        self.secrets = secrets  # masked in database messages (a server may quote them back)
        self._fault = fault
        self.on_event = on_event
        self.schema = schema  # a tenant's, to set in each transaction (``InSchema``)

    def apply(self, m: MigrationFile, statements: list[Statement]) -> None:
        """Apply one migration and record it: in one transaction where the dialect allows."""
        table = self.table
        start = time.perf_counter()
        if self.dialect.transactional_ddl and not m.no_transaction:
            self._run_in_transaction(
                statements,
                m.up_filename,
                m.id,
                record=lambda: table.insert(m, RowState.APPLIED, len(statements)),
            )
        else:
            self.dialect.lock.confirm(self.token)  # nothing of it can be undone once it starts
            table.insert(m, RowState.RUNNING, 0)
            self._run_recorded(m.id, statements, m.up_filename, lambda: table.delete(m.id))
            if self._fault:
                self._fault.reach("before-commit", m.id)
            table.set_state(m.id, RowState.APPLIED, len(statements))
        if self._fault:
            self._fault.reach("after-commit", m.id)
        elapsed = time.perf_counter() - start
        self.on_event(Event(EventKind.APPLIED, f"applied {m.label}", m, elapsed))

    def revert(
        self,
        m: MigrationFile,
        statements: list[Statement],
        no_transaction: bool,
        applied_statements: int,
        also_delete: tuple[str, ...] = (),
    ) -> None:
        """Run one migration's down and remove its row; ``applied_statements`` is the row's.

        ``also_delete``: the rows of the migrations a squashed one replaced, which stood for it
        on a database migrated before the squash; they go with its row, in its transaction.
        """
        table = self.table

        def forget() -> None:
            table.delete(m.id)
            for other in also_delete:
                table.delete(other)

        # The down file's own first line decides: a no-transaction up (CREATE INDEX
        # CONCURRENTLY) may well have a down that can run in a transaction, and vice versa.
        start = time.perf_counter()
        if self.dialect.transactional_ddl and not no_transaction:
            self._run_in_transaction(statements, m.down_filename, m.id, record=forget)
        else:
            self.dialect.lock.confirm(self.token)
            table.set_state(m.id, RowState.REVERTING, 0)
            self._run_recorded(
                m.id,
                statements,
                m.down_filename,
                lambda: table.set_state(m.id, RowState.APPLIED, applied_statements),
            )
            forget()
        elapsed = time.perf_counter() - start
        self.on_event(Event(EventKind.REVERTED, f"reverted {m.label}", m, elapsed))

    def _run_in_transaction(
        self,
        statements: list[Statement],
        filename: str,
        migration_id: str,
        record: Callable[[], None],
    ) -> None:
        """Run the statements and the tracking-table change in one transaction."""
        self.dialect.begin(self.conn)
        try:
            if self.schema is not None:
                self.dialect.namespace_in_transaction(self.conn, self.schema)
            self._execute(statements, filename, migration_id)
            record()
            if self._fault:
                self._fault.reach("before-commit", migration_id)
            self.dialect.lock.confirm(self.token)  # a lost lock rolls the migration back
            self.dialect.commit(self.conn)
        except BaseException:
            self._rollback_quietly()
            raise

    def _run_recorded(
        self,
        migration_id: str,
        statements: list[Statement],
        filename: str,
        undo_record: Callable[[], None],
    ) -> None:
        """Run statements that cannot be rolled back, recording progress after each one.

        When the first statement fails nothing ran, so nothing needs repair: ``undo_record``
        puts the row back as it was and the next run tries again. Later, the row is left
        failed (with how far it got) for ``resolve``.
        """
        conn, table, token = self.conn, self.table, self.token
        self.dialect.lock.suspend(conn, token)
        reverting = filename.endswith(".down.sql")
        running = RowState.REVERTING if reverting else RowState.RUNNING
        done = 0

        def progress(count: int) -> None:
            nonlocal done
            done = count
            if count < len(statements):
                table.set_state(migration_id, running, count)

        try:
            self._execute(statements, filename, migration_id, progress)
        except MigrationFailedError as exc:
            self.dialect.lock.resume(conn, token, self.lock_timeout)
            if done == 0:
                undo_record()
                raise
            failed = RowState.REVERT_FAILED if reverting else RowState.FAILED
            table.set_state(migration_id, failed, done, exc.db_message)
            raise MigrationFailedError(
                exc.filename,
                exc.statement,
                exc.line,
                exc.db_message,
                rolled_back=False,
                note=f"{done} of {len(statements)} statements ran and could not be rolled back; "
                + planning.resolve_hint(migration_id, failed),
            ) from None
        self.dialect.lock.resume(conn, token, self.lock_timeout)

    def _execute(
        self,
        statements: list[Statement],
        filename: str,
        migration_id: str,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        cur = self.conn.cursor()
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
        return redact(message, *self.secrets)

    def _error_line(self, statement: Statement, exc: BaseException) -> int:
        offset = self.dialect.error_offset(exc)
        if offset is None:
            return statement.line
        return statement.line + statement.sql.count("\n", 0, offset)

    def _rollback_quietly(self) -> None:
        # The original error is the one to report; a dead connection rolls back by itself.
        try:  # noqa: SIM105 - contextlib.suppress: contextlib is not imported at boot
            self.dialect.rollback(self.conn)
        except Exception:  # noqa: S110
            pass
