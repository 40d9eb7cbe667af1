"""Goofer's own PostgreSQL connections: one that can hang up and dial again, and the lock's.

Behind PgBouncer in session pooling every open client connection pins a server connection. A
process waiting for the migration lock must pin none, or a few waiters fill a small pool and the
holder cannot get the second connection it needs (one holds the lock, one runs the migrations):
every process then waits until the lock timeout. So the connection Goofer opened from a URL can
hang up while its process waits and dial again once the lock is taken.
"""

from __future__ import annotations

from ...errors import DatabaseConnectError
from ...redaction import redact

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    Dial = Callable[[], Any]


class RedialableConnection:
    """A psycopg connection opened from a URL, able to ``hang_up`` and ``redial``.

    Everything else is the psycopg connection's own (attributes are passed through), so the
    engine and the tests use it as they would use psycopg's; its cursors follow it to the new
    connection (the tracking table keeps one for the whole run).
    """

    def __init__(self, dial: Dial) -> None:
        object.__setattr__(self, "dial", dial)
        object.__setattr__(self, "_conn", dial())
        object.__setattr__(self, "dialled", 1)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._conn, name, value)

    def __enter__(self) -> RedialableConnection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._conn.__exit__(*exc_info)

    def cursor(self) -> FollowingCursor:
        """Return a cursor that moves to the new connection after a ``redial``."""
        return FollowingCursor(self)

    def hang_up(self) -> None:
        """Close the server connection; ``redial`` opens a new one with the same parameters."""
        self._conn.close()

    def redial(self) -> None:
        """Open a new connection after ``hang_up`` (session settings of the old one are gone)."""
        object.__setattr__(self, "_conn", self.dial())
        object.__setattr__(self, "dialled", self.dialled + 1)


class FollowingCursor:
    """A cursor of a ``RedialableConnection``: after a redial, a cursor of the new connection."""

    def __init__(self, owner: RedialableConnection) -> None:
        self._owner = owner
        self._dialled = owner.dialled
        self._cur = owner._conn.cursor()

    def __getattr__(self, name: str) -> Any:
        if self._dialled != self._owner.dialled:
            self._dialled = self._owner.dialled
            self._cur = self._owner._conn.cursor()
        return getattr(self._cur, name)

    def __iter__(self) -> Any:
        return iter(self._cur)

    def __enter__(self) -> FollowingCursor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._cur.close()


def dialer_of(conn: Any) -> Dial:
    """Return how to open the lock's connection to where ``conn`` goes.

    A connection Goofer opened from a URL is dialled again from the URL; a caller's connection
    (Flask's engine, Django, the Python API) from the parameters libpq used for it, password
    included. Never with prepared statements, whatever the URL says: a prepared query keeps its
    portal's snapshot in the lock's long transaction, and ``CREATE INDEX CONCURRENTLY`` waits
    for every such snapshot (and a transaction pooler could not route them).
    """
    if isinstance(conn, RedialableConnection):
        redial = conn.dial

        def dial_again() -> Any:
            lock_conn = redial()
            lock_conn.prepare_threshold = None
            return lock_conn

        return dial_again
    import psycopg

    params: dict[str, Any] = dict(conn.info.get_parameters())
    password = conn.info.password
    if password:
        params["password"] = password

    def dial() -> Any:
        try:
            return psycopg.connect(autocommit=True, prepare_threshold=None, **params)
        except psycopg.Error as exc:
            text = " ".join(str(exc).split()) or type(exc).__name__
            raise DatabaseConnectError(
                "cannot open the PostgreSQL connection for the migration lock (host "
                f"{params.get('host', '')}, database {params.get('dbname', '')}): "
                f"{redact(text, password)}"
            ) from None

    return dial


def behind_pooler(conn: Any, server_pid: int) -> bool:
    """Return whether ``conn``, whose backend says it is ``server_pid``, goes through a pooler.

    PostgreSQL tells a client its backend's process id at login; PgBouncer tells its own
    random cancel key instead, so the id the server reports differs from it.
    """
    return server_pid != int(conn.info.backend_pid)
