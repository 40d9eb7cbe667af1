"""Read a MySQL / MariaDB database's schema (the connection's database) from information_schema."""

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
)

_TYPE = re.compile(r"([a-z]+)(?:\((\d+)(?:,(\d+))?\))?( unsigned)?\Z")
_NAMES = {
    "int": "integer",
    "bigint": "bigint",
    "smallint": "smallint",
    "longtext": "text",
    "double": "float",
    "date": "date",
    "longblob": "binary",
    "json": "json",
}
_FRACTIONAL = {"datetime": "datetime", "time": "time"}
_JSON_VALID = re.compile(r"json_valid\(`((?:[^`]|``)+)`\)\Z", re.IGNORECASE)


def parse_type(column_type: str) -> ColumnType:
    """Return the column type for information_schema's COLUMN_TYPE text."""
    match = _TYPE.match(column_type.lower())
    if not match or match.group(4):
        return ColumnType("other", raw=column_type)
    name, first, second = match.group(1), match.group(2), match.group(3)
    if name == "varchar" and first:
        return ColumnType("string", length=int(first))
    if name == "decimal" and first:
        return ColumnType("decimal", precision=int(first), scale=int(second or 0))
    if name == "tinyint" and first == "1":
        return ColumnType("boolean")
    if name == "char" and first == "36":
        return ColumnType("uuid")
    if name in _FRACTIONAL and first == "6":
        return ColumnType(_FRACTIONAL[name])  # type: ignore[arg-type]
    if name in ("int", "bigint", "smallint") or (name in _NAMES and first is None):
        return ColumnType(_NAMES[name])  # type: ignore[arg-type]
    return ColumnType("other", raw=column_type)


def _rows(cur: Any, sql: str) -> list[Any]:
    cur.execute(sql)
    return list(cur.fetchall())


def read_schema(conn: Any) -> Schema:
    """Return every base table of the current database of a PyMySQL connection."""
    cur = conn.cursor()
    where = "TABLE_SCHEMA = DATABASE()"
    names = [
        r[0]
        for r in _rows(
            cur,
            f"SELECT TABLE_NAME FROM information_schema.TABLES "
            f"WHERE {where} AND TABLE_TYPE = 'BASE TABLE' "
            "ORDER BY TABLE_NAME",
        )
    ]
    columns = _rows(
        cur,
        "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, "
        f"COLUMN_DEFAULT, EXTRA FROM information_schema.COLUMNS WHERE {where} "
        "ORDER BY TABLE_NAME, ORDINAL_POSITION",
    )
    stats = _rows(
        cur,
        "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME "
        f"FROM information_schema.STATISTICS WHERE {where} "
        "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
    )
    fks = _rows(
        cur,
        "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, "
        "k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.DELETE_RULE "
        "FROM information_schema.KEY_COLUMN_USAGE k "
        "JOIN information_schema.REFERENTIAL_CONSTRAINTS r "
        "ON r.CONSTRAINT_SCHEMA = k.TABLE_SCHEMA AND r.CONSTRAINT_NAME = "
        "k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME "
        "WHERE k.TABLE_SCHEMA = DATABASE() "
        "ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
    )
    checks = _rows(
        cur,
        "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE "
        "FROM information_schema.CHECK_CONSTRAINTS "
        "WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME",
    )
    return Schema(
        tuple(
            _table(
                n,
                [r[1:] for r in columns if r[0] == n],
                [r[1:] for r in stats if r[0] == n],
                [r[1:] for r in fks if r[0] == n],
                [r[1:] for r in checks if r[0] == n],
            )
            for n in names
        )
    )


def _table(
    name: str, columns: list[Any], stats: list[Any], fk_rows: list[Any], check_rows: list[Any]
) -> Table:
    groups: dict[str, list[Any]] = {}
    for index_name, non_unique, column in stats:
        groups.setdefault(index_name, []).append((int(non_unique), column))
    pk = tuple(c for _, c in groups.pop("PRIMARY", []))
    fks = _foreign_keys(fk_rows)
    fk_names = {fk.name for fk in fks}
    indexes, uniques = [], []
    for index_name, members in groups.items():
        cols = tuple(c for _, c in members)
        if any(c is None for c in cols):
            continue  # a functional index written by hand
        if members[0][0] == 0:
            uniques.append(UniqueConstraint(index_name, cols))
        elif index_name not in fk_names:  # the index the server made for a foreign key
            indexes.append(Index(index_name, cols))
    json_columns = {
        m.group(1).replace("``", "`")
        for _, clause in check_rows
        if (m := _JSON_VALID.match(clause.strip()))
    }
    checks = tuple(
        CheckConstraint(n, clause)
        for n, clause in check_rows
        if not (_JSON_VALID.match(clause.strip()) and n in json_columns)
    )
    cols = tuple(_column(r, pk, json_columns) for r in columns)
    return Table(name, cols, pk, tuple(indexes), tuple(uniques), fks, checks)


def _column(row: Any, pk: tuple[str, ...], json_columns: set[str]) -> Column:
    name, raw_type, is_nullable, default, extra = row
    column_type = parse_type(raw_type)
    if name in json_columns and column_type.kind == "text":
        column_type = ColumnType("json")  # MariaDB's JSON is LONGTEXT with a json_valid check
    parsed = (
        default_from_sql(column_type, default, backslash_escapes=True)
        if default is not None
        else None
    )
    nullable = is_nullable == "YES" and name not in pk
    return Column(name, column_type, nullable, parsed, "auto_increment" in (extra or "").lower())


def _foreign_keys(rows: list[Any]) -> tuple[ForeignKey, ...]:
    groups: dict[str, list[Any]] = {}
    for row in rows:
        groups.setdefault(row[0], []).append(row)
    return tuple(
        ForeignKey(
            name,
            tuple(r[1] for r in members),
            members[0][2],
            tuple(r[3] for r in members),
            members[0][4],
        )
        for name, members in groups.items()
    )


#: What ``verify`` compares beyond the schema model: (kind, table, name, definition) rows.
OBJECT_QUERIES = (
    "SELECT 'view', NULL, TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS "
    "WHERE TABLE_SCHEMA = DATABASE()",
    "SELECT LOWER(TABLE_TYPE), NULL, TABLE_NAME, '' FROM information_schema.TABLES "
    "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE NOT IN ('BASE TABLE', 'VIEW')",
    "SELECT LOWER(ROUTINE_TYPE), NULL, ROUTINE_NAME, MD5(COALESCE(ROUTINE_DEFINITION, '')) "
    "FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()",
    "SELECT 'trigger', EVENT_OBJECT_TABLE, TRIGGER_NAME, MD5(ACTION_STATEMENT) "
    "FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()",
    "SELECT 'event', NULL, EVENT_NAME, MD5(COALESCE(EVENT_DEFINITION, '')) "
    "FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()",
    "SELECT 'index', TABLE_NAME, INDEX_NAME, GROUP_CONCAT(CONCAT_WS(' ', NON_UNIQUE, "
    "COLUMN_NAME, SUB_PART) ORDER BY SEQ_IN_INDEX SEPARATOR ', ') "
    "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
    "AND INDEX_NAME <> 'PRIMARY' GROUP BY TABLE_NAME, INDEX_NAME",
)
