"""A failing statement, bad files and part-way failures, as the user sees them."""

from __future__ import annotations

import pytest

from tests.helpers import make_database, run_goofer


def test_failing_statement_stops_the_run_and_names_file_statement_and_line(db, cli, scenario):
    migrations = scenario("failing_statement")
    result = cli(db.url, migrations, "up")
    assert result.exit_code == 1
    err = result.stderr.strip()
    assert err.startswith("error: 20240102000000_breaks.up.sql: statement 3 (line 5): "), err
    assert len(err.splitlines()) == 1
    assert "applied 20240101000000_create_users (" in result.stdout
    assert "after_failure" not in db.tables()
    if db.dialect.transactional_ddl:
        # Rolled back together with its tracking row; the earlier migration stays applied.
        assert db.tracking_ids() == ["20240101000000"]
        assert not {"first_ok", "second_ok"} & db.tables()
        assert "resolve" not in err
    else:
        # MySQL committed the first two statements: recorded as failed part-way.
        assert {"first_ok", "second_ok"} <= db.tables()
        assert "2 of 3 statements ran" in err
        assert "goofer resolve 20240102000000" in err


@pytest.fixture(params=["sqlite", "postgresql"])
def transactional_db(request, tmp_path):
    yield from make_database(request.param, tmp_path)


def test_after_a_rolled_back_failure_fixing_the_file_lets_up_continue(
    transactional_db, cli, scenario
):
    db, migrations = transactional_db, scenario("failing_statement")
    cli(db.url, migrations, "up")
    broken = migrations / "20240102000000_breaks.up.sql"
    broken.write_text(broken.read_text().replace("CREATE TABLE users", "CREATE TABLE third_ok"))
    result = cli(db.url, migrations, "up")
    assert result.exit_code == 0, result
    assert db.tracking_ids() == ["20240101000000", "20240102000000", "20240103000000"]


@pytest.fixture
def mysql_db(tmp_path):
    yield from make_database("mysql", tmp_path)


def test_mysql_part_way_failure_blocks_up_until_resolved_applied(mysql_db, cli, scenario):
    db, migrations = mysql_db, scenario("failing_statement")
    cli(db.url, migrations, "up")
    rows = db.query("SELECT state, statements_done FROM migrations WHERE id = '20240102000000'")
    assert rows == [("failed", 2)]

    status = cli(db.url, migrations, "status")
    assert "20240102000000  breaks" in status.stdout and " failed " in status.stdout
    assert "2 statements done" in status.stdout
    check = cli(db.url, migrations, "check")
    assert check.exit_code == 1 and "20240102000000_breaks" in check.stdout

    again = cli(db.url, migrations, "up")
    assert again.exit_code == 1
    assert "20240102000000_breaks: failed part-way" in again.stderr
    assert "goofer resolve 20240102000000 --applied" in again.stderr
    assert "after_failure" not in db.tables()

    # The operator finishes the migration by hand and says so.
    db.query("CREATE TABLE third_ok (id INT PRIMARY KEY)")
    resolved = cli(db.url, migrations, "resolve", "20240102000000", "--applied")
    assert resolved.exit_code == 0, resolved
    assert db.query("SELECT state FROM migrations WHERE id = '20240102000000'") == [("applied",)]
    result = cli(db.url, migrations, "up")
    assert result.exit_code == 0, result
    assert "applied 20240103000000_after (" in result.stdout
    assert "after_failure" in db.tables()


def test_mysql_part_way_failure_resolved_as_rolled_back_reruns(mysql_db, cli, scenario):
    db, migrations = mysql_db, scenario("failing_statement")
    cli(db.url, migrations, "up")
    # The operator undoes what ran, fixes the file, and says the migration is rolled back.
    db.query("DROP TABLE second_ok")
    db.query("DROP TABLE first_ok")
    resolved = cli(db.url, migrations, "resolve", "20240102000000", "--rolled-back")
    assert resolved.exit_code == 0, resolved
    assert db.tracking_ids() == ["20240101000000"]
    broken = migrations / "20240102000000_breaks.up.sql"
    broken.write_text(broken.read_text().replace("CREATE TABLE users", "CREATE TABLE third_ok"))
    result = cli(db.url, migrations, "up")
    assert result.exit_code == 0, result
    assert db.tracking_ids() == ["20240101000000", "20240102000000", "20240103000000"]
    assert db.query("SELECT state FROM migrations WHERE id = '20240102000000'") == [("applied",)]


def test_resolve_refuses_a_migration_that_did_not_fail(db, cli, scenario):
    migrations = scenario("basic")
    cli(db.url, migrations, "up")
    result = cli(db.url, migrations, "resolve", "20240101000000", "--applied")
    assert result.exit_code == 1
    assert "no migration with that id failed part-way" in result.stderr
    assert cli(db.url, migrations, "resolve", "20240101000000").exit_code == 2


