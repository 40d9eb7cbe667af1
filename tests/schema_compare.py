"""Read two databases' schemas from their catalogs and say where they differ, column by column.

The tests that build one set of models two ways (the ORM's own DDL, and Goofer's generate +
up) compare with these: types as the catalog spells them, nullability, defaults by the value
they stand for (their spelling may differ), autoincrement.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from goofer_core.schema.literals import default_from_sql
from tests.helpers import TestDatabase


def catalog(db: TestDatabase) -> dict[tuple[str, str], tuple[str, bool, Any, bool]]:
    """Return {(table, column): (type, nullable, default, autoincrement)} from the catalog."""
    if db.dialect_name == "sqlite":
        tables = [
            r[0]
            for r in db.query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name <> 'migrations'"
            )
        ]
        rows = [(t, *r[1:5]) for t in tables for r in db.query(f'PRAGMA table_info("{t}")')]
        found = {
            (t, c): (kind, not notnull, default, False) for t, c, kind, notnull, default in rows
        }
    elif db.dialect_name == "postgresql":
        rows = db.query(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,"
            " pg_get_expr(d.adbin, d.adrelid), a.attidentity <> '' FROM pg_attribute a "
            "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 "
            "AND NOT a.attisdropped AND c.relname <> 'migrations'"
        )
        found = {
            (t, c): (kind, nullable, default, identity)
            for t, c, kind, nullable, default, identity in rows
        }
    else:
        rows = db.query(
            "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA "
            "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
            "AND TABLE_NAME <> 'migrations'"
        )
        found = {
            (t, c): (kind, nullable == "YES", default, "auto_increment" in extra)
            for t, c, kind, nullable, default, extra in rows
        }
    return found


def same_default(db: TestDatabase, column_type: str, theirs: Any, ours: Any) -> bool:
    """Compare two catalog defaults by the value they stand for (their spelling may differ)."""
    if theirs is None or ours is None:
        return theirs == ours
    kind = _column_type(db, column_type)
    backslashes = db.dialect_name == "mysql"
    return default_from_sql(kind, str(theirs), backslashes) == default_from_sql(
        kind, str(ours), backslashes
    )


def _column_type(db: TestDatabase, text: str) -> Any:
    return import_module(f"goofer_core.dialects.{db.dialect_name}.introspect").parse_type(text)


def differences(db: TestDatabase, theirs: dict, ours: dict) -> dict[tuple[str, str], set[str]]:
    """Return {(table, column): {what differs}} between create_all's columns and Goofer's."""
    assert set(theirs) == set(ours), set(theirs) ^ set(ours)
    found: dict[tuple[str, str], set[str]] = {}
    for key, (their_type, their_null, their_default, their_auto) in theirs.items():
        our_type, our_null, our_default, our_auto = ours[key]
        what = set()
        if their_type.lower() != our_type.lower():
            what.add("type")
        if their_null != our_null:
            what.add("nullability")
        if not same_default(db, their_type, their_default, our_default):
            what.add("default")
        if their_auto != our_auto:
            what.add("autoincrement")
        if what:
            found[key] = what
    return found


def indexes(db: TestDatabase) -> list[tuple[Any, ...]]:
    """Return every index (unique constraints and keys included) as the catalog describes it.

    Names are left out (they may be spelled differently); PostgreSQL's entries are its own
    ``pg_get_indexdef`` text, so operator classes and methods count.
    """
    if db.dialect_name == "sqlite":
        tables = [
            r[0]
            for r in db.query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name <> 'migrations'"
            )
        ]
        found = []
        for t in tables:
            for _, name, unique, *_ in db.query(f'PRAGMA index_list("{t}")'):
                columns = tuple(r[2] for r in db.query(f'PRAGMA index_info("{name}")'))
                found.append((t, bool(unique), columns))
    elif db.dialect_name == "postgresql":
        found = db.query(
            "SELECT c.relname, regexp_replace(pg_get_indexdef(x.indexrelid), "
            "'^CREATE (UNIQUE )?INDEX \\S+ ON \\S+ ', '\\1') FROM pg_index x "
            "JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relname <> 'migrations'"
        )
    else:
        rows = db.query(
            "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, GROUP_CONCAT(COLUMN_NAME ORDER BY "
            "SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
            "AND TABLE_NAME <> 'migrations' GROUP BY TABLE_NAME, INDEX_NAME, NON_UNIQUE"
        )
        found = [(t, not non_unique, columns) for t, _, non_unique, columns in rows]
    return sorted(tuple(r) for r in found)


def foreign_keys(db: TestDatabase) -> list[tuple[Any, ...]]:
    """Return every foreign key as the catalog describes it, names left out.

    PostgreSQL's entries are its own ``pg_get_constraintdef`` text (ON DELETE, DEFERRABLE ...);
    SQLite's pragma does not report deferral.
    """
    if db.dialect_name == "sqlite":
        tables = [
            r[0]
            for r in db.query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        found = []
        for t in tables:
            groups: dict[int, list[Any]] = {}
            for row in db.query(f'PRAGMA foreign_key_list("{t}")'):
                groups.setdefault(row[0], []).append(row)
            for rows in groups.values():
                rows.sort(key=lambda r: r[1])
                found.append(
                    (
                        t,
                        rows[0][2],
                        tuple(r[3] for r in rows),
                        tuple(r[4] for r in rows),
                        rows[0][6],
                    )
                )
    elif db.dialect_name == "postgresql":
        found = db.query(
            "SELECT r.relname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace "
            "WHERE n.nspname = current_schema() AND c.contype = 'f'"
        )
    else:
        found = db.query(
            "SELECT k.TABLE_NAME, k.REFERENCED_TABLE_NAME, GROUP_CONCAT(k.COLUMN_NAME ORDER BY "
            "k.ORDINAL_POSITION), GROUP_CONCAT(k.REFERENCED_COLUMN_NAME ORDER BY "
            "k.ORDINAL_POSITION), MAX(r.DELETE_RULE) FROM information_schema.KEY_COLUMN_USAGE k "
            "JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = "
            "k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = "
            "k.TABLE_NAME WHERE k.TABLE_SCHEMA = DATABASE() "
            "AND k.REFERENCED_TABLE_NAME IS NOT NULL "
            "GROUP BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.REFERENCED_TABLE_NAME"
        )
    return sorted(tuple(r) for r in found)
