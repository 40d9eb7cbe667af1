"""PostgreSQL's schema as DDL, for ``squash``: built from the catalogs of the current schema.

PostgreSQL keeps no ``CREATE`` text, so each object is written from ``pg_catalog`` with the
server's own deparsers (``format_type``, ``pg_get_expr``, ``pg_get_constraintdef``,
``pg_get_indexdef``, ``pg_get_functiondef``, ``pg_get_viewdef``, ``pg_get_triggerdef``), in the
order ``pg_dump`` uses for a schema without circular references: extensions and schemas;
types (enums, domains, composites) by creation order; free-standing sequences; functions whose
signature needs no table; tables (columns, defaults, identity, generated columns, primary keys
and unique constraints); sequence ownership; check and exclusion constraints; the other
functions (SQL bodies are checked against the tables when created); views in creation order;
indexes; foreign keys; triggers. Index, trigger and function definitions name the schema always
(CVE-2018-1058); that prefix is removed so the migration runs in whatever schema it is applied to.
"""

from __future__ import annotations

from typing import Any

from ...schema.dump import SchemaDump

_NS = "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
#: An object created by an extension belongs to the extension, not to the dump.
_NOT_EXTENSION = "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = {oid} AND d.deptype = 'e')"

#: An identity column's sequence keeps its name when the table is renamed: say it, and its
#: options, or the column would get a new sequence named after the new table.
_IDENTITY_OPTIONS = (
    "(SELECT ' (SEQUENCE NAME ' || quote_ident(c2.relname) || ' START WITH ' || q.seqstart "
    "|| ' INCREMENT BY ' || q.seqincrement || ' MINVALUE ' || q.seqmin || ' MAXVALUE ' "
    "|| q.seqmax || ' CACHE ' || q.seqcache || CASE WHEN q.seqcycle THEN ' CYCLE' ELSE '' END "
    "|| ')' FROM pg_depend d2 JOIN pg_class c2 ON c2.oid = d2.objid "
    "JOIN pg_sequence q ON q.seqrelid = c2.oid WHERE d2.refobjid = a.attrelid "
    "AND d2.refobjsubid = a.attnum AND d2.deptype = 'i' "
    "AND d2.classid = 'pg_class'::regclass)"
)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _rows(cur: Any, sql: str) -> list[Any]:
    cur.execute(sql)
    return list(cur.fetchall())


class _Dump:
    """The statements as they are gathered, each list in the order it will run."""

    def __init__(self, cur: Any) -> None:
        self.cur = cur
        self.up: list[str] = []
        self.down: list[str] = []  # in the order they are gathered; reversed at the end
        self.notes: list[str] = []
        self.schema = str(_rows(cur, "SELECT quote_ident(current_schema())")[0][0])

    def unqualify(self, sql: str, prefix_before: str) -> str:
        """Remove the current schema's ``schema.`` after the first ``prefix_before``."""
        qualified = f"{prefix_before}{self.schema}."
        return sql.replace(qualified, prefix_before, 1)


def dump_schema(conn: Any) -> SchemaDump:
    """Return the DDL of the current schema's objects, and the drops that undo it."""
    dump = _Dump(conn.cursor())
    _extensions_and_schemas(dump)
    _types(dump)
    sequences = _sequences(dump)
    late_functions = _functions(dump)
    tables = _tables(dump)
    _ownership(dump, sequences)
    _constraints(dump, "contype IN ('c', 'x')")
    for statement in late_functions:
        dump.up.append(statement)
    _views(dump)
    _indexes(dump)
    _constraints(dump, "contype = 'f'", drop=True)
    _triggers(dump)
    _notes(dump, tables)
    return SchemaDump(tuple(dump.up), tuple(reversed(dump.down)), tuple(dump.notes))


