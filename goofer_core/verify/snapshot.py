"""What ``verify`` compares: a snapshot of a database's schema, and the differences between two.

The snapshot is the schema model that ``generate`` reads (tables, columns, keys, indexes,
constraints; on SQLite also views and triggers) plus the objects that model leaves out (views,
functions, triggers, sequences, types, partial and expression indexes), each with a fingerprint
of its definition. Column order is not compared: re-adding a dropped column puts it last on
every database, and a down file cannot do otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..dialects import get_dialect
from ..schema.model import Column, Schema, Table, normalise_sql

_TRIGGER_NAME = re.compile(
    r"\s*CREATE\s+(?:TEMP\w*\s+)?TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?"
    r"(\"(?:[^\"]|\"\")+\"|`(?:[^`]|``)+`|\[[^\]]+\]|[^\s(]+)",
    re.IGNORECASE,
)
_QUOTED_DEFAULT = ("string", "text", "uuid", "json", "date", "time", "datetime")


@dataclass(frozen=True)
class SchemaObject:
    """An object the schema model leaves out, with a fingerprint of its definition."""

    kind: str
    table: str | None
    name: str
    definition: str


@dataclass(frozen=True)
class Snapshot:
    """A database's schema as verify compares it."""

    schema: Schema
    objects: tuple[SchemaObject, ...] = ()


@dataclass(frozen=True)
class Difference:
    """One object that differs: ``before`` / ``after`` describe it, None where it is absent."""

    object: str
    name: str
    before: str | None
    after: str | None

    def describe(self, before_label: str = "before up", after_label: str = "after down") -> str:
        """Return one readable line, such as ``index users.ix (email): absent before up, ...``."""
        if self.before is None:
            return (
                f"{self.object} {self.name}{_detail(self.after)}: "
                f"absent {before_label}, present {after_label}"
            )
        if self.after is None:
            return (
                f"{self.object} {self.name}{_detail(self.before)}: "
                f"present {before_label}, absent {after_label}"
            )
        subject = f"{self.object} {self.name}"
        if self.before == self.after:
            return f"{subject}: defined differently {before_label} and {after_label}"
        return f"{subject}: {self.before} {before_label}, {self.after} {after_label}"

    def as_dict(
        self, before_label: str = "before up", after_label: str = "after down"
    ) -> dict[str, str | None]:
        """Return the JSON object ``verify --json`` prints for this difference."""
        return {
            "object": self.object,
            "name": self.name,
            "before": self.before,
            "after": self.after,
            "text": self.describe(before_label, after_label),
        }


def _detail(text: str | None) -> str:
    return f" {text}" if text else ""


def read_snapshot(dialect: str, conn: Any, ignore_table: str) -> Snapshot:
    """Return the schema of the database behind ``conn``, without the table ``ignore_table``."""
    database = get_dialect(dialect)
    schema = database.read_schema(conn).without_table(ignore_table)
    covered = {
        (t.name, name)
        for t in schema.tables
        for name in [*(i.name for i in t.indexes), *(u.name for u in t.uniques)]
    }
    objects = []
    cursor = conn.cursor()
    for sql in database.object_queries():
        cursor.execute(sql)
        for kind, table, name, definition in cursor.fetchall():
            if table == ignore_table or (kind == "index" and (table, name) in covered):
                continue
            objects.append(
                SchemaObject(
                    _text(kind),
                    None if table is None else _text(table),
                    _text(name),
                    _text(definition),
                )
            )
    objects.sort(key=lambda o: (o.kind, o.table or "", o.name))
    return Snapshot(schema, tuple(objects))


def _text(value: Any) -> str:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return "" if value is None else str(value)


# -- comparing ---------------------------------------------------------------------------------

# What one object is compared by: (kind, name) -> (what is shown, what is compared).
Items = dict[tuple[str, str], tuple[str, object]]


