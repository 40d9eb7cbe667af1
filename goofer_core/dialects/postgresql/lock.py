"""The PostgreSQL run lock: a transaction advisory lock held open on a connection of its own.

A session advisory lock belongs to a server connection, and behind PgBouncer in transaction
pooling that connection is handed to other clients between transactions: the unlock lands
elsewhere, the lock outlives the run and other clients re-enter it (advisory locks count).
A transaction lock cannot outlive its transaction, and a pooler pins a server connection to a
client for the length of a transaction. So the lock is ``pg_advisory_xact_lock``'s, taken in a
transaction that a second connection keeps open for the whole run: the work connection stays in
autocommit between migrations (``CREATE INDEX CONCURRENTLY`` runs there) and the lock is freed
by ending that transaction, or by the server when the process dies and its connection closes.
https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS

On a direct connection a waiter queues on the server (``lock_timeout`` bounds the wait). Behind
a pooler it tries in short transactions instead and hangs up in between, so that waiters never
hold the server connections the holder needs (see ``_poll``).
"""

from __future__ import annotations

import time

from ...errors import ConfigurationError, GooferError, LockTimeoutError
from ..base import Connection, RunLock
from .connection import RedialableConnection, behind_pooler, dialer_of
from .holder import describe_holder

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# The lock key is a 64-bit hash of the schema-qualified tracking table, so two apps with their
# own tracking tables in one database do not block each other. It is asked for once, then sent
# as a literal: a query with parameters leaves its portal, and the portal's snapshot, open in
# the lock's transaction, and CREATE INDEX CONCURRENTLY waits for every such snapshot.
_KEY = "hashtextextended('goofer:' || %s, 0)"
# The lock's transaction sits idle for the whole run: a server-wide idle-in-transaction timeout
# must not end it (and with it the lock) half-way.
_KEEP = "set_config('idle_in_transaction_session_timeout', '0', true)"
# How often a backend waiting for the lock checks that Goofer is still there (PostgreSQL 14+).
_CHECK_MS = 1000
# Between tries: the first soon (a holder is often about to finish), then less often.
_FIRST_PAUSE = 0.01
_LONGEST_PAUSE = 0.2
# PgBouncer's error (SQLSTATE 08P01) for a BEGIN in statement pooling.
_STATEMENT_POOLING = "statement pooling"


class LockName:
    """The lock's key (a number) and the tracking table it is named after, for messages."""

    def __init__(self, key: int, table: str) -> None:
        self.key = key
        self.table = table


class HeldLock:
    """The token of a held lock: its connection (in the lock's transaction) and its name."""

    def __init__(self, conn: Any, name: str) -> None:
        self.conn = conn
        self.name = name


class PostgreSQLLock(RunLock):
    """``pg_advisory_xact_lock`` on a 64-bit hash of the schema-qualified tracking table."""

    def try_acquire(self, conn: Connection, qualified_table: str, timeout: float) -> Any:
        return self._wait(conn, qualified_table, 0.0)

    def acquire(self, conn: Connection, qualified_table: str, timeout: float) -> Any:
        started = time.monotonic()
        token = self._wait(conn, qualified_table, timeout)
        if token is None:
            holder = describe_holder(conn, _KEY, qualified_table, time.monotonic() - started)
            raise LockTimeoutError(
                f"could not take the PostgreSQL advisory lock goofer:{qualified_table} within "
                f"{timeout:g} s: {holder or 'another process is migrating'}"
            )
        return token

    def _wait(self, conn: Connection, qualified_table: str, timeout: float) -> HeldLock | None:
        """Take the lock within ``timeout`` seconds and return it, or return None."""
        row = conn.execute(f"SELECT pg_backend_pid(), {_KEY}", (qualified_table,)).fetchone()
        lock = LockName(int(row[1]), qualified_table)
        if behind_pooler(conn, int(row[0])):
            return _poll(conn, lock, timeout)
        lock_conn = dialer_of(conn)()
        try:
            taken = (
                _wait_in_line(lock_conn, lock, timeout) if timeout > 0 else _try(lock_conn, lock)
            )
        except BaseException:
            lock_conn.close()
            raise
        if taken:
            return HeldLock(lock_conn, qualified_table)
        lock_conn.close()
        return None

    def confirm(self, token: Any) -> None:
        # If a pooler's idle_transaction_timeout, an administrator or a restart ended the lock's
        # connection, the lock is gone, and the migration about to commit must be rolled back
        # instead of committed without it. The server says so on that socket (an error, then
        # the close), and an idle-in-transaction connection is sent nothing else: so only when
        # the socket has something to read is it asked, with one round trip.
        import select

        import psycopg

        lock_conn = token.conn
        try:
            readable, _, _ = select.select([lock_conn.fileno()], [], [], 0)
            if readable:
                lock_conn.execute("SELECT 1")
        except (psycopg.Error, OSError, ValueError) as exc:
            raise GooferError(
                f"the PostgreSQL advisory lock goofer:{token.name} was lost during the run: its "
                f"connection failed ({' '.join(str(exc).split())}); stopped before committing "
                "more (another process may be migrating now)"
            ) from None

    def release(self, conn: Connection, token: Any) -> None:
        import psycopg

        lock_conn = token.conn
        try:
            held = lock_conn.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND pid = pg_backend_pid()"
            ).fetchone()
            lock_conn.execute("ROLLBACK")  # ends the lock's transaction: the lock is freed
        except psycopg.Error as exc:
            raise GooferError(
                f"the PostgreSQL advisory lock goofer:{token.name} was lost during the run: "
                f"its connection failed ({' '.join(str(exc).split())}); check that no other "
                "process ran the same migrations"
            ) from None
        finally:
            lock_conn.close()
        if not held or not held[0]:
            raise GooferError(
                f"the PostgreSQL advisory lock goofer:{token.name} was not held at release "
                "(is a connection pooler switching sessions?)"
            )


