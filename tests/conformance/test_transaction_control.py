"""COMMIT, BEGIN or ROLLBACK in a migration Goofer runs in a transaction is refused up front.

Such a statement would commit part of the migration without its tracking row (a failure after
it leaves the migration half applied and unrecorded) and, on SQLite, let go of the run lock.
"""

from __future__ import annotations

import pytest

from tests.helpers import make_database, run_goofer


@pytest.fixture(params=["sqlite", "postgresql"])
def transactional_db(request, tmp_path):
    yield from make_database(request.param, tmp_path)


def _pair(directory, migration_id, name, up, down="DROP TABLE IF EXISTS first_t;\n"):
    directory.mkdir(exist_ok=True)
    (directory / f"{migration_id}_{name}.up.sql").write_text(up)
    (directory / f"{migration_id}_{name}.down.sql").write_text(down)


def test_transaction_control_in_a_transactional_migration_is_refused(transactional_db, tmp_path):
    db, migrations = transactional_db, tmp_path / "m"
    _pair(
        migrations,
        "20240101000000",
        "ok",
        "CREATE TABLE ok_t (id INTEGER);\n",
        "DROP TABLE ok_t;\n",
    )
    _pair(
        migrations,
        "20240102000000",
        "commits",
        "-- two tables, the first in a transaction of its own\nBEGIN;\n"
        "CREATE TABLE first_t (id INTEGER);\nCOMMIT;\nCREATE TABLE second_t (id INTEGER);\n",
    )
    result = run_goofer("--database-url", db.url, "--dir", str(migrations), "up")
    assert result.returncode == 1
    assert result.stderr == (
        "error: 20240102000000_commits.up.sql: statement 1 (line 2): BEGIN inside a migration "
        "that Goofer runs in a transaction would commit part of it without its tracking row: "
        "remove it, or make '-- goofer:no-transaction' the file's first line\n"
    )
    # Refused before anything ran: not even the migration before it.
    assert db.tables() <= {"migrations"}
    sql = run_goofer("--database-url", db.url, "--dir", str(migrations), "sql")
    assert sql.returncode == 1 and "BEGIN inside a migration" in sql.stderr

    # Outside Goofer's transaction the file is the author's to commit as it likes.
    up = migrations / "20240102000000_commits.up.sql"
    up.write_text("-- goofer:no-transaction\n" + up.read_text())
    result = run_goofer("--database-url", db.url, "--dir", str(migrations), "up")
    assert result.returncode == 0, result.stderr
    assert {"ok_t", "first_t", "second_t"} <= db.tables()


def test_savepoints_stay_inside_the_transaction(transactional_db, tmp_path):
    db, migrations = transactional_db, tmp_path / "m"
    _pair(
        migrations,
        "20240101000000",
        "savepoint",
        "CREATE TABLE first_t (id INTEGER);\nSAVEPOINT before_seed;\n"
        "INSERT INTO first_t VALUES (1);\nROLLBACK TO SAVEPOINT before_seed;\n"
        "RELEASE SAVEPOINT before_seed;\n",
    )
    result = run_goofer("--database-url", db.url, "--dir", str(migrations), "up")
    assert result.returncode == 0, result.stderr
    assert db.query("SELECT COUNT(*) FROM first_t") == [(0,)]


def test_a_down_file_that_rolls_back_is_refused_before_it_runs(transactional_db, tmp_path):
    db, migrations = transactional_db, tmp_path / "m"
    _pair(
        migrations,
        "20240101000000",
        "undo",
        "CREATE TABLE first_t (id INTEGER);\n",
        "BEGIN;\nDROP TABLE first_t;\n",
    )
    assert run_goofer("--database-url", db.url, "--dir", str(migrations), "up").returncode == 0
    result = run_goofer("--database-url", db.url, "--dir", str(migrations), "down")
    assert result.returncode == 1
    assert result.stderr.startswith(
        "error: 20240101000000_undo.down.sql: statement 1 (line 1): BEGIN inside a migration"
    )
    assert "first_t" in db.tables() and db.tracking_ids() == ["20240101000000"]
