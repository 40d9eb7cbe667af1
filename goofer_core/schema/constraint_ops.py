"""Operations on indexes and constraints: frozen dataclasses with reverse, effect and risk."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .model import CheckConstraint, ForeignKey, Index, Schema, Table, UniqueConstraint


def _table(schema: Schema, name: str) -> Table:
    table = schema.table(name)
    if table is None:
        raise KeyError(f"table {name!r} is not in the schema")
    return table


@dataclass(frozen=True)
class CreateIndex:
    """Create an index."""

    table_name: str
    index: Index

    @property
    def destructive(self) -> bool:
        """Return whether the operation can lose data."""
        return False

    def reverse(self) -> DropIndex:
        """Return the operation that undoes this one."""
        return DropIndex(self.table_name, self.index)

    def apply(self, schema: Schema) -> Schema:
        """Return ``schema`` after this operation."""
        table = _table(schema, self.table_name)
        return schema.with_table(replace(table, indexes=(*table.indexes, self.index)))

    def describe(self) -> str:
        """Return a one-line description for the file and the output."""
        return f"create index {self.index.name} on {self.table_name}"


@dataclass(frozen=True)
class DropIndex:
    """Drop an index."""

    table_name: str
    index: Index

    @property
    def destructive(self) -> bool:
        """Return whether the operation can lose data."""
        return False

    def reverse(self) -> CreateIndex:
        """Return the operation that undoes this one."""
        return CreateIndex(self.table_name, self.index)

    def apply(self, schema: Schema) -> Schema:
        """Return ``schema`` after this operation."""
        table = _table(schema, self.table_name)
        indexes = tuple(i for i in table.indexes if i.name != self.index.name)
        return schema.with_table(replace(table, indexes=indexes))

    def describe(self) -> str:
        """Return a one-line description for the file and the output."""
        return f"drop index {self.index.name} on {self.table_name}"


@dataclass(frozen=True)
class AddUnique:
    """Add a unique constraint."""

    table_name: str
    unique: UniqueConstraint

    @property
    def destructive(self) -> bool:
        """Return whether the operation can lose data."""
        return False

    def reverse(self) -> DropUnique:
        """Return the operation that undoes this one."""
        return DropUnique(self.table_name, self.unique)

    def apply(self, schema: Schema) -> Schema:
        """Return ``schema`` after this operation."""
        table = _table(schema, self.table_name)
        return schema.with_table(replace(table, uniques=(*table.uniques, self.unique)))

    def describe(self) -> str:
        """Return a one-line description for the file and the output."""
        return f"add unique on {self.table_name} ({', '.join(self.unique.columns)})"


@dataclass(frozen=True)
class DropUnique:
    """Drop a unique constraint."""

    table_name: str
    unique: UniqueConstraint

    @property
    def destructive(self) -> bool:
        """Return whether the operation can lose data."""
        return False

    def reverse(self) -> AddUnique:
        """Return the operation that undoes this one."""
        return AddUnique(self.table_name, self.unique)

    def apply(self, schema: Schema) -> Schema:
        """Return ``schema`` after this operation."""
        table = _table(schema, self.table_name)
        uniques = tuple(u for u in table.uniques if u.key() != self.unique.key())
        return schema.with_table(replace(table, uniques=uniques))

    def describe(self) -> str:
        """Return a one-line description for the file and the output."""
        return f"drop unique on {self.table_name} ({', '.join(self.unique.columns)})"


@dataclass(frozen=True)
class AddForeignKey:
    """Add a foreign key."""

    table_name: str
    foreign_key: ForeignKey

    @property
    def destructive(self) -> bool:
        """Return whether the operation can lose data."""
        return False

    def reverse(self) -> DropForeignKey:
        """Return the operation that undoes this one."""
        return DropForeignKey(self.table_name, self.foreign_key)

    def apply(self, schema: Schema) -> Schema:
        """Return ``schema`` after this operation."""
        table = _table(schema, self.table_name)
        fks = (*table.foreign_keys, self.foreign_key)
        return schema.with_table(replace(table, foreign_keys=fks))

    def describe(self) -> str:
        """Return a one-line description for the file and the output."""
        fk = self.foreign_key
        return f"add foreign key {self.table_name} ({', '.join(fk.columns)}) -> {fk.ref_table}"


@dataclass(frozen=True)
class DropForeignKey:
    """Drop a foreign key."""

    table_name: str
    foreign_key: ForeignKey

    @property
    def destructive(self) -> bool:
        """Return whether the operation can lose data."""
        return False

    def reverse(self) -> AddForeignKey:
        """Return the operation that undoes this one."""
        return AddForeignKey(self.table_name, self.foreign_key)

    def apply(self, schema: Schema) -> Schema:
        """Return ``schema`` after this operation."""
        table = _table(schema, self.table_name)
        fks = tuple(f for f in table.foreign_keys if f.key() != self.foreign_key.key())
        return schema.with_table(replace(table, foreign_keys=fks))

    def describe(self) -> str:
        """Return a one-line description for the file and the output."""
        fk = self.foreign_key
        return f"drop foreign key {self.table_name} ({', '.join(fk.columns)}) -> {fk.ref_table}"


@dataclass(frozen=True)
class AddCheck:
    """Add a check constraint."""

    table_name: str
    check: CheckConstraint

    @property
    def destructive(self) -> bool:
        """Return whether the operation can lose data."""
        return False

    def reverse(self) -> DropCheck:
        """Return the operation that undoes this one."""
        return DropCheck(self.table_name, self.check)

    def apply(self, schema: Schema) -> Schema:
        """Return ``schema`` after this operation."""
        table = _table(schema, self.table_name)
        return schema.with_table(replace(table, checks=(*table.checks, self.check)))

    def describe(self) -> str:
        """Return a one-line description for the file and the output."""
        return f"add check {self.check.name or self.check.expression} on {self.table_name}"


@dataclass(frozen=True)
class DropCheck:
    """Drop a check constraint."""

    table_name: str
    check: CheckConstraint

    @property
    def destructive(self) -> bool:
        """Return whether the operation can lose data."""
        return False

    def reverse(self) -> AddCheck:
        """Return the operation that undoes this one."""
        return AddCheck(self.table_name, self.check)

    def apply(self, schema: Schema) -> Schema:
        """Return ``schema`` after this operation."""
        table = _table(schema, self.table_name)
        checks = tuple(c for c in table.checks if c.key() != self.check.key())
        return schema.with_table(replace(table, checks=checks))

    def describe(self) -> str:
        """Return a one-line description for the file and the output."""
        return f"drop check {self.check.name or self.check.expression} on {self.table_name}"
