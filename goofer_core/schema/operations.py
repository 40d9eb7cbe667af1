"""Schema operations: frozen dataclasses that know their reverse, their effect and their risk.

Table and column operations live here; index and constraint ones in ``constraint_ops``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .constraint_ops import (
    AddCheck,
    AddForeignKey,
    AddUnique,
    CreateIndex,
    DropCheck,
    DropForeignKey,
    DropIndex,
    DropUnique,
)
from .model import (
    Column,
    ColumnType,
    Schema,
    Table,
)

__all__ = [
    "AddCheck",
    "AddColumn",
    "AddForeignKey",
    "AddUnique",
    "AlterColumn",
    "CreateIndex",
    "CreateTable",
    "DropCheck",
    "DropColumn",
    "DropForeignKey",
    "DropIndex",
    "DropTable",
    "DropUnique",
    "Operation",
    "RenameColumn",
    "RenameTable",
    "apply_all",
    "is_narrowing",
    "reverse_all",
]


def _table(schema: Schema, name: str) -> Table:
    table = schema.table(name)
    if table is None:
        raise KeyError(f"table {name!r} is not in the schema")
    return table


def _rename_in(columns: tuple[str, ...], old: str, new: str) -> tuple[str, ...]:
    return tuple(new if c == old else c for c in columns)


_WIDER = {
    ("integer", "bigint"),
    ("smallint", "integer"),
    ("smallint", "bigint"),
    ("string", "text"),
    ("integer", "decimal"),
    ("integer", "float"),
}


def is_narrowing(old: ColumnType, new: ColumnType) -> bool:
    """Return whether converting ``old`` to ``new`` can lose or reject existing values."""
    if old == new or (old.kind, new.kind) in _WIDER:
        return False
    if old.kind != new.kind:
        return True
    if old.kind == "string":
        return (new.length or 0) < (old.length or 0)
    if old.kind == "decimal":
        old_int = (old.precision or 0) - (old.scale or 0)
        new_int = (new.precision or 0) - (new.scale or 0)
        return new_int < old_int or (new.scale or 0) < (old.scale or 0)
    return old.raw != new.raw


@dataclass(frozen=True)
class CreateTable:
    """Create a table with its keys, indexes and constraints."""

    table: Table

    @property
    def table_name(self) -> str:
        """Return the name of the table the operation touches."""
        return self.table.name

    @property
    def destructive(self) -> bool:
        """Return whether the operation can lose data."""
        return False

    def reverse(self) -> DropTable:
        """Return the operation that undoes this one."""
        return DropTable(self.table)

    def apply(self, schema: Schema) -> Schema:
        """Return ``schema`` after this operation."""
        return schema.with_table(self.table)

    def describe(self) -> str:
        """Return a one-line description for the file and the output."""
        return f"create table {self.table.name}"


@dataclass(frozen=True)
class DropTable:
    """Drop a table (destructive: its rows are lost)."""

    table: Table

    @property
    def table_name(self) -> str:
        """Return the name of the table the operation touches."""
        return self.table.name

    @property
    def destructive(self) -> bool:
        """Return whether the operation can lose data."""
        return True

    def reverse(self) -> CreateTable:
        """Return the operation that undoes this one."""
        return CreateTable(self.table)

    def apply(self, schema: Schema) -> Schema:
        """Return ``schema`` after this operation."""
        return schema.without_table(self.table.name)

    def describe(self) -> str:
        """Return a one-line description for the file and the output."""
        return f"drop table {self.table.name} (its rows are lost)"


@dataclass(frozen=True)
class RenameTable:
    """Rename a table; foreign keys pointing at it follow."""

    old: str
    new: str

    @property
    def table_name(self) -> str:
        """Return the name of the table the operation touches."""
        return self.new

    @property
    def destructive(self) -> bool:
        """Return whether the operation can lose data."""
        return False

    def reverse(self) -> RenameTable:
        """Return the operation that undoes this one."""
        return RenameTable(self.new, self.old)

    def apply(self, schema: Schema) -> Schema:
        """Return ``schema`` after this operation."""
        tables = []
        for table in schema.tables:
            if table.name == self.old:
                table = replace(table, name=self.new)
            fks = tuple(
                replace(fk, ref_table=self.new) if fk.ref_table == self.old else fk
                for fk in table.foreign_keys
            )
            tables.append(replace(table, foreign_keys=fks))
        return schema.map_tables(tables)

    def describe(self) -> str:
        """Return a one-line description for the file and the output."""
        return f"rename table {self.old} to {self.new}"


@dataclass(frozen=True)
class AddColumn:
    """Add a column to a table."""

    table_name: str
    column: Column

    @property
    def destructive(self) -> bool:
        """Return whether the operation can lose data."""
        return False

    def reverse(self) -> DropColumn:
        """Return the operation that undoes this one."""
        return DropColumn(self.table_name, self.column)

    def apply(self, schema: Schema) -> Schema:
        """Return ``schema`` after this operation."""
        table = _table(schema, self.table_name)
        return schema.with_table(replace(table, columns=(*table.columns, self.column)))

    def describe(self) -> str:
        """Return a one-line description for the file and the output."""
        return f"add column {self.table_name}.{self.column.name}"


@dataclass(frozen=True)
class DropColumn:
    """Drop a column (destructive: its values are lost)."""

    table_name: str
    column: Column

    @property
    def destructive(self) -> bool:
        """Return whether the operation can lose data."""
        return True

    def reverse(self) -> AddColumn:
        """Return the operation that undoes this one."""
        return AddColumn(self.table_name, self.column)

    def apply(self, schema: Schema) -> Schema:
        """Return ``schema`` after this operation."""
        table = _table(schema, self.table_name)
        columns = tuple(c for c in table.columns if c.name != self.column.name)
        return schema.with_table(replace(table, columns=columns))

    def describe(self) -> str:
        """Return a one-line description for the file and the output."""
        return f"drop column {self.table_name}.{self.column.name} (its values are lost)"


@dataclass(frozen=True)
class RenameColumn:
    """Rename a column; keys, indexes and constraints on it follow."""

    table_name: str
    old: str
    new: str

    @property
    def destructive(self) -> bool:
        """Return whether the operation can lose data."""
        return False

    def reverse(self) -> RenameColumn:
        """Return the operation that undoes this one."""
        return RenameColumn(self.table_name, self.new, self.old)

    def apply(self, schema: Schema) -> Schema:
        """Return ``schema`` after this operation."""
        old, new = self.old, self.new
        tables = []
        for table in schema.tables:
            fks = tuple(
                replace(fk, ref_columns=_rename_in(fk.ref_columns, old, new))
                if fk.ref_table == self.table_name
                else fk
                for fk in table.foreign_keys
            )
            table = replace(table, foreign_keys=fks)
            if table.name == self.table_name:
                table = _rename_column_in_table(table, old, new)
            tables.append(table)
        return schema.map_tables(tables)

    def describe(self) -> str:
        """Return a one-line description for the file and the output."""
        return f"rename column {self.table_name}.{self.old} to {self.new}"


def _rename_column_in_table(table: Table, old: str, new: str) -> Table:
    return replace(
        table,
        columns=tuple(replace(c, name=new) if c.name == old else c for c in table.columns),
        primary_key=_rename_in(table.primary_key, old, new),
        indexes=tuple(replace(i, columns=_rename_in(i.columns, old, new)) for i in table.indexes),
        uniques=tuple(replace(u, columns=_rename_in(u.columns, old, new)) for u in table.uniques),
        foreign_keys=tuple(
            replace(f, columns=_rename_in(f.columns, old, new)) for f in table.foreign_keys
        ),
    )


@dataclass(frozen=True)
class AlterColumn:
    """Change a column's type, nullability, default or auto-increment."""

    table_name: str
    old: Column
    new: Column

    @property
    def destructive(self) -> bool:
        """Return whether the operation can lose data (a narrowing type change)."""
        return is_narrowing(self.old.type, self.new.type)

    def reverse(self) -> AlterColumn:
        """Return the operation that undoes this one."""
        return AlterColumn(self.table_name, self.new, self.old)

    def apply(self, schema: Schema) -> Schema:
        """Return ``schema`` after this operation."""
        table = _table(schema, self.table_name)
        columns = tuple(self.new if c.name == self.old.name else c for c in table.columns)
        return schema.with_table(replace(table, columns=columns))

    def describe(self) -> str:
        """Return a one-line description for the file and the output."""
        changes = []
        if self.old.type != self.new.type:
            changes.append(f"type {self.old.type.describe()} -> {self.new.type.describe()}")
        if self.old.nullable != self.new.nullable:
            changes.append("nullable" if self.new.nullable else "not null")
        if self.old.key()[2] != self.new.key()[2]:
            changes.append("default")
        if self.old.autoincrement != self.new.autoincrement:
            changes.append("auto increment" if self.new.autoincrement else "no auto increment")
        text = f"alter column {self.table_name}.{self.new.name}: {', '.join(changes)}"
        return text + (" (narrowing: values may be lost or rejected)" if self.destructive else "")


Operation = (
    CreateTable
    | DropTable
    | RenameTable
    | AddColumn
    | DropColumn
    | RenameColumn
    | AlterColumn
    | CreateIndex
    | DropIndex
    | AddUnique
    | DropUnique
    | AddForeignKey
    | DropForeignKey
    | AddCheck
    | DropCheck
)


def reverse_all(operations: list[Operation]) -> list[Operation]:
    """Return the operations that undo ``operations``, in the order to run them."""
    return [op.reverse() for op in reversed(operations)]


def apply_all(schema: Schema, operations: list[Operation]) -> Schema:
    """Return ``schema`` after every operation in turn."""
    for op in operations:
        schema = op.apply(schema)
    return schema