def _poll(conn: Connection, lock: LockName, timeout: float) -> HeldLock | None:
    """Try until the lock is taken (return it) or ``timeout`` has passed (return None).

    Behind a pooler a waiter queued on the server would pin a server connection for the whole
    wait, and a few of them fill a small pool before the holder gets the one it needs to run
    its migrations. So the waiter tries in short transactions; between tries, the lock
    connection hangs up, and so does the work connection ``conn`` (if Goofer's own), from the
    first try until the lock is held: a waiter pins nothing even in session pooling.
    """
    dial = dialer_of(conn)
    deadline = time.monotonic() + timeout
    pause = _FIRST_PAUSE
    lock_conn: Any = None
    hung_up = isinstance(conn, RedialableConnection)
    if hung_up:
        conn.hang_up()
    try:
        while True:
            lock_conn = dial()
            if _try(lock_conn, lock):
                token, lock_conn = HeldLock(lock_conn, lock.table), None
                if hung_up:
                    _redial_or_release(conn, token)
                return token
            lock_conn.close()
            lock_conn = None
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            time.sleep(min(pause, left))
            pause = min(pause * 2, _LONGEST_PAUSE)
    finally:
        if lock_conn is not None:
            lock_conn.close()
        if hung_up and conn.closed:
            conn.redial()  # the caller goes on with it after a timeout (and closes it)


def _begin(lock_conn: Any) -> None:
    """Open the lock's transaction, or refuse PgBouncer's statement pooling in one line.

    READ COMMITTED whatever the server's default: between statements such a transaction holds
    no snapshot, so ``CREATE INDEX CONCURRENTLY`` on the work connection does not wait for it.
    """
    import psycopg

    try:
        lock_conn.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
    except psycopg.errors.ProtocolViolation as exc:
        if _STATEMENT_POOLING in str(exc):
            raise ConfigurationError(
                "the database URL goes through PgBouncer's statement pooling, which cannot hold "
                "the migration lock nor run a migration in a transaction: use session or "
                "transaction pooling (pool_mode), or a direct URL to PostgreSQL"
            ) from None
        raise


def _try(lock_conn: Any, lock: LockName) -> bool:
    """Take the lock if free, keeping its transaction open; else roll back and return False."""
    import psycopg

    _begin(lock_conn)
    try:
        row = lock_conn.execute(f"SELECT pg_try_advisory_xact_lock({lock.key}), {_KEEP}").fetchone()
    except psycopg.errors.QueryCanceled:
        lock_conn.execute("ROLLBACK")
        raise LockTimeoutError(
            f"the wait for the PostgreSQL advisory lock goofer:{lock.table} was cancelled "
            "by the server (pg_cancel_backend?)"
        ) from None
    except BaseException:
        lock_conn.execute("ROLLBACK")
        raise
    if row and row[0]:
        return True
    lock_conn.execute("ROLLBACK")
    return False


def _wait_in_line(lock_conn: Any, lock: LockName, timeout: float) -> bool:
    """Queue on the server for the lock (a direct connection); False when the wait runs out.

    ``lock_timeout`` bounds the wait on the server, not a session ``statement_timeout`` (which,
    shorter, cut it off with an error naming neither the lock nor the setting). On PostgreSQL
    14+ a waiter whose process dies leaves the queue within a second.
    """
    import psycopg

    settings = [
        f"set_config('lock_timeout', '{max(1, int(timeout * 1000))}ms', true)",
        "set_config('statement_timeout', '0', true)",
    ]
    if int(lock_conn.info.server_version) >= 140000:
        settings.append(f"set_config('client_connection_check_interval', '{_CHECK_MS}ms', true)")
    _begin(lock_conn)
    try:
        lock_conn.execute(f"SELECT {', '.join(settings)}")
        lock_conn.execute(f"SELECT pg_advisory_xact_lock({lock.key}), {_KEEP}")
    except psycopg.errors.LockNotAvailable:
        lock_conn.execute("ROLLBACK")
        return False
    except psycopg.errors.QueryCanceled:
        lock_conn.execute("ROLLBACK")
        raise LockTimeoutError(
            f"the wait for the PostgreSQL advisory lock goofer:{lock.table} was cancelled "
            f"by the server before the {timeout:g} s lock timeout (pg_cancel_backend?)"
        ) from None
    except BaseException:
        lock_conn.execute("ROLLBACK")
        raise
    return True


def _redial_or_release(conn: RedialableConnection, token: HeldLock) -> None:
    """Dial the work connection again now that the lock is held; free the lock if that fails."""
    try:
        conn.redial()
    except BaseException:
        token.conn.close()
        raise