def compare_snapshots(before: Snapshot, after: Snapshot) -> list[Difference]:
    """Return every difference between two snapshots, table by table, then other objects."""
    old = {t.name: t for t in before.schema.tables}
    new = {t.name: t for t in after.schema.tables}
    differences = []
    one_sided = set()
    for name in sorted(old.keys() | new.keys()):
        was, now = old.get(name), new.get(name)
        if was is None or now is None:
            one_sided.add(name)
            differences.append(
                Difference(
                    "table",
                    name,
                    None if was is None else _table_summary(was),
                    None if now is None else _table_summary(now),
                )
            )
        else:
            differences += _compare(_table_items(was), _table_items(now))
    others = _compare(_other_items(before, one_sided), _other_items(after, one_sided))
    return differences + sorted(others, key=lambda d: (d.object, d.name))


def _compare(old: Items, new: Items) -> list[Difference]:
    found = []
    for key in [*old, *(k for k in new if k not in old)]:
        was, now = old.get(key), new.get(key)
        if was is not None and now is not None and was[1] == now[1]:
            continue
        found.append(
            Difference(
                key[0], key[1], None if was is None else was[0], None if now is None else now[0]
            )
        )
    return found


def _columns(names: Iterable[str]) -> str:
    return "(" + ", ".join(names) + ")"


def _table_summary(table: Table) -> str:
    return _columns(table.column_names())


def describe_column(column: Column) -> str:
    """Return a column's type, nullability, default and auto-increment in one short text."""
    text = column.type.describe() + (" NULL" if column.nullable else " NOT NULL")
    default = column.default
    if default is not None:
        if default.kind == "now":
            value = "CURRENT_TIMESTAMP"
        elif default.kind == "literal" and column.type.kind in _QUOTED_DEFAULT:
            value = "'" + default.value.replace("'", "''") + "'"
        else:
            value = default.value
        text += f" DEFAULT {value}"
    return text + (" AUTOINCREMENT" if column.autoincrement else "")


def _table_items(table: Table) -> Items:
    t = table.name
    items: Items = {}
    for column in table.columns:
        items[("column", f"{t}.{column.name}")] = (describe_column(column), column.key())
    if table.primary_key:
        shown = _columns(table.primary_key)
        if table.primary_key_name:
            shown += f" named {table.primary_key_name}"
        items[("primary key", t)] = (shown, (table.primary_key, table.primary_key_name))
    for index in table.indexes:
        shown = ("UNIQUE " if index.unique else "") + _columns(index.columns)
        items[("index", f"{t}.{index.name}")] = (shown, (index.columns, index.unique))
    for unique in table.uniques:
        shown = _columns(unique.columns)
        key = f"{t}.{unique.name}" if unique.name else f"{t} {shown}"
        items[("unique constraint", key)] = (shown if unique.name else "", unique.columns)
    for fk in table.foreign_keys:
        shown = (
            f"{_columns(fk.columns)} REFERENCES {fk.ref_table} {_columns(fk.ref_columns)} "
            f"ON DELETE {fk.on_delete}"
        )
        key = f"{t}.{fk.name}" if fk.name else f"{t} {shown}"
        items[("foreign key", key)] = (shown if fk.name else "", fk.key())
    for check in table.checks:
        shown = f"CHECK ({check.expression})"
        key = f"{t}.{check.name}" if check.name else f"{t} {shown}"
        items[("check constraint", key)] = (
            shown if check.name else "",
            normalise_sql(check.expression),
        )
    for trigger in table.triggers:
        match = _TRIGGER_NAME.match(trigger)
        name = match.group(1) if match else normalise_sql(trigger)[:40]
        items[("trigger", f"{t}.{name}")] = ("", normalise_sql(trigger))
    return items


def _other_items(snapshot: Snapshot, one_sided: set[str]) -> Items:
    items: Items = {}
    for view in snapshot.schema.views:
        items[("view", view.name)] = ("", normalise_sql(view.sql))
    for obj in snapshot.objects:
        if obj.table in one_sided:
            continue  # reported with its table
        name = f"{obj.table}.{obj.name}" if obj.table else obj.name
        items[(obj.kind, name)] = ("", obj.definition)
    return items
