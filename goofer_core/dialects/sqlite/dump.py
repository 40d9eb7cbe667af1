"""SQLite's schema as DDL, for ``squash``: the statements SQLite keeps in ``sqlite_master``.

SQLite stores the text of every ``CREATE`` (rewritten by ``ALTER TABLE ... RENAME``), so the
dump is that text: tables first (foreign keys are not checked when a table is created), then
indexes, views and triggers, each kind in the order it was created.
"""

from __future__ import annotations

from typing import Any

from ...schema.dump import SchemaDump

_ORDER = {"table": 0, "index": 1, "view": 2, "trigger": 3}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def dump_schema(conn: Any) -> SchemaDump:
    """Return the DDL of every table, index, view and trigger, and the drops that undo it."""
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid"
    ).fetchall()
    rows = sorted(rows, key=lambda r: _ORDER.get(r[0], 9))  # stable: creation order per kind
    up = tuple(str(sql).strip().rstrip(";") for _kind, _name, sql in rows)
    # Indexes and triggers go with their tables; views first, as they may read the tables.
    down = tuple(
        f"DROP {kind.upper()} {_q(name)}"
        for kind, name, _sql in reversed(rows)
        if kind in ("table", "view")
    )
    return SchemaDump(up, down)