def _extensions_and_schemas(dump: _Dump) -> None:
    for (name,) in _rows(
        dump.cur, "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY oid"
    ):
        dump.up.append(f"CREATE EXTENSION IF NOT EXISTS {_q(name)}")
        dump.down.append(f"DROP EXTENSION IF EXISTS {_q(name)}")
    for (name,) in _rows(
        dump.cur,
        "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
        "AND nspname NOT IN ('information_schema', 'public', current_schema()) ORDER BY oid",
    ):
        dump.up.append(f"CREATE SCHEMA {_q(name)}")
        dump.down.append(f"DROP SCHEMA {_q(name)}")
        dump.notes.append(f"schema {name}: created empty; its objects are not carried")


def _types(dump: _Dump) -> None:
    """Enums, domains and composite types, in creation order (a domain over an enum after it)."""
    rows = _rows(
        dump.cur,
        "SELECT t.oid, t.typname, t.typtype, "
        "ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid "
        "ORDER BY e.enumsortorder), "
        "format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault, "
        "ARRAY(SELECT 'CONSTRAINT ' || quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid)"
        " FROM pg_constraint c WHERE c.contypid = t.oid ORDER BY c.conname), "
        "ARRAY(SELECT quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod) "
        "FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 "
        "AND NOT a.attisdropped ORDER BY a.attnum) "
        f"FROM pg_type t WHERE t.typnamespace = {_NS} AND (t.typtype IN ('e', 'd') OR "
        "(t.typtype = 'c' AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c'))"
        f" AND {_NOT_EXTENSION.format(oid='t.oid')} ORDER BY t.oid",
    )
    for _oid, name, kind, labels, base, not_null, default, checks, attributes in rows:
        if kind == "e":
            values = ", ".join("'" + label.replace("'", "''") + "'" for label in labels)
            dump.up.append(f"CREATE TYPE {_q(name)} AS ENUM ({values})")
            dump.down.append(f"DROP TYPE {_q(name)}")
        elif kind == "d":
            parts = [f"CREATE DOMAIN {_q(name)} AS {base}"]
            parts += [f"DEFAULT {default}"] if default is not None else []
            parts += ["NOT NULL"] if not_null else []
            parts += list(checks)
            dump.up.append(" ".join(parts))
            dump.down.append(f"DROP DOMAIN {_q(name)}")
        else:
            dump.up.append(f"CREATE TYPE {_q(name)} AS ({', '.join(attributes)})")
            dump.down.append(f"DROP TYPE {_q(name)}")


def _sequences(dump: _Dump) -> list[tuple[str, str, str]]:
    """Write the sequences no identity column owns; return (sequence, table, column) owners."""
    rows = _rows(
        dump.cur,
        "SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, "
        "s.seqmin, s.seqmax, s.seqcache, s.seqcycle, d.deptype, t.relname, a.attname "
        "FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid "
        "LEFT JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass "
        "AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') "
        "LEFT JOIN pg_class t ON t.oid = d.refobjid "
        "LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
        f"WHERE c.relnamespace = {_NS} AND c.relkind = 'S' "
        f"AND {_NOT_EXTENSION.format(oid='c.oid')} ORDER BY c.oid",
    )
    owners = []
    for name, type_, start, step, low, high, cache, cycle, deptype, table, column in rows:
        if deptype == "i":
            continue  # an identity column's: created with its column
        dump.up.append(
            f"CREATE SEQUENCE {_q(name)} AS {type_} INCREMENT BY {step} MINVALUE {low} "
            f"MAXVALUE {high} START WITH {start} CACHE {cache}{' CYCLE' if cycle else ''}"
        )
        if table is None:
            dump.down.append(f"DROP SEQUENCE {_q(name)}")  # an owned one goes with its table
        else:
            owners.append((name, table, column))
    return owners


