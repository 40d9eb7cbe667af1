"""Turn schema operations into DDL: what every dialect's renderer (``dialects/*/ddl.py``) shares."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import ClassVar

from . import names
from .model import (
    CheckConstraint,
    Column,
    ColumnType,
    Default,
    ForeignKey,
    Index,
    Schema,
    Table,
    UniqueConstraint,
)
from .operations import (
    AddCheck,
    AddColumn,
    AddForeignKey,
    AddUnique,
    AlterColumn,
    CreateIndex,
    CreateTable,
    DropCheck,
    DropColumn,
    DropForeignKey,
    DropIndex,
    DropTable,
    DropUnique,
    Operation,
    RenameColumn,
    RenameTable,
)

_QUOTED_KINDS = ("string", "text", "uuid", "date", "datetime", "time", "json")


@dataclass(frozen=True)
class Step:
    """The statements for one or more operations, with the comment that introduces them."""

    description: str
    destructive: bool
    statements: tuple[str, ...]
    details: tuple[tuple[str, bool], ...] = ()  # (description, destructive) of merged operations

    def destructive_descriptions(self) -> list[str]:
        """Return the descriptions of the destructive changes this step makes."""
        if self.details:
            return [text for text, destructive in self.details if destructive]
        return [self.description] if self.destructive else []


class Renderer:
    """Render operations as DDL for one dialect; subclasses fill in types and ALTER syntax."""

    name: ClassVar[str]
    quote_char: ClassVar[str] = '"'
    max_identifier_bytes: ClassVar[int | None] = None
    max_identifier_chars: ClassVar[int | None] = None
    #: Text, binary and JSON columns may be part of an index, unique or primary key.
    indexes_text_columns: ClassVar[bool] = True
    #: Unique constraints are created and dropped as unique indexes (SQLite).
    unique_as_index: ClassVar[bool] = False
    #: A string literal's backslashes must be doubled (MySQL's default sql_mode).
    backslash_escapes: ClassVar[bool] = False
    #: Column defaults are kept in 3-byte UTF-8, so characters beyond U+FFFF become "?".
    defaults_bmp_only: ClassVar[bool] = False
    true_literal: ClassVar[str] = "TRUE"
    false_literal: ClassVar[str] = "FALSE"

    # -- text --------------------------------------------------------------------------------

    def quote(self, identifier: str) -> str:
        """Return ``identifier`` quoted, the quote character doubled inside."""
        q = self.quote_char
        return q + identifier.replace(q, q + q) + q

    def quote_list(self, identifiers: Sequence[str]) -> str:
        """Return quoted identifiers joined by commas."""
        return ", ".join(self.quote(i) for i in identifiers)

    def string_literal(self, value: str) -> str:
        """Return ``value`` as an SQL string literal."""
        if self.backslash_escapes:
            value = value.replace("\\", "\\\\")
        return "'" + value.replace("'", "''") + "'"

    def type_sql(self, column_type: ColumnType) -> str:
        """Return the SQL spelling of a column type."""
        raise NotImplementedError

    def now_sql(self, column_type: ColumnType) -> str:
        """Return the current-timestamp default expression for a column of this type."""
        return "CURRENT_TIMESTAMP"

    def default_sql(self, column: Column) -> str:
        """Return the DEFAULT clause value for a column (which has a default)."""
        default = column.default
        assert default is not None
        return self.value_sql(column.type, default)

    def value_sql(self, column_type: ColumnType, default: Default) -> str:
        """Return the SQL for a default of a column of ``column_type``."""
        if default.kind == "now":
            return self.now_sql(column_type)
        if default.kind == "sql":
            return f"({default.value})"
        if column_type.kind == "boolean":
            return self.true_literal if default.value == "true" else self.false_literal
        if column_type.kind in _QUOTED_KINDS or column_type.kind == "other":
            return self.string_literal(default.value)
        return default.value

    def column_sql(self, column: Column, table: Table) -> str:
        """Return a column definition as used in CREATE TABLE and ADD COLUMN."""
        parts = [self.quote(column.name), self.type_sql(column.type)]
        if column.autoincrement:
            parts.append(self.autoincrement_sql())
        parts.append("NULL" if column.nullable else "NOT NULL")
        if column.default is not None:
            parts.append(f"DEFAULT {self.default_sql(column)}")
        return " ".join(parts)

    def normalise_column(self, column: Column) -> Column:
        """Return ``column`` as this dialect stores it (applied to the entities' schema)."""
        return column

    def normalise_schema(self, schema: Schema) -> Schema:
        """Return ``schema`` with every column normalised for this dialect."""
        return schema.map_tables(
            replace(t, columns=tuple(self.normalise_column(c) for c in t.columns))
            for t in schema.tables
        )

    def autoincrement_sql(self) -> str:
        """Return the clause that makes a column auto-increment."""
        raise NotImplementedError

    # -- CREATE TABLE ------------------------------------------------------------------------

    def table_elements(self, table: Table) -> list[str]:
        """Return the lines inside CREATE TABLE's parentheses."""
        lines = [self.column_sql(c, table) for c in table.columns]
        if table.primary_key and not self.primary_key_inline(table):
            lines.append(f"PRIMARY KEY ({self.quote_list(table.primary_key)})")
        lines += [
            self.unique_sql(u) for u in table.uniques if not (self.unique_as_index and u.name)
        ]
        lines += [self.foreign_key_sql(fk) for fk in table.foreign_keys]
        lines += [self.check_sql(c) for c in table.checks]
        return lines

    def primary_key_inline(self, table: Table) -> bool:
        """Return whether the primary key is written in the column definition (SQLite)."""
        return False

    def create_table_sql(self, table: Table, name: str | None = None) -> str:
        """Return CREATE TABLE for ``table`` (under ``name`` when given)."""
        body = ",\n    ".join(self.table_elements(table))
        return f"CREATE TABLE {self.quote(name or table.name)} (\n    {body}\n)"

    def unique_sql(self, unique: UniqueConstraint) -> str:
        """Return a UNIQUE table constraint."""
        prefix = f"CONSTRAINT {self.quote(unique.name)} " if unique.name else ""
        return f"{prefix}UNIQUE ({self.quote_list(unique.columns)})"

    def foreign_key_sql(self, fk: ForeignKey) -> str:
        """Return a FOREIGN KEY table constraint."""
        prefix = f"CONSTRAINT {self.quote(fk.name)} " if fk.name else ""
        return (
            f"{prefix}FOREIGN KEY ({self.quote_list(fk.columns)}) REFERENCES "
            f"{self.quote(fk.ref_table)} ({self.quote_list(fk.ref_columns)}) "
            f"ON DELETE {fk.on_delete}" + (" DEFERRABLE INITIALLY DEFERRED" if fk.deferred else "")
        )

    def check_sql(self, check: CheckConstraint) -> str:
        """Return a CHECK table constraint."""
        prefix = f"CONSTRAINT {self.quote(check.name)} " if check.name else ""
        return f"{prefix}CHECK ({check.expression})"

    def create_index_sql(self, table: str, index: Index) -> str:
        """Return CREATE INDEX."""
        unique = "UNIQUE " if index.unique else ""
        columns = self.quote_list(index.columns)
        if index.opclasses:
            columns = ", ".join(
                f"{self.quote(c)} {o}".rstrip()
                for c, o in zip(index.columns, index.opclasses, strict=True)
            )
        return f"CREATE {unique}INDEX {self.quote(index.name)} ON {self.quote(table)} ({columns})"

    def create_table(self, table: Table) -> list[str]:
        """Return CREATE TABLE and the CREATE INDEX statements that go with it."""
        statements = [self.create_table_sql(table)]
        statements += [self.create_index_sql(table.name, i) for i in table.indexes]
        if self.unique_as_index:
            statements += [
                self.create_index_sql(table.name, Index(u.name, u.columns, True))
                for u in table.uniques
                if u.name
            ]
        return statements

    # -- operations --------------------------------------------------------------------------

    def render_operation(self, op: Operation, schema: Schema) -> list[str]:
        """Return the statements for ``op`` applied to ``schema``."""
        a = self.quote(op.table_name)
        if isinstance(op, CreateTable):
            return self.create_table(op.table)
        if isinstance(op, DropTable):
            return [f"DROP TABLE {a}"]
        if isinstance(op, RenameTable):
            return [f"ALTER TABLE {self.quote(op.old)} RENAME TO {self.quote(op.new)}"]
        if isinstance(op, RenameColumn):
            return [f"ALTER TABLE {a} RENAME COLUMN {self.quote(op.old)} TO {self.quote(op.new)}"]
        if isinstance(op, AddColumn):
            table = schema.table(op.table_name)
            assert table is not None
            return [f"ALTER TABLE {a} ADD COLUMN {self.column_sql(op.column, table)}"]
        if isinstance(op, DropColumn):
            return [f"ALTER TABLE {a} DROP COLUMN {self.quote(op.column.name)}"]
        if isinstance(op, AlterColumn):
            return self.alter_column(op)
        if isinstance(op, CreateIndex):
            return [self.create_index_sql(op.table_name, op.index)]
        if isinstance(op, DropIndex):
            return [self.drop_index_sql(op.table_name, op.index.name)]
        return self.render_constraint(op)

    def render_constraint(self, op: Operation) -> list[str]:
        """Return the statements for adding or dropping a unique, foreign key or check."""
        a = self.quote(op.table_name)
        if isinstance(op, DropUnique) and self.unique_as_index and op.unique.name:
            return [self.drop_index_sql(op.table_name, op.unique.name)]
        if isinstance(op, AddUnique) and self.unique_as_index:
            # An unnamed one (read from a table's own UNIQUE) gets a name, as an index must.
            name = op.unique.name or names.unique_name(op.table_name, op.unique.columns)
            index = Index(name, op.unique.columns, unique=True)
            return [self.create_index_sql(op.table_name, index)]
        if isinstance(op, AddUnique):
            return [f"ALTER TABLE {a} ADD {self.unique_sql(op.unique)}"]
        if isinstance(op, DropUnique):
            return [f"ALTER TABLE {a} DROP CONSTRAINT {self.quote(op.unique.name or '')}"]
        if isinstance(op, AddForeignKey):
            return [f"ALTER TABLE {a} ADD {self.foreign_key_sql(op.foreign_key)}"]
        if isinstance(op, DropForeignKey):
            return [self.drop_foreign_key_sql(op.table_name, op.foreign_key)]
        if isinstance(op, AddCheck):
            return [f"ALTER TABLE {a} ADD {self.check_sql(op.check)}"]
        if isinstance(op, DropCheck):
            return [f"ALTER TABLE {a} DROP CONSTRAINT {self.quote(op.check.name or '')}"]
        raise TypeError(f"cannot render {op!r}")

    def drop_index_sql(self, table: str, name: str) -> str:
        """Return DROP INDEX."""
        return f"DROP INDEX {self.quote(name)}"

    def drop_foreign_key_sql(self, table: str, fk: ForeignKey) -> str:
        """Return the statement that drops a foreign key."""
        return f"ALTER TABLE {self.quote(table)} DROP CONSTRAINT {self.quote(fk.name or '')}"

    def alter_column(self, op: AlterColumn) -> list[str]:
        """Return the statements that change a column's type, nullability or default."""
        raise NotImplementedError

    def render_steps(self, operations: Sequence[Operation], schema: Schema) -> list[Step]:
        """Return one step per operation, each rendered against the schema before it."""
        steps = []
        for op in operations:
            statements = tuple(self.render_operation(op, schema))
            steps.append(Step(op.describe(), op.destructive, statements))
            schema = op.apply(schema)
        return steps


def render_script(steps: Sequence[Step], header: Sequence[str] = ()) -> str:
    """Return the text of a migration file: header comments, then each step's statements."""
    lines = [f"-- {line}" for line in header]
    for step in steps:
        if lines:
            lines.append("")
        marker = "-- DESTRUCTIVE: " if step.destructive and not step.details else "-- "
        lines.append(marker + step.description)
        lines += [("-- DESTRUCTIVE: " if bad else "--   ") + text for text, bad in step.details]
        lines += [f"{statement};" for statement in step.statements]
    return "\n".join(lines) + "\n"
