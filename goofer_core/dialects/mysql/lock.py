"""The MySQL/MariaDB run lock: a named user lock, GET_LOCK / RELEASE_LOCK.

A user lock belongs to the session and is not a transaction, so DDL's implicit commits do not
release it, and the server frees it when the connection dies.
https://mariadb.com/kb/en/get_lock/
"""

from __future__ import annotations

from ...errors import GooferError, LockTimeoutError
from ..base import Connection, RunLock

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_NAME_MAX = 64  # MySQL 5.7+ rejects longer GET_LOCK names


def lock_name(qualified_table: str) -> str:
    """Return the lock's name for a tracking table: ``goofer:db.table``, hashed when too long."""
    name = "goofer:" + qualified_table.replace("`", "")
    if len(name) > _NAME_MAX:
        import hashlib

        name = "goofer:" + hashlib.md5(name.encode()).hexdigest()
    return name


class MySQLLock(RunLock):
    """GET_LOCK on a name derived from the tracking table, so two apps do not block each other."""

    def acquire(self, conn: Connection, qualified_table: str, timeout: float) -> Any:
        name = lock_name(qualified_table)
        with conn.cursor() as cur:
            # GET_LOCK waits on the server and gives up by itself: nothing is left queued.
            cur.execute("SELECT GET_LOCK(%s, %s)", (name, max(0, round(timeout))))
            (got,) = cur.fetchone()
        if got is None:
            # NULL, not 0: the server stopped the wait itself (max_statement_time, KILL QUERY).
            raise LockTimeoutError(
                f"the wait for the MySQL lock {name} (GET_LOCK) was interrupted by the server "
                f"before the {timeout:g} s lock timeout (max_statement_time, or KILL QUERY?)"
            )
        if got != 1:
            raise LockTimeoutError(
                f"could not take the MySQL lock {name} (GET_LOCK) within {timeout:g} s: "
                "another process is migrating"
            )
        return name

    def release(self, conn: Connection, token: Any) -> None:
        with conn.cursor() as cur:
            cur.execute("SELECT RELEASE_LOCK(%s)", (token,))
            (released,) = cur.fetchone()
        if released != 1:
            raise GooferError(f"the MySQL lock {token} was not held at release")