@pytest.mark.parametrize(
    ("folder", "message"),
    [
        ("bad_name", "20240102000000_Add-Thing.down.sql: name 'Add-Thing' must match [a-z0-9_]+"),
        ("bad_id", "2024010200_short_id.down.sql: id '2024010200' is not a 14-digit"),
        ("duplicate_id", "20240101000000_other_thing.down.sql: duplicate id 20240101000000"),
        (
            "missing_down",
            "20240102000000_no_down.up.sql: has no matching 20240102000000_no_down.down.sql",
        ),
    ],
)
def test_bad_files_are_named_before_the_database_is_touched(db, cli, scenario, folder, message):
    result = cli(db.url, scenario(folder), "up")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {message}"), result.stderr
    assert db.tables() == set()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"CREATE TABLE a (id INTEGER);\x00 CREATE TABLE b (id INTEGER);\n", "contains a NUL byte"),
        (b"CREATE TABLE a (id INTEGER);\n-- caf\xe9\n", "is not valid UTF-8 (line 2)"),
    ],
)
def test_nul_bytes_and_invalid_utf8_are_refused_before_any_sql(db, cli, tmp_path, content, problem):
    migrations = tmp_path / "m"
    migrations.mkdir()
    (migrations / "20240101000000_bad_bytes.up.sql").write_bytes(content)
    (migrations / "20240101000000_bad_bytes.down.sql").write_text("DROP TABLE a;\n")
    result = cli(db.url, migrations, "up")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: 20240101000000_bad_bytes.up.sql: {problem}")
    assert db.tables() == set()


def test_a_down_file_without_the_directive_reverts_in_a_transaction(
    transactional_db, cli, tmp_path
):
    """The down file's own first line decides; here its failure rolls the whole down back."""
    db, migrations = transactional_db, tmp_path / "m"
    migrations.mkdir()
    (migrations / "20240101000000_outside.up.sql").write_text(
        "-- goofer:no-transaction\nCREATE TABLE kept (id INTEGER PRIMARY KEY);\n"
    )
    (migrations / "20240101000000_outside.down.sql").write_text(
        "DROP TABLE kept;\nSELECT nosuchcolumn FROM nosuchtable;\n"
    )
    assert cli(db.url, migrations, "up").exit_code == 0
    result = cli(db.url, migrations, "down")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: 20240101000000_outside.down.sql: statement 2 (line 2)")
    assert "resolve" not in result.stderr  # rolled back, nothing to settle by hand
    assert "kept" in db.tables()
    assert db.query("SELECT state FROM migrations") == [("applied",)]


def test_down_reads_only_the_down_files_it_runs(db, cli, scenario):
    """Reverting the newest migration does not read (or hash) every up file in the folder."""
    migrations = scenario("basic")
    assert cli(db.url, migrations, "up").exit_code == 0
    oldest_up = migrations / "20240101000000_create_users.up.sql"
    oldest_up.write_bytes(oldest_up.read_bytes() + b"-- caf\xe9\n")  # now invalid UTF-8
    result = cli(db.url, migrations, "down")
    assert result.exit_code == 0, result
    assert db.tracking_ids() == ["20240101000000", "20240102000000"]
    refused = cli(db.url, migrations, "up")  # up verifies every applied file: it refuses
    assert refused.exit_code == 1
    assert "20240101000000_create_users.up.sql: is not valid UTF-8" in refused.stderr


def test_mysql_an_up_file_too_big_to_record_is_refused_before_anything_runs(mysql_db, tmp_path):
    """The tracking row holds the script: over max_allowed_packet it failed at every boot."""
    db, migrations = mysql_db, tmp_path / "m"
    migrations.mkdir()
    (migrations / "20240101000000_small.up.sql").write_text("CREATE TABLE big_t (v TEXT);\n")
    (migrations / "20240101000000_small.down.sql").write_text("DROP TABLE big_t;\n")
    row = "INSERT INTO big_t (v) VALUES ('" + "x" * 1000 + "');\n"
    (migrations / "20240102000000_seed.up.sql").write_text(row * 17 * 1024)  # 17 MiB
    (migrations / "20240102000000_seed.down.sql").write_text("DELETE FROM big_t;\n")
    (limit,) = db.query("SELECT @@max_allowed_packet")[0]
    result = run_goofer("--database-url", db.url, "--dir", str(migrations), "up")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"error: 20240102000000_seed.up.sql: 17.2 MiB is more than max_allowed_packet "
        f"({min(limit, 16 * 2**20) / 2**20:.1f} MiB) lets Goofer record in the tracking table, "
        "so nothing was applied: raise max_allowed_packet on the server (and "
        "?max_allowed_packet= in the URL), or split the migration\n"
    )
    assert "big_t" not in db.tables()
