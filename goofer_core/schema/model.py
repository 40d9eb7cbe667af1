"""The schema model: frozen dataclasses for tables, columns and constraints, dialect-neutral."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

# The column kinds Goofer generates; "other" holds a type written by hand that it does not know.
TypeKind = Literal[
    "integer",
    "bigint",
    "smallint",
    "string",
    "text",
    "boolean",
    "float",
    "decimal",
    "datetime",
    "date",
    "time",
    "binary",
    "uuid",
    "json",
    "other",
]
DefaultKind = Literal["literal", "now", "sql"]
OnDelete = Literal["NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"]
ON_DELETE_ACTIONS: tuple[str, ...] = ("NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT")


@dataclass(frozen=True)
class ColumnType:
    """A column's type: a kind plus its length (string) or precision and scale (decimal)."""

    kind: TypeKind
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    raw: str | None = None  # the database's own spelling, for kind "other"

    def describe(self) -> str:
        """Return a short human-readable form such as ``string(50)``."""
        if self.kind == "string":
            return f"string({self.length})"
        if self.kind == "decimal":
            return f"decimal({self.precision},{self.scale})"
        if self.kind == "other":
            return self.raw or "other"
        return self.kind


@dataclass(frozen=True)
class Default:
    """A column default: a canonical literal text, the current timestamp, or an SQL expression."""

    kind: DefaultKind
    value: str = ""

    def key(self) -> tuple[str, str]:
        """Return what two defaults are compared by (SQL is compared loosely)."""
        if self.kind == "sql":
            return (self.kind, normalise_sql(self.value))
        return (self.kind, self.value)


def normalise_sql(text: str) -> str:
    """Return SQL text lower-cased, without whitespace and without enclosing parentheses."""
    compact = re.sub(r"\s+", "", text.lower())
    while compact.startswith("(") and compact.endswith(")") and _encloses(compact):
        compact = compact[1:-1]
    return compact


def _encloses(text: str) -> bool:
    depth = 0
    for position, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and position < len(text) - 1:
            return False
    return True


@dataclass(frozen=True)
class Column:
    """A table column."""

    name: str
    type: ColumnType
    nullable: bool = True
    default: Default | None = None
    autoincrement: bool = False

    def key(self) -> tuple[object, ...]:
        """Return what two columns of the same name are compared by."""
        default = self.default.key() if self.default is not None else None
        return (self.type, self.nullable, default, self.autoincrement)


@dataclass(frozen=True)
class Index:
    """A (non-unique, unless written by hand) index on columns."""

    name: str
    columns: tuple[str, ...]
    unique: bool = False
    # PostgreSQL operator class per column ("" for the default one); () when all are default
    opclasses: tuple[str, ...] = ()

    def key(self) -> tuple[object, ...]:
        """Return what indexes are matched by (columns, uniqueness, opclasses; not the name)."""
        return (self.columns, self.unique, self.opclasses)


@dataclass(frozen=True)
class UniqueConstraint:
    """A unique constraint; ``name`` is None when the database gave it none (SQLite inline)."""

    name: str | None
    columns: tuple[str, ...]

    def key(self) -> tuple[object, ...]:
        """Return what unique constraints are matched by."""
        return self.columns


@dataclass(frozen=True)
class ForeignKey:
    """A foreign key from ``columns`` to ``ref_table(ref_columns)``."""

    name: str | None
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
    on_delete: str = "NO ACTION"
    deferred: bool = False  # DEFERRABLE INITIALLY DEFERRED (PostgreSQL, SQLite; as Django writes)

    def key(self) -> tuple[object, ...]:
        """Return what foreign keys are matched by (everything but the name)."""
        return (self.columns, self.ref_table, self.ref_columns, self.on_delete, self.deferred)


@dataclass(frozen=True)
class CheckConstraint:
    """A check constraint; matched by name, because databases rewrite the expression."""

    name: str | None
    expression: str

    def key(self) -> str:
        """Return what check constraints are matched by."""
        return self.name if self.name is not None else normalise_sql(self.expression)


@dataclass(frozen=True)
class Table:
    """A table with its columns, keys, indexes and constraints."""

    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    indexes: tuple[Index, ...] = ()
    uniques: tuple[UniqueConstraint, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    checks: tuple[CheckConstraint, ...] = ()
    triggers: tuple[str, ...] = ()  # CREATE TRIGGER text, kept so a rebuild can recreate them
    primary_key_name: str | None = None

    def column(self, name: str) -> Column | None:
        """Return the column called ``name``, or None."""
        return next((c for c in self.columns if c.name == name), None)

    def column_names(self) -> tuple[str, ...]:
        """Return the column names in order."""
        return tuple(c.name for c in self.columns)


@dataclass(frozen=True)
class View:
    """A view kept only so that an SQLite rebuild can drop and recreate it."""

    name: str
    sql: str


@dataclass(frozen=True)
class Schema:
    """A set of tables (and, on SQLite, the views a rebuild must preserve)."""

    tables: tuple[Table, ...] = ()
    views: tuple[View, ...] = ()

    def table(self, name: str) -> Table | None:
        """Return the table called ``name``, or None."""
        return next((t for t in self.tables if t.name == name), None)

    def table_names(self) -> tuple[str, ...]:
        """Return the table names in order."""
        return tuple(t.name for t in self.tables)

    def with_table(self, table: Table) -> Schema:
        """Return this schema with ``table`` replacing the table of that name (or appended)."""
        if self.table(table.name) is None:
            return replace(self, tables=(*self.tables, table))
        tables = tuple(table if t.name == table.name else t for t in self.tables)
        return replace(self, tables=tables)

    def without_table(self, name: str) -> Schema:
        """Return this schema without the table called ``name``."""
        return replace(self, tables=tuple(t for t in self.tables if t.name != name))

    def without_tables(self, names: Iterable[str]) -> Schema:
        """Return this schema without the tables called one of ``names``."""
        skip = set(names)
        return replace(self, tables=tuple(t for t in self.tables if t.name not in skip))

    def map_tables(self, tables: Iterable[Table]) -> Schema:
        """Return this schema with its tables replaced by ``tables``."""
        return replace(self, tables=tuple(tables))


@dataclass(frozen=True)
class RenameHints:
    """Declared renames: new table name -> old, and (table, new column) -> old column."""

    tables: tuple[tuple[str, str], ...] = ()
    columns: tuple[tuple[str, str, str], ...] = ()

    def old_table(self, new: str) -> str | None:
        """Return the declared former name of table ``new``, if any."""
        return next((old for n, old in self.tables if n == new), None)

    def old_column(self, table: str, new: str) -> str | None:
        """Return the declared former name of ``table.new``, if any."""
        return next((old for t, n, old in self.columns if t == table and n == new), None)
