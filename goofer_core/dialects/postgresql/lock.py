"""The PostgreSQL run lock: a session-level advisory lock keyed by the tracking table.

The lock is taken in a short transaction with ``SET LOCAL lock_timeout`` so the wait is bounded
on the server, and outlives it: the connection then holds no open transaction between
migrations. https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
"""

from __future__ import annotations

from ...errors import GooferError, LockTimeoutError
from ..base import Connection, RunLock

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# The lock key is a 64-bit hash of the schema-qualified tracking table, so two apps with their
# own tracking tables in one database do not block each other.
_KEY = "hashtextextended('goofer:' || %s, 0)"
# How often a migrating backend checks that Goofer is still there (PostgreSQL 14+).
_CHECK_MS = 1000


def _checks_client(conn: Connection) -> bool:
    """Return whether the server has client_connection_check_interval (PostgreSQL 14+)."""
    return int(conn.info.server_version) >= 140000


class PostgreSQLLock(RunLock):
    """``pg_advisory_lock`` on a 64-bit hash of the schema-qualified tracking table."""

    def acquire(self, conn: Connection, qualified_table: str, timeout: float) -> Any:
        import psycopg

        # SET LOCAL bounds the wait on the server and vanishes at the end of this short
        # transaction; the session-level advisory lock outlives it. No open transaction remains.
        conn.execute("BEGIN")
        try:
            conn.execute(f"SET LOCAL lock_timeout = '{max(1, int(timeout * 1000))}ms'")
            # The lock timeout bounds this wait, not a session statement_timeout (which,
            # shorter, cut it off with an error naming neither the lock nor the setting).
            conn.execute("SET LOCAL statement_timeout = 0")
            if _checks_client(conn):
                # Held for the run (a session setting): if this process dies in the middle of
                # a long statement, its backend notices within a second and ends, freeing the
                # lock, instead of running the statement to its end first.
                conn.execute(f"SET client_connection_check_interval = '{_CHECK_MS}ms'")
            conn.execute(f"SELECT pg_advisory_lock({_KEY})", (qualified_table,))
        except psycopg.errors.LockNotAvailable:
            conn.execute("ROLLBACK")
            raise LockTimeoutError(
                f"could not take the PostgreSQL advisory lock goofer:{qualified_table} within "
                f"{timeout:g} s: another process is migrating"
            ) from None
        except psycopg.errors.QueryCanceled:
            conn.execute("ROLLBACK")
            raise LockTimeoutError(
                f"the wait for the PostgreSQL advisory lock goofer:{qualified_table} was "
                f"cancelled by the server before the {timeout:g} s lock timeout "
                "(pg_cancel_backend?)"
            ) from None
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return qualified_table

    def release(self, conn: Connection, token: Any) -> None:
        # The check is set back in the same round trip: the connection may be the app's.
        reset = ", set_config('client_connection_check_interval', '0', false)"
        sql = f"SELECT pg_advisory_unlock({_KEY}){reset if _checks_client(conn) else ''}"
        row = conn.execute(sql, (token,)).fetchone()
        if not row or not row[0]:
            raise GooferError(
                f"the PostgreSQL advisory lock goofer:{token} was not held at release "
                "(is a connection pooler switching sessions?)"
            )
