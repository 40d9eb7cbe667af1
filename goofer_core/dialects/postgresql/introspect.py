"""Read a PostgreSQL database's schema (the current schema) from pg_catalog."""

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

_FORMAT = re.compile(r"([a-z ]+?)(?:\((\d+)(?:,(\d+))?\))?( without time zone)?\Z")
_NAMES = {
    "integer": "integer",
    "bigint": "bigint",
    "smallint": "smallint",
    "text": "text",
    "boolean": "boolean",
    "double precision": "float",
    "timestamp": "datetime",
    "date": "date",
    "time": "time",
    "bytea": "binary",
    "uuid": "uuid",
    "jsonb": "json",
}
_ON_DELETE = {
    "a": "NO ACTION",
    "r": "RESTRICT",
    "c": "CASCADE",
    "n": "SET NULL",
    "d": "SET DEFAULT",
}

# Each query reads every table of the schema at once (its first column is the table's oid):
# four round trips whatever the number of tables.
_TABLES = """
SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
"""
_COLUMNS = f"""
SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_get_expr(d.adbin, d.adrelid), a.attidentity
FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid IN ({_TABLES}) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
"""
_CONSTRAINTS = f"""
SELECT c.conrelid, c.conname, c.contype,
       ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o),
       r.relname,
       ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o),
       c.confdeltype, pg_get_constraintdef(c.oid), c.condeferred
FROM pg_constraint c LEFT JOIN pg_class r ON r.oid = c.confrelid
WHERE c.conrelid IN ({_TABLES}) ORDER BY c.conname
"""
_INDEXES = f"""
SELECT x.indrelid, i.relname, x.indisunique, x.indpred IS NOT NULL, 0 = ANY(x.indkey::int2[]),
       ARRAY(SELECT a.attname FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n ORDER BY k.o),
       ARRAY(SELECT CASE WHEN c.opcdefault THEN '' ELSE c.opcname END
             FROM unnest(x.indclass::oid[]) WITH ORDINALITY k(oid, o)
             JOIN pg_opclass c ON c.oid = k.oid ORDER BY k.o)
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
WHERE x.indrelid IN ({_TABLES}) AND NOT x.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
ORDER BY i.relname
"""


def parse_type(formatted: str) -> ColumnType:
    """Return the column type for PostgreSQL's ``format_type`` text."""
    match = _FORMAT.match(formatted)
    if not match:
        return ColumnType("other", raw=formatted)
    name, first, second = match.group(1), match.group(2), match.group(3)
    if match.group(4) and first is not None:  # timestamp(3) without time zone
        return ColumnType("other", raw=formatted)
    if name == "character varying":
        return ColumnType("string", length=int(first)) if first else ColumnType("text")
    if name == "numeric" and first is not None:
        return ColumnType("decimal", precision=int(first), scale=int(second or 0))
    if name in _NAMES and first is None:
        return ColumnType(_NAMES[name])  # type: ignore[arg-type]
    return ColumnType("other", raw=formatted)


def read_schema(conn: Any) -> Schema:
    """Return every table of the current schema of a psycopg connection."""
    cur = conn.cursor()
    cur.execute(
        "SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname"
    )
    tables = cur.fetchall()
    columns, constraints, indexes = (
        _rows_by_table(cur, q) for q in (_COLUMNS, _CONSTRAINTS, _INDEXES)
    )
    return Schema(
        tuple(
            _table(name, columns.get(oid, []), constraints.get(oid, []), indexes.get(oid, []))
            for oid, name in tables
        )
    )


def _rows_by_table(cur: Any, query: str) -> dict[int, list[Any]]:
    """Run one of the catalog queries; return its rows by table oid (the first column)."""
    cur.execute(query)
    by_table: dict[int, list[Any]] = {}
    for row in cur.fetchall():
        by_table.setdefault(row[0], []).append(row[1:])
    return by_table


def _table(
    name: str, raw_columns: list[Any], constraints: list[Any], raw_indexes: list[Any]
) -> Table:
    """Return the table ``name`` from its rows of the three catalog queries."""
    primary = next((r for r in constraints if r[1] == "p"), None)
    pk_columns = tuple(primary[2]) if primary else ()
    columns = tuple(_column(row, pk_columns) for row in raw_columns)
    uniques = tuple(UniqueConstraint(r[0], tuple(r[2])) for r in constraints if r[1] == "u")
    fks = tuple(
        ForeignKey(r[0], tuple(r[2]), r[3], tuple(r[4]), _ON_DELETE[r[5]], r[7])
        for r in constraints
        if r[1] == "f"
    )
    checks = tuple(
        CheckConstraint(r[0], _check_expression(r[6])) for r in constraints if r[1] == "c"
    )
    indexes = tuple(
        Index(r[0], tuple(r[4]), bool(r[1]), tuple(r[5]) if any(r[5]) else ())
        for r in raw_indexes
        if not r[2] and not r[3]
    )
    return Table(
        name,
        columns,
        pk_columns,
        indexes,
        uniques,
        fks,
        checks,
        primary_key_name=primary[0] if primary else None,
    )


def _column(row: Any, pk_columns: tuple[str, ...]) -> Column:
    name, formatted, notnull, default, identity = row
    column_type = parse_type(formatted)
    autoincrement = bool(identity)
    parsed = None
    if default is not None and default.startswith("nextval("):
        autoincrement = True  # a SERIAL column written by hand
    elif default is not None:
        parsed = default_from_sql(column_type, default)
    return Column(name, column_type, not (notnull or name in pk_columns), parsed, autoincrement)


def _check_expression(definition: str) -> str:
    text = definition.strip()
    if text.upper().startswith("CHECK "):
        text = text[6:].strip()
    if text.endswith("NOT VALID"):
        text = text[: -len("NOT VALID")].strip()
    return text[1:-1] if text.startswith("(") and text.endswith(")") else text


#: What ``verify`` compares beyond the schema model: (kind, table, name, definition) rows.
OBJECT_QUERIES = (
    "SELECT 'view', NULL, c.relname, pg_get_viewdef(c.oid) FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = current_schema() AND c.relkind IN ('v', 'm')",
    "SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' "
    "ELSE 'function' END, NULL, "
    "p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', "
    "pg_get_function_result(p.oid) || ' ' || md5(coalesce(p.prosrc, '')) FROM pg_proc p "
    "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()",
    "SELECT 'trigger', c.relname, t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
    "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = current_schema() AND NOT t.tgisinternal",
    "SELECT 'index', t.relname, i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
    "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
    "JOIN pg_namespace n ON n.oid = t.relnamespace "
    "WHERE n.nspname = current_schema() AND NOT x.indisprimary "
    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
    "SELECT 'sequence', NULL, c.relname, '' FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = current_schema() AND c.relkind = 'S'",
    "SELECT 'type', NULL, t.typname, t.typtype::text || ':' || coalesce((SELECT "
    "string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e "
    "WHERE e.enumtypid = t.oid), '') FROM pg_type t "
    "JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = current_schema() "
    "AND (t.typtype IN ('e', 'd', 'r', 'm') OR (t.typtype = 'c' AND "
    "(SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c'))",
    "SELECT 'schema', NULL, nspname, '' FROM pg_namespace "
    "WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'",
    "SELECT 'extension', NULL, extname, extversion FROM pg_extension",
)
