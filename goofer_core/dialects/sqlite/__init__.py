"""SQLite through sqlite3: inside the run lock's write transaction, each migration is a savepoint.

Python's sqlite3 module must be in autocommit mode (``isolation_level=None``) so Goofer's own
BEGIN/SAVEPOINT statements are the only transaction control, and ``executescript`` is never used
because it commits first (https://docs.python.org/3/library/sqlite3.html#sqlite3.Cursor.executescript).
"""

from __future__ import annotations

from ...errors import DatabaseConnectError
from ..base import Dialect
from .lock import SAVEPOINT, SQLiteLock

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime
    from typing import Any

    from ...schema.dump import SchemaDump
    from ...schema.model import Schema
    from ...schema.render import Renderer
    from ...url import DatabaseURL
    from ..base import Connection
    from ..client_script import ClientScript
    from ..lexing import SplitRules


class SQLiteDialect(Dialect):
    """SQLite through the standard library's sqlite3 module."""

    name = "sqlite"
    transactional_ddl = True
    scratch_in_memory = True
    placeholder = "?"
    driver_module = "sqlite3"
    extra = "sqlite"
    sqlalchemy_url = "sqlite://"
    lock = SQLiteLock()

    def connect(self, url: DatabaseURL, timeout: float) -> Connection:
        sqlite3 = self.import_driver()
        target, uri = url.database, False
        if url.query:  # query parameters become SQLite URI parameters (mode=ro, cache=...)
            from urllib.parse import quote, urlencode

            target, uri = f"file:{quote(url.database)}?{urlencode(url.query)}", True
        try:
            return sqlite3.connect(target, timeout=timeout, isolation_level=None, uri=uri)
        except sqlite3.Error as exc:
            raise DatabaseConnectError(f"cannot open SQLite database {target!r}: {exc}") from None

    def adopt(self, conn: Connection, timeout: float) -> Any:
        saved = (conn.isolation_level, conn.execute("PRAGMA foreign_keys").fetchone()[0])
        if conn.in_transaction:
            conn.commit()
        conn.isolation_level = None
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        # Django turns foreign keys on; a generated table rebuild (DROP TABLE + rename) would
        # then cascade into child rows. The pragma is a no-op inside a transaction, so it is
        # switched off here, before the lock's BEGIN, as a plain connection has it.
        conn.execute("PRAGMA foreign_keys = OFF")
        return saved

    def restore(self, conn: Connection, saved: Any) -> None:
        isolation_level, foreign_keys = saved
        conn.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        conn.isolation_level = isolation_level

    def driver_errors(self) -> tuple[type[BaseException], ...]:
        import sqlite3

        return (sqlite3.Error,)

    def not_there_yet(self, exc: BaseException) -> bool:
        # "database is locked": a writer is committing; the locked path reads again.
        return str(exc).startswith(("no such table", "database is locked"))

    def timestamp_param(self, value: datetime) -> Any:
        # sqlite3's implicit datetime adapter is deprecated (Python 3.12); store ISO text.
        return value.isoformat(sep=" ")

    # Inside the run's write transaction each migration is a savepoint: rolling one back
    # keeps the earlier ones, and the final COMMIT (release_lock) makes them durable.
    def begin(self, conn: Connection) -> None:
        conn.execute(f"SAVEPOINT {SAVEPOINT}")

    def commit(self, conn: Connection) -> None:
        conn.execute(f"RELEASE {SAVEPOINT}")

    def rollback(self, conn: Connection) -> None:
        conn.execute(f"ROLLBACK TO {SAVEPOINT}")
        conn.execute(f"RELEASE {SAVEPOINT}")

    # -- the parts only some commands need ---------------------------------------------------

    def split_rules(self) -> SplitRules:
        from .lexer import RULES

        return RULES

    def renderer(self) -> Renderer:
        from .ddl import SQLiteRenderer

        return SQLiteRenderer()

    def read_schema(self, conn: Connection) -> Schema:
        from .introspect import read_schema

        return read_schema(conn)

    def client_script(self) -> ClientScript:
        from .client_script import Sqlite3Script

        return Sqlite3Script()

    def object_queries(self) -> tuple[str, ...]:
        from .introspect import OBJECT_QUERIES

        return OBJECT_QUERIES

    def dump_schema(self, conn: Connection) -> SchemaDump:
        from .dump import dump_schema

        return dump_schema(conn)
