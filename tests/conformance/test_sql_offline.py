"""``goofer sql --offline``: the file fed to psql, mariadb or sqlite3 leaves what ``up`` leaves.

Each database gets the tricky fixtures (quotes, backslashes, ``$$`` bodies, triggers, a MySQL
procedure under DELIMITER, a no-transaction file) plus a CRLF file with Unicode. One twin is
migrated by ``goofer up``, the other by the offline file through the native client; ``status``,
the tracking rows (script and checksum included) and the schema must match.
"""

from __future__ import annotations

import json
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from goofer_core.url import DatabaseURL
from goofer_core.verify.snapshot import compare_snapshots, read_snapshot
from tests.helpers import TestDatabase, make_database, run_goofer

#: A URL whose server does not exist: the command fails if it tries to connect.
NOWHERE = {
    "sqlite": "sqlite:////nonexistent/goofer-offline/app.db",
    "postgresql": "postgresql://dba:secret@goofer-offline.invalid:5432/app",
    "mysql": "mariadb://dba:secret@goofer-offline.invalid:3306/app",
}
UNICODE = "héllo wörld, it''s “quoted” — ünïcode"
#: A CRLF file with Unicode and a backslash; on MySQL the table must hold more than Latin-1.
CRLF_FILE = (
    "-- ünïcode 🎉 and a backslash: C:\\temp\\\r\n"
    "CREATE TABLE greetings (id INTEGER PRIMARY KEY, body VARCHAR(100)){charset};\r\n"
    f"INSERT INTO greetings (id, body) VALUES (1, '{UNICODE}');\r\n"
)
NO_TRANSACTION_FILE = (
    "-- goofer:no-transaction\n"
    "CREATE INDEX greetings_body ON greetings (body);\n"
    "CREATE TABLE later (id INTEGER);\n"
)
LAST = "20240106000000"


def _migrations(tmp_path: Path, scenario: Any, dialect: str) -> Path:
    """Return the tricky fixtures of ``dialect`` with a CRLF/Unicode and a no-transaction pair."""
    directory = scenario("tricky", dialect)
    charset = " DEFAULT CHARSET=utf8mb4" if dialect == "mysql" else ""
    files = {
        "20240105000000_crlf_unicode": CRLF_FILE.format(charset=charset),
        f"{LAST}_no_transaction": NO_TRANSACTION_FILE,
    }
    for label, up in files.items():
        (directory / f"{label}.up.sql").write_bytes(up.encode("utf-8"))
    (directory / "20240105000000_crlf_unicode.down.sql").write_text("DROP TABLE greetings;\n")
    (directory / f"{LAST}_no_transaction.down.sql").write_text(
        "DROP TABLE later;\nDROP INDEX greetings_body" + (" ON greetings" * (dialect == "mysql"))
    )
    return directory


@pytest.fixture
def twin(db: TestDatabase, tmp_path: Path) -> Any:
    """A second fresh database on the same dialect as ``db``."""
    (tmp_path / "twin").mkdir()
    yield from make_database(db.dialect_name, tmp_path / "twin")


def offline(directory: Path, *args: str, url: str | None = None) -> subprocess.CompletedProcess:
    """Run the installed ``goofer ... sql --offline``."""
    group = ["--database-url", url] if url else []
    return run_goofer(*group, "--dir", str(directory), "sql", "--offline", *args)


def feed(
    db: TestDatabase, sql: str, tmp_path: Path, stop_flag: bool = True
) -> subprocess.CompletedProcess:
    """Run ``sql`` through the dialect's own command-line client, as a DBA would.

    ``stop_flag=False`` leaves out psql's ``-v ON_ERROR_STOP=1``: the file sets it itself.
    """
    path = tmp_path / "release.sql"
    path.write_text(sql, encoding="utf-8")
    url = DatabaseURL.parse(db.url)
    if db.dialect_name == "sqlite":
        command = ["sqlite3", url.database]
    elif db.dialect_name == "postgresql":
        command = ["psql", "-q", "-h", url.host or "", "-U", url.user or "", "-d", url.database]
        command += ["-p", str(url.port or 5432), "-f", str(path)]
        command += ["-v", "ON_ERROR_STOP=1"] if stop_flag else []
    else:
        command = ["mariadb", "-h", url.host or "", "-P", str(url.port or 3306)]
        command += ["-u", url.user or "root", url.database]
    with path.open("rb") as stdin:
        return subprocess.run(command, stdin=stdin, capture_output=True, text=True, timeout=60)


def status(cli: Any, db: TestDatabase, directory: Path) -> list[dict[str, Any]]:
    result = cli(db.url, directory, "status", "--json")
    assert result.exit_code == 0, result
    return [{k: v for k, v in s.items() if k != "applied_at"} for s in json.loads(result.stdout)]


def rows(db: TestDatabase) -> list[tuple[Any, ...]]:
    return db.query(
        "SELECT id, name, script, checksum, state, statements_done, error FROM migrations "
        "ORDER BY id"
    )


def snapshot(db: TestDatabase) -> Any:
    conn = db.connect()
    try:
        return read_snapshot(db.dialect_name, conn, "migrations")
    finally:
        conn.close()


