"""The schema the migrations directory produces: replay the up files into a scratch database.

SQLite replays into memory. PostgreSQL and MySQL replay into a throwaway database created on
the server of the given URL and always dropped afterwards, even when a statement fails.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple

from ..dialects import get_dialect
from ..errors import ConfigurationError, GooferError
from ..schema.model import Schema
from ..url import DatabaseURL
from .base import SchemaBase, stand_on
from .files import MigrationFile
from .split import split_statements

CONNECT_TIMEOUT = 10.0
SHADOW_PREFIX = "goofer_shadow_"


class ShadowDatabaseError(GooferError):
    """The scratch database could not be made, or a migration failed when replayed into it."""


def check_prefix(prefix: str) -> str:
    """Return ``prefix`` if scratch database names can start with it, else raise naming it."""
    if not (
        prefix
        and len(prefix) <= 40
        and prefix.isascii()
        and not prefix[0].isdigit()
        and not prefix.lower().strip("abcdefghijklmnopqrstuvwxyz0123456789_")
    ):
        raise ConfigurationError(
            f"scratch database prefix {prefix!r} (--shadow-prefix / GOOFER_SHADOW_PREFIX): use "
            "letters, digits and _, at most 40 characters, not starting with a digit"
        )
    return prefix


@contextmanager
def scratch_connection(
    dialect_name: str, server: DatabaseURL | None, prefix: str = SHADOW_PREFIX
) -> Iterator[Any]:
    """Yield an autocommit connection to an empty scratch database, dropped afterwards.

    On a server the database is called ``prefix`` plus 12 random hex digits.
    """
    dialect = get_dialect(dialect_name)
    if dialect.scratch_in_memory:
        conn = dialect.connect(DatabaseURL(dialect.name, ":memory:"), CONNECT_TIMEOUT)
        try:
            yield conn
        finally:
            conn.close()
        return
    if server is None:
        raise ShadowDatabaseError(
            f"generate on {dialect.name} needs a server for its scratch database: "
            "set --database-url / GOOFER_DATABASE_URL or --shadow-url / GOOFER_SHADOW_DATABASE_URL"
        )
    name = check_prefix(prefix) + uuid.uuid4().hex[:12]
    _admin(dialect_name, server, f"CREATE DATABASE {dialect.quote(name)}")
    try:
        conn = dialect.connect(server.with_database(name), CONNECT_TIMEOUT)
        try:
            for statement in dialect.scratch_session:
                conn.cursor().execute(statement)
            yield conn
        finally:
            conn.close()
    finally:
        _admin(dialect_name, server, f"DROP DATABASE IF EXISTS {dialect.quote(name)}")


def _admin(dialect_name: str, server: DatabaseURL, sql: str) -> None:
    dialect = get_dialect(dialect_name)
    conn = dialect.connect(server, CONNECT_TIMEOUT)
    try:
        conn.cursor().execute(sql)
    except dialect.driver_errors() as exc:
        raise ShadowDatabaseError(
            f"scratch database on {server}: {sql.split(' ')[0].lower()} failed: "
            f"{dialect.describe_error(exc)}"
        ) from None
    finally:
        conn.close()


def replay(conn: Any, dialect_name: str, migrations: Sequence[MigrationFile]) -> None:
    """Run every up file into ``conn``, one statement at a time, in id order."""
    dialect = get_dialect(dialect_name)
    cursor = conn.cursor()
    for migration in migrations:
        for statement in split_statements(migration.up_sql, dialect):
            try:
                cursor.execute(statement.sql)
                if cursor.description:
                    cursor.fetchall()
            except dialect.driver_errors() as exc:
                raise ShadowDatabaseError(
                    f"{migration.up_filename}: statement {statement.number} "
                    f"(line {statement.line}) failed in the scratch database: "
                    f"{dialect.describe_error(exc)}"
                ) from None


class Replayed(NamedTuple):
    """The schema the migrations produce, and the tables of the base they stand on."""

    schema: Schema
    base_tables: frozenset[str]


def migrations_schema(
    dialect_name: str,
    migrations: Sequence[MigrationFile],
    server: DatabaseURL | None,
    prefix: str = SHADOW_PREFIX,
    base: SchemaBase | None = None,
) -> Replayed:
    """Return the schema that applying every up file to ``base`` (else nothing) produces.

    The base's tables are not in the schema returned: they are not the migrations'.
    """
    dialect = get_dialect(dialect_name)
    with scratch_connection(dialect_name, server, prefix) as conn:
        base_tables = stand_on(conn, dialect, base)
        replay(conn, dialect_name, migrations)
        return Replayed(dialect.read_schema(conn).without_tables(base_tables), base_tables)