def _functions(dump: _Dump) -> list[str]:
    """Write functions and procedures a table may need; return the rest, for after the tables.

    Early: no SQL-language body (checked against the tables when created) and no table's row
    type in the signature. A trigger function is early, as a default that calls one must be.
    """
    rows = _rows(
        dump.cur,
        "SELECT p.prokind, quote_ident(p.proname) || '(' || "
        "pg_get_function_identity_arguments(p.oid) || ')', pg_get_functiondef(p.oid), "
        "l.lanname <> 'sql' AND NOT EXISTS (SELECT 1 FROM pg_type t "
        "WHERE t.oid = ANY(p.proargtypes::oid[] || p.prorettype) AND t.typrelid <> 0 "
        "AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) <> 'c') "
        "FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang "
        f"WHERE p.pronamespace = {_NS} AND p.prokind IN ('f', 'p') "
        f"AND {_NOT_EXTENSION.format(oid='p.oid')} ORDER BY p.oid",
    )
    late: list[str] = []
    for kind, signature, definition, is_early in rows:
        word = "PROCEDURE" if kind == "p" else "FUNCTION"
        text = dump.unqualify(str(definition).strip(), f"CREATE OR REPLACE {word} ")
        (dump.up if is_early else late).append(text)
        dump.down.append(f"DROP {word} {signature}")
    aggregates = _rows(
        dump.cur, f"SELECT p.proname FROM pg_proc p WHERE p.pronamespace = {_NS} "
        "AND p.prokind IN ('a', 'w') ORDER BY p.proname"
    )  # fmt: skip
    for (name,) in aggregates:
        dump.notes.append(f"aggregate {name}: not carried; add it to a migration by hand")
    return late


def _tables(dump: _Dump) -> list[tuple[int, str, str]]:
    """Write each table with its columns; return (oid, name, relkind) of every table."""
    tables = _rows(
        dump.cur,
        "SELECT c.oid, c.relname, c.relkind, c.relpersistence FROM pg_class c "
        f"WHERE c.relnamespace = {_NS} AND c.relkind IN ('r', 'p') "
        f"AND {_NOT_EXTENSION.format(oid='c.oid')} ORDER BY c.oid",
    )
    columns: dict[int, list[str]] = {}
    for relid, text in _rows(
        dump.cur,
        "SELECT a.attrelid, quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)"
        " || CASE WHEN a.attcollation <> t.typcollation THEN ' COLLATE ' || "
        "(SELECT quote_ident(o.collname) FROM pg_collation o WHERE o.oid = a.attcollation) "
        "ELSE '' END "
        "|| CASE WHEN a.attgenerated = 's' THEN ' GENERATED ALWAYS AS (' || "
        "pg_get_expr(d.adbin, d.adrelid) || ') STORED' "
        "WHEN d.adbin IS NOT NULL THEN ' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid) ELSE '' END "
        "|| CASE a.attidentity WHEN 'a' THEN ' GENERATED ALWAYS AS IDENTITY' "
        "WHEN 'd' THEN ' GENERATED BY DEFAULT AS IDENTITY' ELSE '' END "
        f"|| CASE WHEN a.attidentity <> '' THEN {_IDENTITY_OPTIONS} ELSE '' END "
        "|| CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_type t ON t.oid = a.atttypid "
        "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        f"WHERE c.relnamespace = {_NS} AND c.relkind IN ('r', 'p') AND a.attnum > 0 "
        "AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum",
    ):
        columns.setdefault(relid, []).append(text)
    # Primary keys and unique constraints go in the table: one statement, not three, per table.
    for relid, text in _rows(
        dump.cur,
        "SELECT c.conrelid, 'CONSTRAINT ' || quote_ident(c.conname) || ' ' || "
        "pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid "
        f"WHERE r.relnamespace = {_NS} AND r.relkind IN ('r', 'p') AND c.conparentid = 0 "
        "AND c.contype IN ('p', 'u') ORDER BY c.conrelid, c.contype, c.conname",
    ):
        columns.setdefault(relid, []).append(text)
    for relid, name, _kind, persistence in tables:
        unlogged = "UNLOGGED " if persistence == "u" else ""
        body = ",\n    ".join(columns.get(relid, []))
        dump.up.append(f"CREATE {unlogged}TABLE {_q(name)} (\n    {body}\n)")
        dump.down.append(f"DROP TABLE {_q(name)}")
    return [(relid, name, kind) for relid, name, kind, _ in tables]


