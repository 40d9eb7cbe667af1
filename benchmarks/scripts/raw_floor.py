"""The raw floor: the least any migration tool can do, as a tight loop over the DB-API driver.

    python raw_floor.py apply|noop|status|revert DIALECT DATABASE DIR

Each migration file holds one statement (the workload guarantees it), so it is sent as is.
Imports only the one driver in use and the standard library modules each scenario needs (no
``typing``, ``urllib``, ``hashlib`` or ``datetime`` where a scenario does not use them): a floor
that imports more than it must would flatter every tool measured against it.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

TABLE = "raw_migrations"
STEPS = 10
PG_SERVER = os.environ.get("GOOFER_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
MY_SERVER = os.environ.get("GOOFER_BENCH_MYSQL_URL", "mysql://root@127.0.0.1:3306")


def connect(dialect: str, database: str) -> tuple[Any, str]:
    """Open an autocommit connection; return it with the driver's placeholder."""
    if dialect == "sqlite":
        import sqlite3

        return sqlite3.connect(database, isolation_level=None), "?"
    if dialect == "postgresql":
        import psycopg

        user, password, host, port = server(PG_SERVER, 5432)
        return psycopg.connect(
            host=host, port=port, user=user, password=password, dbname=database, autocommit=True
        ), "%s"
    import pymysql

    user, password, host, port = server(MY_SERVER, 3306)
    return pymysql.connect(
        host=host,
        port=port,
        user=user,
        password=password or "",
        database=database,
        autocommit=True,
        charset="utf8mb4",
    ), "%s"


def server(url: str, default_port: int) -> tuple[str | None, str | None, str, int]:
    """Split ``scheme://user[:password]@host[:port]`` (no escapes: a hand-written script's URL)."""
    auth, _, location = url.split("://", 1)[1].rpartition("@")
    user, _, password = auth.partition(":")
    host, _, port = location.strip("/").partition(":")
    return user or None, password or None, host, int(port or default_port)


def ddl(dialect: str) -> str:
    """Return the tracking table's DDL (the contract's columns)."""
    stamp, text = ("DATETIME(6)", "LONGTEXT") if dialect == "mysql" else ("TIMESTAMP", "TEXT")
    return (
        f"CREATE TABLE IF NOT EXISTS {TABLE} (id VARCHAR(255) PRIMARY KEY, "
        f"name VARCHAR(255) NOT NULL, applied_at {stamp} NOT NULL, script {text} NOT NULL, "
        "checksum VARCHAR(32) NOT NULL)"
    )


def files(directory: str, suffix: str) -> dict[str, str]:
    """Return {id: file name} for the ``suffix`` files in ``directory``."""
    return {f.split("_", 1)[0]: f for f in os.listdir(directory) if f.endswith(suffix)}


def read(path: str) -> str:
    """Read a migration file as the engine would (UTF-8, LF line ends)."""
    with open(path, "rb") as f:
        return f.read().decode("utf-8").replace("\r\n", "\n")


def apply(dialect: str, cur: Any, p: str, directory: str) -> None:
    """Per migration: begin, execute, insert the tracking row with its MD5, commit."""
    import hashlib
    from datetime import datetime, timezone

    cur.execute(ddl(dialect))
    cur.execute(f"SELECT id FROM {TABLE}")
    applied = {row[0] for row in cur.fetchall()}
    ups = files(directory, ".up.sql")
    for mid in sorted(ups):
        if mid in applied:
            continue
        text = read(os.path.join(directory, ups[mid]))
        name = ups[mid][len(mid) + 1 : -len(".up.sql")]
        now: Any = datetime.now(timezone.utc).replace(tzinfo=None)
        if dialect == "sqlite":
            now = now.isoformat(sep=" ")
        cur.execute("BEGIN")
        cur.execute(text)
        cur.execute(
            f"INSERT INTO {TABLE} (id, name, applied_at, script, checksum) "
            f"VALUES ({p}, {p}, {p}, {p}, {p})",
            (mid, name, now, text, hashlib.md5(text.encode()).hexdigest()),
        )
        cur.execute("COMMIT")


def noop(cur: Any, directory: str) -> None:
    """Read the tracking table and verify every file's checksum; apply nothing."""
    import hashlib

    cur.execute(f"SELECT id, checksum FROM {TABLE}")
    stored = dict(cur.fetchall())
    ups = files(directory, ".up.sql")
    for mid in sorted(ups):
        digest = hashlib.md5(read(os.path.join(directory, ups[mid])).encode()).hexdigest()
        if stored.get(mid) != digest:
            sys.exit(f"{ups[mid]}: pending or modified")
    print("up to date")


def status(cur: Any, directory: str) -> None:
    """Read the tracking table, list the directory and print one line per migration.

    Each line has the state the contract's status shows: applied, pending, missing, or modified
    (the up file's MD5 differs from the stored one), so every applied migration's file is read
    and hashed, as any status that reports modified files must.
    """
    import hashlib

    cur.execute(f"SELECT id, applied_at, checksum FROM {TABLE}")
    applied = {mid: (when, checksum) for mid, when, checksum in cur.fetchall()}
    ups = files(directory, ".up.sql")
    lines = []
    for mid in sorted(ups.keys() | applied.keys()):
        name = ups[mid][len(mid) + 1 : -len(".up.sql")] if mid in ups else "?"
        when, checksum = applied.get(mid, (None, None))
        if checksum is None:
            state = "pending"
        elif mid not in ups:
            state = "missing"
        else:
            text = read(os.path.join(directory, ups[mid]))
            same = hashlib.md5(text.encode()).hexdigest() == checksum
            state = "applied" if same else "modified"
        lines.append(f"{mid}  {name}  {state}  {when or '-'}")
    print("\n".join(lines))


def revert(cur: Any, p: str, directory: str) -> None:
    """Run the down files of the last ten migrations and delete their rows."""
    cur.execute(f"SELECT id FROM {TABLE} ORDER BY id DESC LIMIT {STEPS}")
    downs = files(directory, ".down.sql")
    for (mid,) in cur.fetchall():
        text = read(os.path.join(directory, downs[mid]))
        cur.execute("BEGIN")
        cur.execute(text)
        cur.execute(f"DELETE FROM {TABLE} WHERE id = {p}", (mid,))
        cur.execute("COMMIT")


def main() -> None:
    """Run one scenario."""
    scenario, dialect, database, directory = sys.argv[1:5]
    conn, p = connect(dialect, database)
    cur = conn.cursor()
    if scenario == "apply":
        apply(dialect, cur, p, directory)
    elif scenario == "noop":
        noop(cur, directory)
    elif scenario == "status":
        status(cur, directory)
    elif scenario == "revert":
        revert(cur, p, directory)
    else:
        sys.exit(f"unknown scenario {scenario}")
    conn.close()


if __name__ == "__main__":
    main()
