"""PostgreSQL through psycopg 3: transactional DDL, autocommit between migrations.

The connection stays in autocommit mode and holds no open transaction between migrations, so a
``-- goofer:no-transaction`` migration running ``CREATE INDEX CONCURRENTLY`` does not wait on
Goofer's own session (https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY).
Nothing is set for the session either: behind a transaction pooler a session setting would stay
on a server connection that other clients get next.
"""

from __future__ import annotations

from ...errors import ConfigurationError, DatabaseConnectError
from ...redaction import redact
from ..base import PER_TRANSACTION, Connection, Dialect
from .connection import RedialableConnection, behind_pooler
from .lock import PostgreSQLLock

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ...schema.dump import SchemaDump
    from ...schema.model import Schema
    from ...schema.render import Renderer
    from ...url import DatabaseURL
    from ..client_script import ClientScript
    from ..lexing import SplitRules


class PostgreSQLDialect(Dialect):
    """PostgreSQL 11+ through psycopg 3."""

    name = "postgresql"
    transactional_ddl = True
    driver_module = "psycopg"
    extra = "postgres"
    sqlalchemy_url = "postgresql+psycopg://"
    namespace = "schema"
    scratch_session = ("SET synchronous_commit TO off",)
    lock = PostgreSQLLock()

    def connect(self, url: DatabaseURL, timeout: float) -> Connection:
        psycopg = self.import_driver()
        # No prepared statements unless the URL asks: PgBouncer (before 1.21) in transaction
        # pooling sends a later EXECUTE to another server connection ("_pg3_0" does not exist).
        params: dict[str, Any] = {
            "connect_timeout": max(2, int(min(timeout, 10))),
            "prepare_threshold": None,
        }
        params.update(psycopg_params(url.query))
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

    def connect_session(self, url: DatabaseURL, timeout: float) -> Connection:
        # Behind a session pooler the run's connection hangs up while it waits for the lock.
        return RedialableConnection(lambda: self.connect(url, timeout))

    def adopt(self, conn: Connection, timeout: float) -> Any:
        saved = conn.autocommit
        if not saved:
            conn.commit()
            conn.autocommit = True
        return saved

    def restore(self, conn: Connection, saved: Any) -> None:
        conn.autocommit = saved

    def begin(self, conn: Connection) -> None:
        conn.execute("BEGIN")
        if int(conn.info.server_version) >= 140000:
            # If this process dies in the middle of a long statement, its backend notices
            # within a second and rolls the migration back, instead of running the statement
            # to its end with the table locked. SET LOCAL: it ends with the transaction, so
            # nothing stays on a pooled server connection (PostgreSQL 14+).
            conn.execute(f"SET LOCAL client_connection_check_interval = '{_CHECK_MS}ms'")

    def driver_errors(self) -> tuple[type[BaseException], ...]:
        import psycopg

        return (psycopg.Error,)

    def not_there_yet(self, exc: BaseException) -> bool:
        return getattr(exc, "sqlstate", None) == "42P01"  # undefined_table

    def describe_error(self, exc: BaseException) -> str:
        diag = getattr(exc, "diag", None)
        primary = getattr(diag, "message_primary", None)
        text = primary or (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        sqlstate = getattr(exc, "sqlstate", None)
        if text.strip() == "query_wait_timeout":
            text += (
                " (PgBouncer found no free server connection in time: a run holds one for the "
                "migration lock and needs another for the migrations, so the pool needs at least "
                "two per concurrent run: raise default_pool_size)"
            )
        return f"{text} (SQLSTATE {sqlstate})" if sqlstate else " ".join(text.split())

    def error_offset(self, exc: BaseException) -> int | None:
        position = getattr(getattr(exc, "diag", None), "statement_position", None)
        return int(position) - 1 if position else None

    def qualify(self, conn: Connection, namespace: str | None, table: str) -> str:
        if namespace is None:
            # The schema of the table PostgreSQL itself finds on the search_path, as Django's
            # and Alembic's unqualified queries do; else the schema CREATE TABLE would use.
            # Not simply current_schema(): creating a schema named after the login role (first
            # on the default "$user", public path) would then hide the history in public, and
            # the next up re-ran every migration into the new schema (issue 15, item 2).
            row = conn.execute(_FOUND_OR_CURRENT_SCHEMA, (self.quote(table),)).fetchone()
            namespace = row[0] if row and row[0] else "public"
        return f"{self.quote(namespace)}.{self.quote(table)}"

    def namespace_exists(self, conn: Connection, namespace: str) -> bool:
        return conn.execute(_SCHEMA_EXISTS, (namespace,)).fetchone() is not None

    def enter_namespace(self, conn: Connection, namespace: str) -> Any:
        saved, backend = conn.execute(
            "SELECT current_setting('search_path'), pg_backend_pid()"
        ).fetchone()
        if behind_pooler(conn, backend):
            # A session search_path would stay on a server connection the pooler then gives
            # to other clients (and the next statement may reach another one): set it inside
            # each migration's transaction instead.
            return PER_TRANSACTION
        conn.execute(
            "SELECT set_config('search_path', %s, false)", (_first(self, namespace, saved),)
        )
        return saved

    def leave_namespace(self, conn: Connection, saved: Any) -> None:
        if saved is not PER_TRANSACTION:
            conn.execute("SELECT set_config('search_path', %s, false)", (saved,))

    def namespace_in_transaction(self, conn: Connection, namespace: str) -> None:
        (path,) = conn.execute("SELECT current_setting('search_path')").fetchone()
        conn.execute("SELECT set_config('search_path', %s, true)", (_first(self, namespace, path),))

    # -- the parts only some commands need ---------------------------------------------------

    def split_rules(self) -> SplitRules:
        from .lexer import RULES

        return RULES

    def renderer(self) -> Renderer:
        from .ddl import PostgreSQLRenderer

        return PostgreSQLRenderer()

    def read_schema(self, conn: Connection) -> Schema:
        from .introspect import read_schema

        return read_schema(conn)

    def client_script(self) -> ClientScript:
        from .client_script import PsqlScript

        return PsqlScript()

    def object_queries(self) -> tuple[str, ...]:
        from .introspect import OBJECT_QUERIES

        return OBJECT_QUERIES

    def dump_schema(self, conn: Connection) -> SchemaDump:
        from .dump import dump_schema

        return dump_schema(conn)


_FOUND_OR_CURRENT_SCHEMA = (
    "SELECT coalesce((SELECT n.nspname FROM pg_catalog.pg_class c "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.oid = pg_catalog.to_regclass(%s)), current_schema())"
)
_SCHEMA_EXISTS = "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = %s"

