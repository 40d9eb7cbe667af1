"""Read an SQLite database's schema through its pragmas and sqlite_master."""

from __future__ import annotations

import re
from typing import Any

from ...schema.literals import default_from_sql
from ...schema.model import (
    CheckConstraint,
    Column,
    ColumnType,
    ForeignKey,
    Index,
    Schema,
    Table,
    UniqueConstraint,
    View,
)
from .create_table import parse_create_table

_TYPE = re.compile(r"\s*([A-Za-z][A-Za-z ]*?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*\Z")
_NAMES = {
    "INTEGER": "integer",
    "INT": "integer",
    "BIGINT": "bigint",
    "SMALLINT": "smallint",
    "TEXT": "text",
    "CLOB": "text",
    "BOOLEAN": "boolean",
    "BOOL": "boolean",
    "REAL": "float",
    "FLOAT": "float",
    "DOUBLE": "float",
    "DOUBLE PRECISION": "float",
    "TIMESTAMP": "datetime",
    "DATETIME": "datetime",
    "DATE": "date",
    "TIME": "time",
    "BLOB": "binary",
    "UUID": "uuid",
    "JSON": "json",
}


def parse_type(declared: str) -> ColumnType:
    """Return the column type an SQLite declared type stands for."""
    match = _TYPE.match(declared)
    if not match:
        return ColumnType("other", raw=declared)
    name = " ".join(match.group(1).upper().split())
    first = int(match.group(2)) if match.group(2) else None
    second = int(match.group(3)) if match.group(3) else None
    if name in ("VARCHAR", "CHARACTER VARYING", "NVARCHAR"):
        return ColumnType("string", length=first) if first else ColumnType("text")
    if name in ("NUMERIC", "DECIMAL") and first is not None:
        return ColumnType("decimal", precision=first, scale=second or 0)
    if name in ("CHAR", "CHARACTER") and first == 36:
        return ColumnType("uuid")
    if name in _NAMES and first is None:
        return ColumnType(_NAMES[name])  # type: ignore[arg-type]
    return ColumnType("other", raw=declared)


def read_schema(conn: Any) -> Schema:
    """Return every table (and view) of the main database of an sqlite3 connection."""
    rows = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master "
        "WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    triggers: dict[str, list[str]] = {}
    for kind, _name, table_name, sql in rows:
        if kind == "trigger":
            triggers.setdefault(table_name, []).append(sql)
    tables = tuple(
        _read_table(conn, name, sql or "", tuple(triggers.get(name, ())))
        for kind, name, _t, sql in rows
        if kind == "table"
    )
    views = tuple(View(name, sql) for kind, name, _t, sql in rows if kind == "view")
    return Schema(tables, views)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _read_table(conn: Any, name: str, sql: str, triggers: tuple[str, ...]) -> Table:
    info = parse_create_table(sql)
    rows = conn.execute(f"PRAGMA table_info({_q(name)})").fetchall()
    pk_columns = tuple(r[1] for r in sorted((r for r in rows if r[5]), key=lambda r: r[5]))
    columns = []
    for _cid, column, declared, notnull, default, pk in rows:
        column_type = parse_type(declared or "")
        rowid_alias = bool(pk) and len(pk_columns) == 1 and (declared or "").upper() == "INTEGER"
        autoincrement = rowid_alias or column in info.autoincrement_columns
        parsed = default_from_sql(column_type, default) if default is not None else None
        columns.append(Column(column, column_type, not (notnull or pk), parsed, autoincrement))
    indexes, uniques = _read_indexes(conn, name)
    checks = tuple(CheckConstraint(n, e) for n, e in info.checks)
    return Table(
        name,
        tuple(columns),
        pk_columns,
        indexes,
        uniques,
        _read_foreign_keys(conn, name, info.deferred_foreign_keys),
        checks,
        triggers,
    )


def _read_indexes(conn: Any, table: str) -> tuple[tuple[Index, ...], tuple[UniqueConstraint, ...]]:
    indexes, uniques = [], []
    for row in conn.execute(f"PRAGMA index_list({_q(table)})").fetchall():
        name, unique, origin, partial = row[1], bool(row[2]), row[3], bool(row[4])
        if origin == "pk":
            continue
        info = conn.execute(f"PRAGMA index_info({_q(name)})").fetchall()
        columns = tuple(r[2] for r in sorted(info, key=lambda r: r[0]))
        if any(c is None for c in columns) or partial:
            continue  # expression or partial index: written by hand, left alone
        if unique:
            uniques.append(UniqueConstraint(name if origin == "c" else None, columns))
        else:
            indexes.append(Index(name, columns))
    return tuple(indexes), tuple(uniques)


def _read_foreign_keys(
    conn: Any, table: str, deferred: tuple[tuple[str, ...], ...]
) -> tuple[ForeignKey, ...]:
    groups: dict[int, list[Any]] = {}
    for row in conn.execute(f"PRAGMA foreign_key_list({_q(table)})").fetchall():
        groups.setdefault(row[0], []).append(row)
    fks = []
    for _id, rows in sorted(groups.items()):
        rows.sort(key=lambda r: r[1])
        ref_table = rows[0][2]
        ref_columns = tuple(r[4] for r in rows)
        if any(c is None for c in ref_columns):  # REFERENCES t without columns: its primary key
            pk = [r for r in conn.execute(f"PRAGMA table_info({_q(ref_table)})") if r[5]]
            ref_columns = tuple(r[1] for r in sorted(pk, key=lambda r: r[5]))
        columns = tuple(r[3] for r in rows)
        on_delete = rows[0][6].upper()
        fks.append(
            ForeignKey(None, columns, ref_table, ref_columns, on_delete, columns in deferred)
        )
    return tuple(fks)


#: What ``verify`` compares beyond the schema model: (kind, table, name, definition) rows.
OBJECT_QUERIES = (
    "SELECT 'index', tbl_name, name, sql FROM sqlite_master "
    "WHERE type = 'index' AND sql IS NOT NULL",
)
