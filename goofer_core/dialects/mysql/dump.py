"""MySQL/MariaDB's schema as DDL, for ``squash``: the server's own ``SHOW CREATE`` statements.

``SHOW CREATE TABLE`` writes a table whole, its foreign keys included; those are cut out and
added after every table exists (a table may point at one created after it, or at itself).
``DEFINER`` clauses are dropped, so views, routines, triggers and events belong to whoever
applies the migration, and ``AUTO_INCREMENT=n`` is dropped: the counter is the data's.
Order: sequences (MariaDB), tables, foreign keys, routines, views (each after the views it
reads), triggers, events.
"""

from __future__ import annotations

import re
from typing import Any

from ...schema.dump import SchemaDump

_DEFINER = re.compile(
    r"\s+DEFINER\s*=\s*(?:`(?:[^`]|``)*`|'[^']*'|[^\s@]+)@(?:`(?:[^`]|``)*`|'[^']*'|\S+)"
)
_AUTO_INCREMENT = re.compile(r" AUTO_INCREMENT=\d+")
_FOREIGN_KEY = re.compile(r"^\s*CONSTRAINT\s+`(?:[^`]|``)+`\s+FOREIGN KEY\b")


def _q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _text(value: Any) -> str:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8")
    return str(value)


def _rows(cur: Any, sql: str) -> list[Any]:
    cur.execute(sql)
    return list(cur.fetchall())


def _show(cur: Any, what: str, name: str, column: int) -> str:
    """Return the CREATE statement ``SHOW CREATE <what> name`` gives, without its DEFINER.

    The server names the database where it resolved a name itself (a sequence in a column's
    ``DEFAULT nextval(`db`.`seq`)``): that is the scratch database, so the name is removed.
    """
    text = _text(_rows(cur, f"SHOW CREATE {what} {_q(name)}")[0][column])
    database = _text(_rows(cur, "SELECT DATABASE()")[0][0])
    text = text.replace(f"{_q(database)}.", "")
    return _DEFINER.sub("", text, count=1).strip().rstrip(";")


def split_foreign_keys(create_table: str) -> tuple[str, list[str]]:
    """Return ``SHOW CREATE TABLE``'s text without its foreign keys, and those clauses."""
    lines = create_table.split("\n")
    kept: list[str] = []
    keys: list[str] = []
    for line in lines:
        if _FOREIGN_KEY.match(line):
            keys.append(line.strip().rstrip(","))
        else:
            kept.append(line)
    # The clause before the table options lost its follower: no trailing comma before ")".
    for i in range(len(kept) - 1):
        if kept[i + 1].startswith(")") and kept[i].endswith(","):
            kept[i] = kept[i][:-1]
    return "\n".join(kept), keys


def dump_schema(conn: Any) -> SchemaDump:
    """Return the DDL of the URL's database, and the drops that undo it."""
    cur = conn.cursor()
    up: list[str] = []
    down: list[str] = []
    tables = _rows(
        cur,
        "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES "
        "WHERE TABLE_SCHEMA = DATABASE() ORDER BY CREATE_TIME, TABLE_NAME",
    )
    for name, kind in tables:
        if _text(kind) == "SEQUENCE":
            up.append(_show(cur, "SEQUENCE", _text(name), 1))
            down.append(f"DROP SEQUENCE {_q(_text(name))}")
    foreign_keys: list[tuple[str, str]] = []
    for name, kind in tables:
        if _text(kind) != "BASE TABLE":
            continue
        table = _text(name)
        create, keys = split_foreign_keys(_show(cur, "TABLE", table, 1))
        up.append(_AUTO_INCREMENT.sub("", create))
        down.append(f"DROP TABLE {_q(table)}")
        foreign_keys += [(table, key) for key in keys]
    up += [f"ALTER TABLE {_q(table)} ADD {key}" for table, key in foreign_keys]
    # Gathered after the tables, so (reversed) they are dropped before any table is.
    down += [
        f"ALTER TABLE {_q(table)} DROP FOREIGN KEY {_fk_name(key)}" for table, key in foreign_keys
    ]
    for name, kind in _rows(
        cur,
        "SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES "
        "WHERE ROUTINE_SCHEMA = DATABASE() ORDER BY CREATED, ROUTINE_NAME",
    ):
        up.append(_show(cur, _text(kind), _text(name), 2))
        down.append(f"DROP {_text(kind)} {_q(_text(name))}")
    views = {_text(n): _show(cur, "VIEW", _text(n), 1) for n, k in tables if _text(k) == "VIEW"}
    for view in _view_order(views):
        up.append(views[view])
        down.append(f"DROP VIEW {_q(view)}")
    for (name,) in _rows(
        cur,
        "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() "
        "ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER",
    ):
        up.append(_show(cur, "TRIGGER", _text(name), 2))  # dropped with its table
    for (name,) in _rows(
        cur,
        "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE() "
        "ORDER BY CREATED, EVENT_NAME",
    ):
        up.append(_show(cur, "EVENT", _text(name), 3))
        down.append(f"DROP EVENT {_q(_text(name))}")
    return SchemaDump(tuple(up), tuple(reversed(down)))


def _fk_name(statement: str) -> str:
    """Return the quoted constraint name of a ``CONSTRAINT `name` FOREIGN KEY ...`` clause."""
    match = re.match(r"CONSTRAINT (`(?:[^`]|``)+`)", statement)
    assert match is not None
    return match.group(1)


def _view_order(views: dict[str, str]) -> list[str]:
    """Return the views so that each comes after the views its definition names."""
    order: list[str] = []
    remaining = dict(views)
    while remaining:
        ready = [
            name
            for name, text in remaining.items()
            if not any(_q(other) in text for other in remaining if other != name)
        ]
        ready = ready or [next(iter(remaining))]  # a cycle cannot be created; be safe anyway
        for name in sorted(ready):
            order.append(name)
            del remaining[name]
    return order
