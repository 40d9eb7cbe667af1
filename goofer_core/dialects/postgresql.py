"""PostgreSQL through psycopg 3: transactional DDL and a session advisory lock.

The connection stays in autocommit mode and holds no open transaction between migrations, so a
``-- goofer:no-transaction`` migration running ``CREATE INDEX CONCURRENTLY`` does not wait on
Goofer's own session (https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY).
"""

from __future__ import annotations

from typing import Any

from ..errors import DatabaseConnectError, GooferError, LockTimeoutError
from ..url import DatabaseURL, redact
from .base import Connection, Dialect

# The lock key is a 64-bit hash of the schema-qualified tracking table, so two apps with their
# own tracking tables in one database do not block each other.
_KEY = "hashtextextended('goofer:' || %s, 0)"


class PostgreSQLDialect(Dialect):
    """PostgreSQL 11+ through psycopg 3."""

    name = "postgresql"
    transactional_ddl = True
    driver_module = "psycopg"
    extra = "postgres"

    def connect(self, url: DatabaseURL, timeout: float) -> Connection:
        psycopg = self.import_driver()
        params: dict[str, Any] = {"connect_timeout": max(2, int(min(timeout, 10)))}
        params.update(url.query)
        try:
            return psycopg.connect(
                host=url.host or None,
                port=url.port,
                user=url.user,
                password=url.password,
                dbname=url.database,
                autocommit=True,
                **params,
            )
        except psycopg.Error as exc:
            message = redact(self.describe_error(exc), *url.secrets())
            raise DatabaseConnectError(f"cannot connect to {url}: {message}") from None

    def adopt(self, conn: Connection, timeout: float) -> Any:
        saved = conn.autocommit
        if not saved:
            conn.commit()
            conn.autocommit = True
        return saved

    def restore(self, conn: Connection, saved: Any) -> None:
        conn.autocommit = saved

    def driver_errors(self) -> tuple[type[BaseException], ...]:
        import psycopg

        return (psycopg.Error,)

    def describe_error(self, exc: BaseException) -> str:
        diag = getattr(exc, "diag", None)
        primary = getattr(diag, "message_primary", None)
        text = primary or (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        sqlstate = getattr(exc, "sqlstate", None)
        return f"{text} (SQLSTATE {sqlstate})" if sqlstate else " ".join(text.split())

    def error_offset(self, exc: BaseException) -> int | None:
        position = getattr(getattr(exc, "diag", None), "statement_position", None)
        return int(position) - 1 if position else None

    def qualify(self, conn: Connection, table: str) -> str:
        row = conn.execute("SELECT current_schema()").fetchone()
        schema = row[0] if row and row[0] else "public"
        return f"{self.quote(schema)}.{self.quote(table)}"

    def acquire_lock(self, conn: Connection, qualified_table: str, timeout: float) -> Any:
        import psycopg

        # SET LOCAL bounds the wait on the server and vanishes at the end of this short
        # transaction; the session-level advisory lock outlives it. No open transaction remains.
        conn.execute("BEGIN")
        try:
            conn.execute(f"SET LOCAL lock_timeout = '{max(1, int(timeout * 1000))}ms'")
            conn.execute(f"SELECT pg_advisory_lock({_KEY})", (qualified_table,))
        except psycopg.errors.LockNotAvailable:
            conn.execute("ROLLBACK")
            raise LockTimeoutError(
                f"could not take the PostgreSQL advisory lock goofer:{qualified_table} within "
                f"{timeout:g} s: another process is migrating"
            ) from None
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return qualified_table

    def release_lock(self, conn: Connection, token: Any) -> None:
        row = conn.execute(f"SELECT pg_advisory_unlock({_KEY})", (token,)).fetchone()
        if not row or not row[0]:
            raise GooferError(
                f"the PostgreSQL advisory lock goofer:{token} was not held at release "
                "(is a connection pooler switching sessions?)"
            )
