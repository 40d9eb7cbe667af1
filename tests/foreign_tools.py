"""Other migration tools for the import tests: their native clients, and schema comparison.

dbmate is its own binary (``.ci/bin/dbmate``, which ``.ci/run`` downloads pinned, or on PATH).
golang-migrate's ``migrate`` binary is not published on a registry these machines reach, so
``apply_golang_migrate`` does what ``migrate up`` does with the database's own command-line
client (``psql``, ``mariadb``, ``sqlite3``): every up file in golang-migrate's order (by version
number, not by name), one client run per file, then golang-migrate's one-row
``schema_migrations (version bigint, dirty boolean)`` table as ``migrate`` writes it. (The
clients send a file's statements one by one where ``migrate`` sends the file in one call: the
schema built is the same.)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from goofer_core.url import DatabaseURL
from goofer_core.verify.snapshot import Snapshot, compare_snapshots, read_snapshot
from tests.helpers import TestDatabase

ROOT = Path(__file__).resolve().parents[1]
FOREIGN = Path(__file__).parent / "fixtures" / "foreign"
GOLANG_SET = FOREIGN / "golang_migrate" / "portable"
DBMATE_SET = FOREIGN / "dbmate" / "portable"
TRACKING_TABLES = {"migrations", "schema_migrations"}


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def find_tool(name: str) -> str:
    """Return the path of a native client; skip (under CI=true: fail) when it is missing."""
    local = ROOT / ".ci" / "bin" / name
    found = str(local) if local.is_file() else shutil.which(name)
    if found is None:
        message = f"{name} not found in .ci/bin/ or on PATH (.ci/run downloads it)"
        if _in_ci():
            pytest.fail(f"{message} (CI=true: a missing tool is a failure)")
        pytest.skip(message)
    return found


def golang_versions(source: Path) -> list[tuple[int, Path]]:
    """Return (version, up file) in golang-migrate's order: by number, not by name."""
    ups = []
    for path in source.iterdir():
        match = re.match(r"^([0-9]+)_(.*)\.up\.sql$", path.name)
        if match:
            ups.append((int(match.group(1)), path))
    return sorted(ups)


def _client(db: TestDatabase) -> list[str]:
    url = DatabaseURL.parse(db.url)
    if db.dialect_name == "sqlite":
        return [find_tool("sqlite3"), "-bail", str(url.database)]
    if db.dialect_name == "postgresql":
        return [find_tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", db.url]
    return [
        find_tool("mariadb"),
        f"-h{url.host}",
        f"-P{url.port or 3306}",
        f"-u{url.user}",
        str(url.database),
    ]


def run_client(db: TestDatabase, sql: str) -> None:
    """Run SQL with the database's own command-line client; fail the test on an error."""
    done = subprocess.run(_client(db), input=sql, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "ERROR" not in done.stderr, done.stderr


def apply_golang_migrate(db: TestDatabase, source: Path, up_to: int | None = None) -> None:
    """Apply ``source``'s up files as ``migrate up`` (or ``migrate goto up_to``) would."""
    applied = [(v, p) for v, p in golang_versions(source) if up_to is None or v <= up_to]
    for _, path in applied:
        run_client(db, path.read_text(encoding="utf-8"))
    run_client(
        db,
        "CREATE TABLE schema_migrations "
        f"(version bigint not null primary key, dirty boolean not null);\n"
        f"INSERT INTO schema_migrations (version, dirty) VALUES ({applied[-1][0]}, false);\n",
    )


def dbmate_url(db: TestDatabase) -> str:
    """Return the database's URL as dbmate spells it."""
    url = DatabaseURL.parse(db.url)
    if db.dialect_name == "sqlite":
        return f"sqlite:{url.database}"
    if db.dialect_name == "postgresql":
        return f"postgres://{url.user}@{url.host}:{url.port or 5432}/{url.database}?sslmode=disable"
    return f"mysql://{url.user}@{url.host}:{url.port or 3306}/{url.database}"


def apply_dbmate(
    db: TestDatabase, source: Path, only: list[str] | None = None, tmp: Path | None = None
) -> None:
    """Run ``dbmate up`` on ``source``, or on a copy of the files named ``only*``."""
    if only is not None:
        assert tmp is not None
        subset = tmp / "dbmate_subset"
        subset.mkdir()
        for path in source.glob("*.sql"):
            if any(path.name.startswith(prefix) for prefix in only):
                shutil.copy(path, subset / path.name)
        source = subset
    done = subprocess.run(
        [find_tool("dbmate"), "--no-dump-schema", "-d", str(source), "-u", dbmate_url(db), "up"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def snapshot(db: TestDatabase) -> Snapshot:
    """Return the database's schema as verify reads it, without any tracking table."""
    conn = db.connect()
    try:
        found = read_snapshot(db.dialect_name, conn, "migrations")
    finally:
        conn.close()
    return Snapshot(
        found.schema.without_tables(TRACKING_TABLES),
        tuple(o for o in found.objects if o.table not in TRACKING_TABLES),
    )


def schema_differences(ours: TestDatabase, theirs: TestDatabase) -> list[str]:
    """Return how the two databases' schemas differ (tracking tables left out)."""
    return [
        d.describe("natively", "by Goofer")
        for d in compare_snapshots(snapshot(theirs), snapshot(ours))
    ]


def rows(db: TestDatabase, sql: str) -> list[tuple[Any, ...]]:
    """Return a query's rows as plain tuples."""
    return [tuple(r) for r in db.query(sql)]
