"""MySQL and MariaDB through PyMySQL: DDL commits implicitly, so progress is recorded per statement.

Every DDL statement commits the open transaction before and after it, even when it fails
(https://dev.mysql.com/doc/refman/8.0/en/implicit-commit.html). A migration therefore cannot be
rolled back as a whole; the engine records how far it got instead. Statements are sent one per
``execute`` because with multi-statements PyMySQL reports a later statement's error only through
``nextset()`` (PyMySQL#1089).
"""

from __future__ import annotations

from ...errors import ConfigurationError, DatabaseConnectError
from ...redaction import redact
from ..base import Connection, Dialect
from .lock import MySQLLock
from .options import connection_options

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ...schema.dump import SchemaDump
    from ...schema.model import Schema
    from ...schema.render import Renderer
    from ...url import DatabaseURL
    from ..client_script import ClientScript
    from ..lexing import SplitRules


# Room for the rest of the tracking row's INSERT beside the script.
_ROW_OVERHEAD = 4096


class MySQLDialect(Dialect):
    """MySQL 5.7+ and MariaDB 10.3+ through PyMySQL."""

    name = "mysql"
    transactional_ddl = False
    driver_module = "pymysql"
    extra = "mysql"
    sqlalchemy_url = "mysql+pymysql://"
    namespace = "database"
    lock = MySQLLock()

    def connect(self, url: DatabaseURL, timeout: float) -> Connection:
        pymysql = self.import_driver()
        params: dict[str, Any] = {"connect_timeout": max(1, int(min(timeout, 10)))}
        params.update(connection_options(url.query))
        charset = params.pop("charset", "utf8mb4")
        if pymysql.charset.charset_by_name(charset) is None:
            raise ConfigurationError(
                f"database URL: query parameter charset: {charset!r} is not a character set "
                "PyMySQL knows"
            )
        # PyMySQL's connect_timeout covers only the TCP connect: a listener that never sends
        # the greeting (not a MySQL server, a stuck proxy) hung forever. Bound the greeting and
        # login reads too, then lift that bound unless the URL asked for a read_timeout.
        read_timeout = params.get("read_timeout")
        params["read_timeout"] = read_timeout or params["connect_timeout"]
        try:
            conn = pymysql.connect(
                host=url.host or "localhost",
                port=url.port or 3306,
                user=url.user or "root",
                # As bytes: PyMySQL would encode a str as Latin-1, so a password with a
                # character outside it (€) failed to encode, and one inside it (ä) was sent
                # otherwise than the mysql client sends it. UTF-8 is what that client sends.
                password=(url.password or "").encode("utf-8"),
                database=url.database,
                autocommit=True,
                charset=charset,
                **params,
            )
        except pymysql.MySQLError as exc:
            message = redact(self.describe_error(exc), *url.secrets())
            raise DatabaseConnectError(f"cannot connect to {url}: {message}") from None
        except (TypeError, ValueError, AttributeError, KeyError) as exc:
            # PyMySQL checks some values only as it connects (charset=bogus: AttributeError).
            given = ", ".join(key for key, _ in url.query) or "none"
            message = redact(str(exc), *url.secrets())
            raise ConfigurationError(
                f"database URL: PyMySQL refused the connection options (given: {given}): {message}"
            ) from None
        if read_timeout is None:
            conn._read_timeout = None  # PyMySQL sets its socket's timeout from it at each read
        return conn

    def adopt(self, conn: Connection, timeout: float) -> Any:
        saved = conn.get_autocommit()
        conn.autocommit(True)
        return saved

    def restore(self, conn: Connection, saved: Any) -> None:
        conn.autocommit(saved)

    def driver_errors(self) -> tuple[type[BaseException], ...]:
        import pymysql

        return (pymysql.MySQLError,)

    def script_size_problem(self, conn: Connection, size: int) -> str | None:
        # The tracking row carries the script in one INSERT, which must fit in one packet for
        # both the server and PyMySQL (whose own limit is the URL's ?max_allowed_packet=).
        with conn.cursor() as cur:
            cur.execute("SELECT @@max_allowed_packet")
            (server,) = cur.fetchone()
        limit = min(int(server), int(getattr(conn, "max_allowed_packet", server)))
        if size + _ROW_OVERHEAD <= limit:
            return None
        return (
            f"{size / 2**20:.1f} MiB is more than max_allowed_packet ({limit / 2**20:.1f} MiB) "
            "lets Goofer record in the tracking table, so nothing was applied: raise "
            "max_allowed_packet on the server (and ?max_allowed_packet= in the URL), or split "
            "the migration"
        )

    def not_there_yet(self, exc: BaseException) -> bool:
        args: tuple[Any, ...] = getattr(exc, "args", ())
        return bool(args) and args[0] == 1146  # ER_NO_SUCH_TABLE

    def describe_error(self, exc: BaseException) -> str:
        args: tuple[Any, ...] = getattr(exc, "args", ())
        if len(args) >= 2 and isinstance(args[0], int):
            return f"({args[0]}) {' '.join(str(args[1]).split())}"
        return " ".join(str(exc).split()) or type(exc).__name__

    def run_statement(self, cursor: Any, sql: str) -> None:
        # A CALL returns several result sets; an error in a later one only shows up while
        # reading them (PyMySQL#1089), so drain them all here.
        cursor.execute(sql)
        while cursor.nextset():
            pass

    def quote(self, identifier: str) -> str:
        return "`" + identifier.replace("`", "``") + "`"

    def tracking_table_ddl(self, table: str) -> str:
        return (
            f"CREATE TABLE IF NOT EXISTS {table} (\n"
            "    id VARCHAR(255) NOT NULL PRIMARY KEY,\n"
            "    name VARCHAR(255) NOT NULL,\n"
            "    applied_at DATETIME(6) NOT NULL,\n"
            "    script LONGTEXT NOT NULL,\n"
            "    checksum VARCHAR(32) NOT NULL,\n"
            "    state VARCHAR(16) NOT NULL DEFAULT 'applied',\n"
            "    statements_done INT NOT NULL DEFAULT 0,\n"
            "    error TEXT\n"
            ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
        )

    def qualify(self, conn: Connection, namespace: str | None, table: str) -> str:
        if namespace is None:
            with conn.cursor() as cur:
                cur.execute("SELECT DATABASE()")
                (namespace,) = cur.fetchone()
            if namespace is None:
                raise ConfigurationError(
                    f"tracking table {table}: no database selected: name one in the database "
                    f"URL, or use --table DATABASE.{table}"
                )
        return f"{self.quote(namespace)}.{self.quote(table)}"

    def namespace_exists(self, conn: Connection, namespace: str) -> bool:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s", (namespace,)
            )
            return cur.fetchone() is not None

    def enter_namespace(self, conn: Connection, namespace: str) -> Any:
        with conn.cursor() as cur:
            cur.execute("SELECT DATABASE()")
            (saved,) = cur.fetchone()
            cur.execute(f"USE {self.quote(namespace)}")
        return saved

    def leave_namespace(self, conn: Connection, saved: Any) -> None:
        if saved is not None:  # a connection without a database cannot go back to none
            with conn.cursor() as cur:
                cur.execute(f"USE {self.quote(saved)}")

    # -- the parts only some commands need ---------------------------------------------------

    def split_rules(self) -> SplitRules:
        from .lexer import RULES

        return RULES

    def renderer(self) -> Renderer:
        from .ddl import MySQLRenderer

        return MySQLRenderer()

    def read_schema(self, conn: Connection) -> Schema:
        from .introspect import read_schema

        return read_schema(conn)

    def client_script(self) -> ClientScript:
        from .client_script import MysqlClientScript

        return MysqlClientScript()

    def object_queries(self) -> tuple[str, ...]:
        from .introspect import OBJECT_QUERIES

        return OBJECT_QUERIES

    def dump_schema(self, conn: Connection) -> SchemaDump:
        from .dump import dump_schema

        return dump_schema(conn)