def _ownership(dump: _Dump, owners: list[tuple[str, str, str]]) -> None:
    for sequence, table, column in owners:
        dump.up.append(f"ALTER SEQUENCE {_q(sequence)} OWNED BY {_q(table)}.{_q(column)}")


def _constraints(dump: _Dump, which: str, drop: bool = False) -> None:
    """Add the tables' constraints of one kind; with ``drop``, drop them first in the down."""
    for table, name, definition in _rows(
        dump.cur,
        "SELECT r.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        f"JOIN pg_class r ON r.oid = c.conrelid WHERE r.relnamespace = {_NS} "
        f"AND r.relkind IN ('r', 'p') AND c.conparentid = 0 AND {which} "
        "ORDER BY r.oid, c.contype DESC, c.conname",
    ):
        dump.up.append(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {definition}")
        if drop:  # foreign keys: dropped before the tables, so no DROP TABLE needs CASCADE
            dump.down.append(f"ALTER TABLE {_q(table)} DROP CONSTRAINT {_q(name)}")


def _views(dump: _Dump) -> None:
    """Views and materialized views, each after the views it reads (else in creation order)."""
    views = _rows(
        dump.cur,
        "SELECT c.oid, c.relname, c.relkind, pg_get_viewdef(c.oid) FROM pg_class c "
        f"WHERE c.relnamespace = {_NS} AND c.relkind IN ('v', 'm') "
        f"AND {_NOT_EXTENSION.format(oid='c.oid')} ORDER BY c.oid",
    )
    reads: dict[int, set[int]] = {}
    for view, used in _rows(
        dump.cur,
        "SELECT DISTINCT r.ev_class, d.refobjid FROM pg_rewrite r JOIN pg_depend d "
        "ON d.objid = r.oid AND d.classid = 'pg_rewrite'::regclass "
        "AND d.refclassid = 'pg_class'::regclass WHERE d.refobjid <> r.ev_class",
    ):
        reads.setdefault(view, set()).add(used)
    done: set[int] = set()
    remaining = list(views)
    while remaining:
        ready = [v for v in remaining if not (reads.get(v[0], set()) & {w[0] for w in remaining})]
        for oid, name, kind, definition in ready or remaining[:1]:  # no cycle can exist
            word = "MATERIALIZED VIEW" if kind == "m" else "VIEW"
            body = str(definition).strip().rstrip(";")
            dump.up.append(f"CREATE {word} {_q(name)} AS\n{body}")
            dump.down.append(f"DROP {word} {_q(name)}")
            done.add(oid)
        remaining = [v for v in remaining if v[0] not in done]


def _indexes(dump: _Dump) -> None:
    """Indexes that no constraint made (those came with their constraint)."""
    for (definition,) in _rows(
        dump.cur,
        "SELECT pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
        f"WHERE t.relnamespace = {_NS} AND t.relkind IN ('r', 'p', 'm') "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid "
        "AND c.contype IN ('p', 'u', 'x')) "
        f"AND {_NOT_EXTENSION.format(oid='t.oid')} ORDER BY i.oid",
    ):
        text = dump.unqualify(str(definition), " ON ONLY ")
        dump.up.append(dump.unqualify(text, " ON "))


def _triggers(dump: _Dump) -> None:
    for definition in _rows(
        dump.cur,
        "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        f"WHERE c.relnamespace = {_NS} AND NOT t.tgisinternal ORDER BY t.oid",
    ):
        dump.up.append(dump.unqualify(str(definition[0]), " ON "))


def _notes(dump: _Dump, tables: list[tuple[int, str, str]]) -> None:
    for _oid, name, kind in tables:
        if kind == "p":
            dump.notes.append(f"table {name}: partitioned; its partitions are not carried")
    for (name,) in _rows(
        dump.cur,
        f"SELECT polname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid "
        f"WHERE c.relnamespace = {_NS}",
    ):
        dump.notes.append(f"row security policy {name}: not carried")
