"""One migrations directory on many tenants: a schema each (PostgreSQL), or a database (MySQL).

Each tenant is a ``Migrator`` with ``schema=tenant``: its own tracking table ``tenant.NAME``,
its own lock (the lock key hashes the qualified table) and its migrations run in its schema.
Tenants run on ``jobs`` connections, one thread each (the work is waiting on the server), all in
one process: a process per tenant paid Python's start-up, the imports and a connection every
time (issue 15, item 3: 33-89 s for 100 tenants where this takes a few). The directory is read
once; a tenant with nothing pending costs the one query of the up-to-date check. A tenant's
failure is its result: the others carry on, and the caller decides what it means.
"""

from __future__ import annotations

import threading
import time

from ..errors import ConfigurationError, GooferError
from ..values import Record
from .migrator import Migrator

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path
    from typing import Any

    from ..dialects import Connection
    from .events import Event
    from .files import MigrationFile
    from .session import Session

    ResultHandler = Callable[["TenantResult"], None]
    TenantEventHandler = Callable[[str, Event], None]


class TenantResult(Record):
    """What one tenant's run gave: its value, or the error that stopped it."""

    tenant: str
    #: up/down: the migrations applied/reverted; status: the statuses; check: the reasons.
    value: Any
    error: GooferError | None
    seconds: float

    @property
    def ok(self) -> bool:
        """Return whether the tenant's run ended without an error."""
        return self.error is None


class _TenantMigrator(Migrator):
    """A tenant's Migrator: the directory as read once for every tenant."""

    shared_files: Sequence[MigrationFile] = ()

    def files(self, read_up: bool = True) -> list[MigrationFile]:
        """Return the migrations read once for the whole run."""
        return list(self.shared_files)