def test_offline_file_leaves_what_up_leaves(db, twin, cli, scenario, tmp_path):
    migrations = _migrations(tmp_path, scenario, db.dialect_name)
    result = offline(migrations, url=NOWHERE[db.dialect_name])
    assert result.returncode == 0, result.stderr
    assert "secret" not in result.stdout + result.stderr

    before = datetime.now(timezone.utc).replace(tzinfo=None)
    client = feed(twin, result.stdout, tmp_path)
    assert client.returncode == 0, client.stderr
    assert cli(twin.url, migrations, "check").exit_code == 0
    assert cli(db.url, migrations, "up").exit_code == 0

    assert status(cli, twin, migrations) == status(cli, db, migrations)
    assert {s["state"] for s in status(cli, twin, migrations)} == {"applied"}
    assert rows(twin) == rows(db)
    assert compare_snapshots(snapshot(db), snapshot(twin)) == []
    assert twin.query("SELECT body FROM greetings") == [(UNICODE.replace("''", "'"),)]
    # applied_at is the time the client ran each migration, in UTC, as up stores it.
    for (stamp,) in twin.query("SELECT applied_at FROM migrations"):
        stamp = datetime.fromisoformat(stamp) if isinstance(stamp, str) else stamp
        assert before - timedelta(seconds=5) <= stamp <= before + timedelta(seconds=60)

    # --down offline: revert everything the file applied, newest first.
    result = offline(migrations, "--down", "--all", "--from", LAST, url=NOWHERE[db.dialect_name])
    assert result.returncode == 0, result.stderr
    client = feed(twin, result.stdout, tmp_path)
    assert client.returncode == 0, client.stderr
    assert twin.tables() == {"migrations"}
    assert twin.tracking_ids() == []


def test_offline_from_continues_where_up_stopped(db, cli, scenario, tmp_path):
    migrations = _migrations(tmp_path, scenario, db.dialect_name)
    assert cli(db.url, migrations, "up", "--to", "20240101000000").exit_code == 0

    result = offline(migrations, "--from", "20240101000000", "--dialect", db.dialect_name)
    assert result.returncode == 0, result.stderr
    assert "20240101000000_strings_and_comments.up.sql" not in result.stdout
    client = feed(db, result.stdout, tmp_path)
    assert client.returncode == 0, client.stderr

    check = cli(db.url, migrations, "check")
    assert check.exit_code == 0, check
    assert db.tracking_ids()[-1] == LAST


def test_offline_file_stops_at_a_failing_migration(db, cli, scenario, tmp_path):
    migrations = scenario("failing_statement")
    result = offline(migrations, url=NOWHERE[db.dialect_name])
    assert result.returncode == 0, result.stderr

    client = feed(db, result.stdout, tmp_path, stop_flag=False)
    assert client.returncode != 0
    states = {s["id"]: s["state"] for s in status(cli, db, migrations)}
    # As up leaves it: the first applied, the failing one rolled back (pending) where the
    # dialect has transactional DDL, else recorded as failed part-way; nothing after it ran.
    failing = "pending" if db.dialect.transactional_ddl else "failed"
    assert states == {
        "20240101000000": "applied",
        "20240102000000": failing,
        "20240103000000": "pending",
    }


def test_offline_errors_are_one_line(tmp_path, scenario):
    migrations = scenario("basic")
    cases = {
        "--dialect sqlite|postgresql|mysql": offline(migrations),
        "--from 20991231000000: no migration with that id": offline(
            migrations, "--from", "20991231000000", url=NOWHERE["postgresql"]
        ),
        "--to 20991231000000: no migration with that id": offline(
            migrations, "--to", "20991231000000", "--dialect", "mysql"
        ),
        "dialect 'oracle' is not supported": offline(migrations, "--dialect", "oracle"),
    }
    for expected, result in cases.items():
        assert result.returncode == 1, result
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
        assert expected in lines[0]
        assert "secret" not in lines[0]
    plain = run_goofer("--dir", str(migrations), "sql", "--from", "20240101000000")
    assert plain.returncode == 1
    assert plain.stderr.startswith("error: --from: only with --offline")


def test_offline_reads_the_folder_of_its_dialect(tmp_path):
    """With dialect folders (``--dir`` holding sqlite/ and mysql/), each dialect gets its own."""
    for dialect, table in (("sqlite", "lite_only"), ("mysql", "maria_only")):
        folder = tmp_path / "migrations" / dialect
        folder.mkdir(parents=True)
        (folder / "20260101000000_first.up.sql").write_text(f"CREATE TABLE {table} (id INT);\n")
        (folder / "20260101000000_first.down.sql").write_text(f"DROP TABLE {table};\n")
    for dialect, table, other in (
        ("sqlite", "lite_only", "maria_only"),
        ("mysql", "maria_only", "lite_only"),
    ):
        result = offline(tmp_path / "migrations", url=NOWHERE[dialect])
        assert result.returncode == 0, result.stderr
        assert f"CREATE TABLE {table} (id INT);" in result.stdout
        assert other not in result.stdout


def test_offline_names_a_schema_qualified_tracking_table(scenario):
    """``--table SCHEMA.NAME`` is quoted part by part; SQLite, without schemas, refuses it."""
    migrations = scenario("basic")
    result = run_goofer(
        "--database-url", NOWHERE["postgresql"], "--dir", str(migrations),
        "--table", "tenant_a.migrations", "sql", "--offline",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert 'CREATE TABLE IF NOT EXISTS "tenant_a"."migrations"' in result.stdout
    assert 'INSERT INTO "tenant_a"."migrations"' in result.stdout
    refused = run_goofer(
        "--database-url", NOWHERE["sqlite"], "--dir", str(migrations),
        "--table", "tenant_a.migrations", "sql", "--offline",
    )  # fmt: skip
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: tracking table tenant_a.migrations: sqlite has no")
