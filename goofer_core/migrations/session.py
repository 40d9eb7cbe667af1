"""The connection and the run lock of one Migrator call, as context managers.

Written as classes: ``contextlib`` is not imported at boot.
"""

from __future__ import annotations

import time

from ..dialects.base import PER_TRANSACTION
from ..errors import ConfigurationError, DatabaseError
from ..redaction import redact
from ..url import DatabaseURL
from .events import Event, EventKind

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..dialects import Connection, Dialect
    from .events import EventHandler
    from .faults import Fault
    from .tracking import TrackingTable


#: The longest lock wait accepted: a week. Every server can express it, and more is a typo (or
#: ``inf``/``1e308``, which the servers' own settings would reject or wrap).
MAX_LOCK_TIMEOUT = 7 * 24 * 3600.0


def lock_timeout_problem(seconds: float) -> str | None:
    """Return why ``seconds`` cannot be a lock timeout (NaN, negative, over a week), or None."""
    if 0 <= seconds <= MAX_LOCK_TIMEOUT:  # NaN fails both comparisons
        return None
    return f"expected 0 to {MAX_LOCK_TIMEOUT:g} seconds"


class Session:
    """The connection for one call: a URL's is opened and closed, a caller's adopted, restored."""

    def __init__(
        self,
        dialect: Dialect,
        db: DatabaseURL | Connection,
        connect_timeout: float,
        lock_timeout: float,
    ) -> None:
        self.dialect = dialect
        self.db = db
        self.connect_timeout = connect_timeout
        self.lock_timeout = lock_timeout
        self.saved: Any = None

    def __enter__(self) -> Connection:
        if isinstance(self.db, DatabaseURL):
            timeout = min(self.connect_timeout, self.lock_timeout or self.connect_timeout)
            self.conn = self.dialect.connect_session(self.db, timeout)
        else:
            self.conn = self.db
            self.saved = self.dialect.adopt(self.conn, self.lock_timeout)
        return self.conn

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, *rest: object
    ) -> None:
        try:
            if isinstance(self.db, DatabaseURL):
                self.conn.close()
            else:
                self.dialect.restore(self.conn, self.saved)
        except Exception:
            if exc is None:
                raise  # else the error that ended the call is the one to report
        if exc is not None and isinstance(exc, self.dialect.driver_errors()):
            # A driver error of Goofer's own statements (the tracking table, the lock): the
            # migrations' own are MigrationFailedError already. One line, never a traceback.
            secrets = self.db.secrets() if isinstance(self.db, DatabaseURL) else ()
            message = redact(self.dialect.describe_error(exc), *secrets)
            raise DatabaseError(f"the database stopped the run: {message}") from None


class Locked:
    """Hold the run lock; create the tracking table under it; release even on error."""

    def __init__(
        self,
        dialect: Dialect,
        conn: Connection,
        table: TrackingTable,
        lock_timeout: float,
        fault: Fault | None,
        on_event: EventHandler,
    ) -> None:
        self.dialect = dialect
        self.conn = conn
        self.table = table
        self.lock_timeout = lock_timeout
        self.fault = fault
        self.on_event = on_event
        self.token: Any = None

    def __enter__(self) -> Any:
        self.table.pin()
        self.token = self._acquire()
        try:
            if self.fault:
                self.fault.reach("after-lock")
            self.table.create()
        except BaseException:
            self._release_quietly()
            raise
        return self.token

    def _acquire(self) -> Any:
        """Take the lock; when another process holds it, say so before waiting and after."""
        lock, name = self.dialect.lock, self.table.sql_name
        if self.lock_timeout > 0:
            token = lock.try_acquire(self.conn, name, self.lock_timeout)
            if token is not None:  # free, almost always: no wait, no line
                return token
            self.on_event(
                Event(
                    EventKind.WAITING,
                    f"waiting for the migration lock: another process is migrating "
                    f"(at most {self.lock_timeout:g} s)",
                )
            )
        started = time.perf_counter()
        token = lock.acquire(self.conn, name, self.lock_timeout)
        if self.lock_timeout > 0:
            waited = time.perf_counter() - started
            self.on_event(Event(EventKind.LOCKED, "got the migration lock", seconds=waited))
        return token

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        if exc_type is None:
            self.dialect.lock.release(self.conn, self.token)
        else:
            self._release_quietly()

    def _release_quietly(self) -> None:
        # Report the original error; a lock on a broken connection dies with the session.
        try:  # noqa: SIM105 - contextlib.suppress: contextlib is not imported at boot
            self.dialect.lock.release(self.conn, self.token)
        except Exception:  # noqa: S110
            pass


class InSchema:
    """Run a tenant's migrations with its schema current; put the connection back after.

    ``schema`` None: nothing to do (not a tenant, or nothing to run: the no-op path stays one
    query). Behind a connection pooler the schema cannot be a session setting: it is then set
    in each migration's transaction (``per_transaction``), and a migration that runs outside a
    transaction is refused before anything runs.
    """

    def __init__(self, dialect: Dialect, conn: Connection, schema: str | None) -> None:
        self.dialect = dialect
        self.conn = conn
        self.schema = schema
        self.saved: Any = None

    def __enter__(self) -> InSchema:
        if self.schema is not None:
            self.saved = self.dialect.enter_namespace(self.conn, self.schema)
        return self

    @property
    def per_transaction(self) -> str | None:
        """Return the schema each migration transaction must set, or None (nothing to set)."""
        return self.schema if self.saved is PER_TRANSACTION else None

    def refuse_outside_transactions(self, filenames: list[str]) -> None:
        """Raise naming the first of ``filenames`` (run outside a transaction) if it cannot run."""
        if self.per_transaction and filenames:
            raise ConfigurationError(
                f"{filenames[0]}: runs outside a transaction, so through a connection pooler it "
                f"cannot be kept in tenant {self.schema}'s schema (each statement may reach "
                "another server connection): migrate the tenants with a direct URL"
            )

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        if self.schema is None:
            return
        if exc_type is None:
            self.dialect.leave_namespace(self.conn, self.saved)
            return
        # Report the migration's error; a connection too broken to reset is closed by its owner.
        try:  # noqa: SIM105 - contextlib.suppress: contextlib is not imported at boot
            self.dialect.leave_namespace(self.conn, self.saved)
        except Exception:  # noqa: S110
            pass