class Tenants:
    """Run one Migrator's directory on many tenants, ``jobs`` at a time.

    ``template`` gives the database, directory, plain tracking-table name and lock timeout. With
    a URL each job opens its own connection; a Migrator on a caller's connection (Django,
    a SQLAlchemy engine) runs the tenants one after the other on it. ``on_result`` is called
    as each tenant finishes and ``on_event`` with each tenant's events, never two at once.
    """

    def __init__(
        self,
        template: Migrator,
        tenants: Sequence[str],
        jobs: int = 4,
        *,
        on_result: ResultHandler | None = None,
        on_event: TenantEventHandler | None = None,
    ) -> None:
        if template.dialect.namespace is None:
            raise ConfigurationError(
                f"tenants: {template.dialect.name} has no schemas; tenants need PostgreSQL "
                "(a schema each) or MySQL/MariaDB (a database each)"
            )
        if "." in template.table:
            raise ConfigurationError(
                f"tracking table {template.table}: give a plain name with tenants (each "
                "tenant's is TENANT.NAME)"
            )
        if jobs < 1:
            raise ConfigurationError(f"jobs {jobs}: expected 1 or more")
        seen: set[str] = set()
        for tenant in tenants:
            if tenant in seen:
                raise ConfigurationError(f"tenant {tenant}: listed twice")
            seen.add(tenant)
        self.template = template
        self.tenants = list(tenants)
        # Threads share nothing but the queue: a caller's one connection runs them in turn.
        self.jobs = max(1, min(jobs, len(self.tenants))) if template.url is not None else 1
        self.on_result = on_result
        self.on_event = on_event
        self._report_lock = threading.Lock()

    # -- what runs on each tenant ------------------------------------------------------------

    def up(self, to: str | None = None) -> list[TenantResult]:
        """Apply each tenant's pending migrations (up to ``to``); value: those applied."""
        return self._run(lambda migrator: migrator.up(to))

    def revert(
        self, steps: int = 1, to: str | None = None, everything: bool = False
    ) -> list[TenantResult]:
        """Revert on each tenant as ``Migrator.revert``; value: the migrations reverted."""
        return self._run(lambda migrator: migrator.revert(steps, to, everything))

    def status(self) -> list[TenantResult]:
        """Return each tenant's migration statuses (value: list of MigrationStatus)."""
        return self._run(lambda migrator: migrator.status())

    def check(self) -> list[TenantResult]:
        """Return why each tenant is not in step with the directory (value: the reasons)."""
        return self._run(lambda migrator: migrator.check())

    # -- running them ------------------------------------------------------------------------

    def _run(self, work: Callable[[Migrator], Any]) -> list[TenantResult]:
        """Run ``work`` on every tenant, ``jobs`` at a time; return the results in list order."""
        files = self.template.files()  # a bad directory is one error, not one per tenant
        results: list[TenantResult | None] = [None] * len(self.tenants)
        queue = list(enumerate(self.tenants))
        queue.reverse()  # popped from the end: tenants start in the order given
        if self.jobs == 1:  # in this thread: a caller's connection stays where it was opened
            self._work(queue, results, files, work)
            return [result for result in results if result is not None]
        workers = [
            threading.Thread(target=self._work, args=(queue, results, files, work), daemon=True)
            for _ in range(self.jobs)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        return [result for result in results if result is not None]

    def _work(
        self,
        queue: list[tuple[int, str]],
        results: list[TenantResult | None],
        files: list[MigrationFile],
        work: Callable[[Migrator], Any],
    ) -> None:
        """Take tenants off ``queue`` until it is empty, on one connection (reopened on error)."""
        session: Session | None = None
        conn: Connection = None
        try:
            while True:
                try:
                    index, tenant = queue.pop()  # list.pop is atomic under the GIL
                except IndexError:
                    return
                started = time.perf_counter()
                value: Any = None
                error: GooferError | None = None
                try:
                    if session is None:
                        session = self.template._session()
                        conn = session.__enter__()
                    value = work(self._migrator(conn, tenant, files))
                except Exception as exc:  # the tenant's failure, whatever it is: others go on
                    error = self._as_error(exc)
                    session = self._close(session) if self.template.url is not None else session
                result = TenantResult(tenant, value, error, time.perf_counter() - started)
                results[index] = result
                if self.on_result is not None:
                    with self._report_lock:
                        self.on_result(result)
        finally:
            self._close(session)

    def _migrator(self, conn: Connection, tenant: str, files: list[MigrationFile]) -> Migrator:
        """Return the tenant's Migrator on the job's connection."""
        template = self.template

        def on_event(event: Event) -> None:
            if self.on_event is not None:
                with self._report_lock:
                    self.on_event(tenant, event)

        migrator = _TenantMigrator(
            conn,
            template.dialect.name,
            template.directory,
            table=template.table,
            schema=tenant,
            lock_timeout=template.lock_timeout,
            connect_timeout=template.connect_timeout,
            on_event=on_event,
        )
        migrator.shared_files = files
        return migrator

    def _as_error(self, exc: Exception) -> GooferError:
        """Return ``exc`` as a GooferError (a driver's error with the database's message)."""
        if isinstance(exc, GooferError):
            return exc
        return GooferError(self.template.dialect.describe_error(exc))

    @staticmethod
    def _close(session: Session | None) -> None:
        """Close a job's connection, quietly: the tenant's own error is what is reported."""
        if session is None:
            return
        try:  # noqa: SIM105 - a broken connection is closed as well as it can be
            session.__exit__(None, None, None)
        except Exception:  # noqa: S110
            pass


def tenants_from_query(template: Migrator, sql: str) -> list[str]:
    """Return the names a query (one column) returns, run on the template's database."""
    dialect = template.dialect
    with template._session() as conn:
        cur = conn.cursor()
        try:
            cur.execute(sql)
            rows = cur.fetchall() if cur.description else None
        except dialect.driver_errors() as exc:
            raise GooferError(f"tenants query: {dialect.describe_error(exc)}") from None
        if rows is None or len(cur.description) != 1:
            columns = 0 if rows is None else len(cur.description)
            raise ConfigurationError(
                f"tenants query: returns {columns} columns; expected one, the tenants' names"
            )
    return [str(row[0]) for row in rows if row[0] is not None]


def up_tenants(
    db: str,
    directory: str | Path,
    tenants: Sequence[str],
    *,
    jobs: int = 4,
    table: str = "migrations",
    dialect: str | None = None,
    on_result: ResultHandler | None = None,
) -> list[TenantResult]:
    """Apply ``directory``'s pending migrations to each tenant of ``db``; return the results."""
    template = Migrator(db, dialect, directory, table=table)
    return Tenants(template, tenants, jobs, on_result=on_result).up()
