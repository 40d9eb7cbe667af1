"""What Goofer needs from a database: one ``Dialect`` subclass each, no name checks elsewhere.

A dialect's package holds everything about that database: its ``__init__`` the connection,
transactions and tracking table, ``lock.py`` the run lock, ``lexer.py`` how scripts split into
statements, ``ddl.py`` how schema changes are written, ``introspect.py`` how the schema is read
back. The engine reads the capability flags below, never a dialect's name.
"""

from __future__ import annotations

from ..errors import ConfigurationError, DriverMissingError, LockTimeoutError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime
    from typing import Any, ClassVar

    from ..schema.dump import SchemaDump
    from ..schema.model import Schema
    from ..schema.render import Renderer
    from ..url import DatabaseURL
    from .client_script import ClientScript
    from .lexing import SplitRules

    # A DB-API 2.0 connection. The drivers ship no common type, so the engine treats it as Any.
    Connection = Any
else:
    Connection = object  # importable at run time; only ever used in annotations


def plain_identifier(part: str) -> bool:
    """Return whether ``part`` is ``[A-Za-z_][A-Za-z0-9_]{0,62}`` (checked without ``re``)."""
    letters_digits = part.replace("_", "") or "_"
    return (
        0 < len(part) <= 63
        and part.isascii()
        and not part[0].isdigit()
        and (letters_digits == "_" or letters_digits.isalnum())
    )


#: What ``Dialect.enter_namespace`` returns when the connection cannot keep a session setting
#: (it goes through a connection pooler, which may hand its server connection to other clients):
#: the namespace is then set inside each migration's transaction instead.
PER_TRANSACTION = "<per transaction>"


def check_table_name(table: str) -> str:
    """Return ``table`` if it is ``name`` or ``schema.name`` of plain identifiers, else raise.

    Each part is ``[A-Za-z_][A-Za-z0-9_]{0,62}``; whether the dialect has schemas is checked
    when the Migrator is built (``Dialect.namespace``).
    """
    parts = table.split(".")
    if not (len(parts) <= 2 and all(plain_identifier(part) for part in parts)):
        raise ConfigurationError(
            f"tracking table name {table!r}: use letters, digits and _ (at most 63 "
            "characters), as NAME or SCHEMA.NAME"
        )
    return table


def split_table_name(table: str) -> tuple[str | None, str]:
    """Return (schema or None, name) of a tracking table name checked by ``check_table_name``."""
    namespace, dot, name = check_table_name(table).rpartition(".")
    return (namespace if dot else None), name


class RunLock:
    """The lock that lets one process at a time migrate a database (``dialect.lock``)."""

    def acquire(self, conn: Connection, qualified_table: str, timeout: float) -> Any:
        """Take the lock, waiting at most ``timeout`` seconds; return a token for ``release``.

        Raises LockTimeoutError naming the lock when the wait runs out; nothing is left
        waiting on the server afterwards.
        """
        raise NotImplementedError

    def try_acquire(self, conn: Connection, qualified_table: str, timeout: float) -> Any:
        """Take the lock if it is free and return the token; return None if another holds it.

        ``timeout`` is the wait a later ``acquire`` would allow: a connection setting that
        bounds waits (SQLite's busy timeout) is left at it, not at zero.
        """
        try:
            return self.acquire(conn, qualified_table, 0)
        except LockTimeoutError:
            return None

    def release(self, conn: Connection, token: Any) -> None:
        """Release the lock; raise GooferError if the server says it was not held."""
        raise NotImplementedError

    def suspend(self, conn: Connection, token: Any) -> None:
        """Step out of the lock's transaction, if it is one, so a no-transaction migration runs."""

    def resume(self, conn: Connection, token: Any, timeout: float) -> None:
        """Step back in after ``suspend``."""

    def confirm(self, token: Any) -> None:
        """Raise GooferError if the lock is known to be lost; called before each commit.

        Only a lock held on a connection of its own can be lost while the run goes on.
        """


