"""Who holds the PostgreSQL migration lock, asked when a wait for it runs out.

A lock held by a session that has sat idle the whole wait is not a migration in progress: it
is a session lock left on a pooled server connection (an older Goofer, or another tool, behind
PgBouncer in transaction pooling) or someone's forgotten ``psql``. Saying "another process is
migrating" sent users looking for a process that does not exist.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# pg_locks shows a 64-bit advisory key as classid (high half) and objid (low half), objsubid 1.
_HOLDER = """
SELECT a.pid, to_char(a.state_change AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND ((l.classid::bigint << 32) | l.objid::bigint) = {key}
  AND a.state = 'idle' AND a.state_change <= now() - make_interval(secs => %s)
"""
# An older Goofer is idle for a moment between two migrations: only a longer idle counts.
_SHORTEST_IDLE = 1.0


def describe_holder(conn: Any, key_sql: str, qualified_table: str, waited: float) -> str | None:
    """Return what to say about a lock holder idle for the whole wait, or None if there is none.

    ``key_sql`` is the lock key's SQL expression with one parameter, the table's name.
    """
    import psycopg

    try:
        row = conn.execute(
            _HOLDER.format(key=key_sql), (qualified_table, max(waited, _SHORTEST_IDLE))
        ).fetchone()
    except psycopg.Error:  # the view may be restricted: the plain message will do
        return None
    if not row:
        return None
    pid, since = row
    return (
        f"the lock is held by an idle session (pid {pid}, idle since {since} UTC), not by a "
        "migration in progress: a session lock left on a pooled server connection by an older "
        "Goofer or another tool? If nothing of yours uses that session, end it with "
        f"SELECT pg_terminate_backend({pid})"
    )
