"""The SQLite run lock: the database's write lock, held by a ``BEGIN IMMEDIATE`` transaction.

The whole run is that one transaction and each migration a savepoint inside it (``SAVEPOINT``),
so a run commits, and syncs the disk, once. A no-transaction migration steps out of it
(``suspend``) and back in (``resume``). https://www.sqlite.org/lang_transaction.html
"""

from __future__ import annotations

from ...errors import LockTimeoutError
from ..base import Connection, RunLock

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The savepoint each migration runs in, inside the lock's transaction.
SAVEPOINT = "goofer_migration"


class SQLiteLock(RunLock):
    """``BEGIN IMMEDIATE``, waiting up to the timeout through ``busy_timeout``."""

    def acquire(self, conn: Connection, qualified_table: str, timeout: float) -> Any:
        import sqlite3

        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise LockTimeoutError(
                    f"could not take the SQLite database write lock (BEGIN IMMEDIATE) within "
                    f"{timeout:g} s: another process is migrating or writing"
                ) from None
            raise
        return qualified_table

    def try_acquire(self, conn: Connection, qualified_table: str, timeout: float) -> Any:
        try:
            return super().try_acquire(conn, qualified_table, timeout)
        finally:  # the busy timeout also bounds the waits of the statements that follow
            conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")

    def release(self, conn: Connection, token: Any) -> None:
        if conn.in_transaction:
            conn.execute("COMMIT")

    def suspend(self, conn: Connection, token: Any) -> None:
        self.release(conn, token)

    def resume(self, conn: Connection, token: Any, timeout: float) -> None:
        self.acquire(conn, token, timeout)