class Dialect:
    """A database family: how to connect, lock, run transactions, split, render and read schemas."""

    name: ClassVar[str]
    #: DDL can be rolled back, so a migration and its tracking row commit together.
    transactional_ddl: ClassVar[bool]
    #: A scratch database (generate, check, verify) can live in memory instead of on a server.
    scratch_in_memory: ClassVar[bool] = False
    #: Statements run first on a connection to a scratch database (it is thrown away: no need
    #: to wait for its commits to reach the disk).
    scratch_session: ClassVar[tuple[str, ...]] = ()
    #: What the first part of a ``SCHEMA.NAME`` tracking table names, in the user's words
    #: ("schema", "database"); None where the tracking table cannot be qualified (SQLite).
    namespace: ClassVar[str | None] = None
    #: The DB-API paramstyle marker used in the tracking table's queries.
    placeholder: ClassVar[str] = "%s"
    driver_module: ClassVar[str]
    extra: ClassVar[str]
    #: SQLAlchemy's URL scheme for this database with Goofer's driver (for models' tables).
    sqlalchemy_url: ClassVar[str]
    #: The run lock (``lock.py`` of the dialect's package).
    lock: ClassVar[RunLock]

    # -- connections -------------------------------------------------------------------------

    def import_driver(self) -> Any:
        """Import and return the driver module, or raise naming the extra to install."""
        try:
            return __import__(self.driver_module, fromlist=["_"])
        except ImportError:
            raise DriverMissingError(self.name, self.driver_module, self.extra) from None

    def connect(self, url: DatabaseURL, timeout: float) -> Connection:
        """Open a connection in autocommit mode; ``timeout`` bounds the connect and lock waits."""
        raise NotImplementedError

    def connect_session(self, url: DatabaseURL, timeout: float) -> Connection:
        """Open the connection of one Migrator call (``connect``'s, unless the lock needs more)."""
        return self.connect(url, timeout)

    def adopt(self, conn: Connection, timeout: float) -> Any:
        """Put a caller's connection in autocommit mode; return a value for ``restore``."""
        raise NotImplementedError

    def restore(self, conn: Connection, saved: Any) -> None:
        """Undo ``adopt`` so the caller gets its connection back as it was."""
        raise NotImplementedError

    def driver_errors(self) -> tuple[type[BaseException], ...]:
        """Return the exception classes the driver raises for database errors."""
        raise NotImplementedError

    def script_size_problem(self, conn: Connection, size: int) -> str | None:
        """Return why a script of ``size`` bytes cannot be stored in the tracking table, or None.

        Asked once per run, for the largest script to apply.
        """
        return None

    def not_there_yet(self, exc: BaseException) -> bool:
        """Return whether ``exc``, raised reading a table without the lock, means "not yet".

        That is: the table does not exist (or, on SQLite, the file is locked for a moment).
        Anything else, such as a missing permission, is an error to report.
        """
        raise NotImplementedError

    def describe_error(self, exc: BaseException) -> str:
        """Return the database's one-line message for ``exc`` (with its error code)."""
        return " ".join(str(exc).split())

    def run_statement(self, cursor: Any, sql: str) -> None:
        """Execute one statement and surface every error it raises."""
        cursor.execute(sql)

    def error_offset(self, exc: BaseException) -> int | None:
        """Return the 0-based character offset of the error in the statement, if known."""
        return None

    # -- SQL text and the tracking table -----------------------------------------------------

    def quote(self, identifier: str) -> str:
        """Quote an identifier by doubling the quote character."""
        return '"' + identifier.replace('"', '""') + '"'

    def tracking_table_parts(self, table: str) -> tuple[str | None, str]:
        """Return (schema or None, name) of the tracking table; refuse a schema it cannot have."""
        namespace, name = split_table_name(table)
        if namespace is not None and self.namespace is None:
            raise ConfigurationError(
                f"tracking table {table}: {self.name} has no schemas; "
                "use a plain name (letters, digits and _)"
            )
        return namespace, name

    def timestamp_param(self, value: datetime) -> Any:
        """Return a naive UTC datetime in the form the driver stores in a TIMESTAMP column."""
        return value

    def tracking_table_ddl(self, table: str) -> str:
        """Return the CREATE TABLE statement for the tracking table (``table`` is quoted)."""
        return (
            f"CREATE TABLE IF NOT EXISTS {table} (\n"
            "    id VARCHAR(255) PRIMARY KEY,\n"
            "    name VARCHAR(255) NOT NULL,\n"
            "    applied_at TIMESTAMP NOT NULL,\n"
            "    script TEXT NOT NULL,\n"
            "    checksum VARCHAR(32) NOT NULL,\n"
            "    state VARCHAR(16) NOT NULL DEFAULT 'applied',\n"
            "    statements_done INTEGER NOT NULL DEFAULT 0,\n"
            "    error TEXT\n"
            ")"
        )

    def qualify(self, conn: Connection, namespace: str | None, table: str) -> str:
        """Return the tracking table's SQL name, pinned to one schema or database.

        Called once per run, when the lock is taken, for a plain name (a qualified one needs no
        query). It must resolve ``table`` by the rule the database applies to the unqualified
        name, which the lock-free check reads before it: then the check, the locked path and
        every command read and write one table whatever the search_path, and a migration that
        changes ``search_path`` or runs ``USE other`` cannot make Goofer record elsewhere.
        ``namespace`` is the schema the user named (only where ``self.namespace`` is set).
        """
        return self.quote(table)

    def namespace_exists(self, conn: Connection, namespace: str) -> bool:
        """Return whether the schema (or database) ``namespace`` exists.

        Asked only when a qualified tracking table cannot be read, to say why in one line.
        """
        return True

    def enter_namespace(self, conn: Connection, namespace: str) -> Any:
        """Make ``namespace`` where a migration's unqualified names are created and looked up.

        For a tenant's migrations, just before they run; returns a value for
        ``leave_namespace``, which sets the connection back as it was.
        """
        raise NotImplementedError

    def leave_namespace(self, conn: Connection, saved: Any) -> None:
        """Undo ``enter_namespace``."""
        raise NotImplementedError

    def namespace_in_transaction(self, conn: Connection, namespace: str) -> None:
        """Make ``namespace`` current for the migration transaction just begun, until it ends.

        Called only after ``enter_namespace`` returned ``PER_TRANSACTION``.
        """
        raise NotImplementedError

    # -- transactions ------------------------------------------------------------------------

    def begin(self, conn: Connection) -> None:
        """Start the transaction that holds one migration and its tracking row."""
        conn.cursor().execute("BEGIN")

    def commit(self, conn: Connection) -> None:
        """Commit the migration transaction."""
        conn.cursor().execute("COMMIT")

    def rollback(self, conn: Connection) -> None:
        """Roll back the migration transaction."""
        conn.cursor().execute("ROLLBACK")

    # -- the parts only some commands need (imported on first use) ---------------------------

    def split_rules(self) -> SplitRules:
        """Return how this dialect's scripts split into statements (``lexer.py``)."""
        raise NotImplementedError

    def renderer(self) -> Renderer:
        """Return the writer of this dialect's DDL (``ddl.py``)."""
        raise NotImplementedError

    def read_schema(self, conn: Connection) -> Schema:
        """Return the schema of the database behind ``conn`` (``introspect.py``)."""
        raise NotImplementedError

    def client_script(self) -> ClientScript:
        """Return how SQL files for this dialect's command-line client are written.

        (``client_script.py``; used by ``sql --offline``.)
        """
        raise NotImplementedError

    def object_queries(self) -> tuple[str, ...]:
        """Return queries for the objects ``verify`` compares beyond the schema model.

        Each returns (kind, table, name, definition) rows for the current schema or database:
        views, functions, triggers, sequences, types, indexes the model leaves out.
        """
        raise NotImplementedError

    def dump_schema(self, conn: Connection) -> SchemaDump:
        """Return DDL that creates the schema behind ``conn``, and DDL that drops it (``dump.py``).

        ``squash`` writes it as one migration, so it covers what ``verify`` compares.
        """
        raise NotImplementedError
