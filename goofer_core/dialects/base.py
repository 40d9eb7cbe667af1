"""What the engine needs from a database: one subclass per dialect, no name checks elsewhere."""

from __future__ import annotations

from ..errors import ConfigurationError, DriverMissingError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime
    from typing import Any, ClassVar

    from ..url import DatabaseURL

    # A DB-API 2.0 connection. The drivers ship no common type, so the engine treats it as Any.
    Connection = Any
else:
    Connection = object  # importable at run time; only ever used in annotations


def check_table_name(table: str) -> str:
    """Return ``table`` if it is a plain identifier usable on every dialect, else raise.

    ``[A-Za-z_][A-Za-z0-9_]{0,62}``, checked without ``re`` (not imported at boot).
    """
    letters_digits = table.replace("_", "") or "_"
    if not (0 < len(table) <= 63 and table.isascii() and not table[0].isdigit()
            and (letters_digits == "_" or letters_digits.isalnum())):
        raise ConfigurationError(
            f"tracking table name {table!r}: use letters, digits and _ (at most 63 characters)"
        )
    return table


class Dialect:
    """A database family: how to connect, lock, run transactions and keep the tracking table."""

    name: ClassVar[str]
    #: DDL can be rolled back, so a migration and its tracking row commit together.
    transactional_ddl: ClassVar[bool]
    #: The run lock is itself a transaction (SQLite); migrations then nest as savepoints.
    lock_is_transaction: ClassVar[bool] = False
    #: The DB-API paramstyle marker used in the tracking table's queries.
    placeholder: ClassVar[str] = "%s"
    driver_module: ClassVar[str]
    extra: ClassVar[str]

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

    def adopt(self, conn: Connection, timeout: float) -> Any:
        """Put a caller's connection in autocommit mode; return a value for ``restore``."""
        raise NotImplementedError

    def restore(self, conn: Connection, saved: Any) -> None:
        """Undo ``adopt`` so the caller gets its connection back as it was."""
        raise NotImplementedError

    def driver_errors(self) -> tuple[type[BaseException], ...]:
        """Return the exception classes the driver raises for database errors."""
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

    # -- SQL text ----------------------------------------------------------------------------

    def quote(self, identifier: str) -> str:
        """Quote an identifier by doubling the quote character."""
        return '"' + identifier.replace('"', '""') + '"'

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

    # -- the run lock ------------------------------------------------------------------------

    def qualify(self, conn: Connection, table: str) -> str:
        """Return the tracking table's SQL name pinned to the current schema or database.

        Called once per run under the lock, so a migration that changes ``search_path`` or
        runs ``USE other`` cannot make Goofer record into another table.
        """
        return self.quote(table)

    def acquire_lock(self, conn: Connection, qualified_table: str, timeout: float) -> Any:
        """Take the run lock, waiting at most ``timeout`` seconds; return a release token.

        Raises LockTimeoutError naming the lock when the wait runs out; nothing is left
        waiting on the server afterwards.
        """
        raise NotImplementedError

    def release_lock(self, conn: Connection, token: Any) -> None:
        """Release the run lock; raise GooferError if the server says it was not held."""
        raise NotImplementedError

    def suspend_lock(self, conn: Connection, token: Any) -> None:
        """Leave the lock's transaction so a no-transaction migration can run (SQLite)."""

    def resume_lock(self, conn: Connection, token: Any, timeout: float) -> None:
        """Re-enter the lock after ``suspend_lock``."""
