"""Entities from your models: the ORM creates its tables in a scratch database, Goofer reads them.

An application's ORM already declares its tables (SQLAlchemy models, Django models). Rather
than translate each ORM's types, defaults and constraint names by hand, Goofer lets the ORM
create its tables in an empty scratch database of the target dialect, exactly as the ORM
would create them, and reads that schema back with the same reader that reads what the
migrations produce. Both sides of the diff are then the database's own account of a schema, so
the diff has no false positives, and the generated SQL gives the columns the types the ORM
chose. Where Goofer's schema model cannot hold something the ORM declares (an expression
index, a computed column, a second schema...), the source says so, naming the table and column,
before anything is created.
"""

from __future__ import annotations

from ..errors import GooferError
from ..migrations.base import SchemaBase, stand_on
from ..migrations.scratch import SHADOW_PREFIX, scratch_connection

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Protocol

    from ..dialects import Connection, Dialect
    from ..schema.model import Schema
    from ..url import DatabaseURL

    class ModelSource(Protocol):
        """Tables an ORM declares (SQLAlchemy metadata, Django models)."""

        @property
        def label(self) -> str:
            """Return how messages name this source: ``SQLAlchemy metadata shop.models:db``."""
            ...

        def table_names(self) -> list[str]:
            """Return the names of the tables it declares."""
            ...

        def check(self, dialect: Dialect) -> None:
            """Raise ModelDefinitionError for what Goofer cannot represent, naming it."""
            ...

        def create_tables(self, conn: Connection, dialect: Dialect) -> None:
            """Create its tables on ``conn`` (an empty scratch database), as the ORM would."""
            ...


class ModelDefinitionError(GooferError):
    """A model declares what Goofer cannot generate; the message names the table and column."""

    def __init__(self, source: str, table: str, column: str | None, problem: str) -> None:
        self.source = source
        self.table = table
        self.column = column
        self.problem = problem
        subject = f"{table}.{column}: " if column else f"{table}: " if table else ""
        super().__init__(f"{source}: {subject}{problem}")


def models_schema(
    sources: Sequence[ModelSource],
    dialect: Dialect,
    server: DatabaseURL | None,
    prefix: str = SHADOW_PREFIX,
    base: SchemaBase | None = None,
) -> Schema:
    """Return the schema the sources' tables have when their ORMs create them on ``dialect``.

    They are created on top of ``base`` (their foreign keys may point at its tables), whose
    own tables are left out.
    """
    for source in sources:
        source.check(dialect)
    with scratch_connection(dialect.name, server, prefix) as conn:
        base_tables = stand_on(conn, dialect, base)
        for source in sources:
            source.create_tables(conn, dialect)
        return dialect.read_schema(conn).without_tables(base_tables)


def table_owners(entities: dict[str, str], sources: Sequence[ModelSource]) -> dict[str, str]:
    """Return {table: who declares it}; raise naming both when two declare one table.

    ``entities`` is {table: "entity Author"} for the dataclass entities.
    """
    owners = dict(entities)
    for source in sources:
        for table in source.table_names():
            other = owners.get(table)
            if other is not None:
                raise GooferError(
                    f"table {table} is declared twice: by {other} and by {source.label}"
                )
            owners[table] = source.label
    return owners