# How often a backend running a migration checks that Goofer is still there (PostgreSQL 14+).
_CHECK_MS = 1000

# psycopg's own connect() arguments, which libpq does not know: Goofer sets these up itself.
_SET_BY_GOOFER = ("autocommit", "row_factory", "cursor_factory", "context")


def psycopg_params(query: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """Return the URL's query parameters as psycopg.connect() takes them, or raise naming one.

    They are libpq options, passed as text, except ``prepare_threshold`` (psycopg's: after how
    many runs a query is prepared on the server; ``none`` never prepares, as a pooler in
    transaction mode needs), which becomes a number or None.
    """
    params: dict[str, Any] = dict(query)
    for name in _SET_BY_GOOFER:
        if name in params:
            raise ConfigurationError(
                f"database URL: query parameter {name}: Goofer sets the connection's {name} "
                "itself; remove it"
            )
    if "prepare_threshold" in params:
        text = str(params["prepare_threshold"]).strip()
        if text.lower() == "none":
            params["prepare_threshold"] = None
        elif text.isdigit():
            params["prepare_threshold"] = int(text)
        else:
            raise ConfigurationError(
                f"database URL: query parameter prepare_threshold: {text!r} is not a number "
                "(0 or more) or none"
            )
    return params


def _first(dialect: Dialect, namespace: str, path: str) -> str:
    """Return the search_path with ``namespace`` first.

    Prepended, not alone: objects a tenant's migrations use from the rest of the path
    (extensions' types and functions in public) still resolve.
    """
    return dialect.quote(namespace) + (f", {path}" if path else "")
