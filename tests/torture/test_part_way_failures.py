"""Part-way failures: statements that commit by themselves, then a later one fails.

On MySQL/MariaDB every DDL statement commits, and a `-- goofer:no-transaction` migration behaves
the same on SQLite and PostgreSQL, so these run on all three databases. tests/conformance/
test_failures.py covers the basic MySQL up failure and both resolve directions; this adds what it
leaves out: the Python API's error fields, that every command (not only up) refuses, a failure
in a *down* file, resolve adopting a fixed file's checksum, the resolved migration being
revertible afterwards, and resolve on edge cases (twice, unknown id, files gone).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goofer_core import IntegrityError, MigrationFailedError, Migrator
from tests.torture.test_crash_points import assert_no_lock_left, recorded

HEADER = "-- goofer:no-transaction\n"  # a comment to MySQL, where DDL never rolls back anyway
USERS, BREAKS, AFTER = "20240101000000", "20240102000000", "20240103000000"
BREAKS_UP = (
    HEADER + "CREATE TABLE first_ok (id INTEGER PRIMARY KEY);\n"
    "CREATE TABLE second_ok (id INTEGER PRIMARY KEY);\n\n"
    "-- statement 3 fails: the table already exists\n"
    "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
)
FIXED_UP = BREAKS_UP.replace("CREATE TABLE users", "CREATE TABLE third_ok")
BREAKS_DOWN = "DROP TABLE third_ok;\nDROP TABLE second_ok;\nDROP TABLE first_ok;\n"


def write(directory: Path, mid: str, name: str, up: str, down: str) -> None:
    """Write one migration pair."""
    directory.mkdir(exist_ok=True)
    (directory / f"{mid}_{name}.up.sql").write_text(up)
    (directory / f"{mid}_{name}.down.sql").write_text(down)


def three_migrations(directory: Path) -> None:
    """users, then `breaks` (fails at its third statement), then `after`."""
    write(
        directory,
        USERS,
        "users",
        "CREATE TABLE users (id INTEGER PRIMARY KEY);\n",
        "DROP TABLE users;\n",
    )
    write(directory, BREAKS, "breaks", BREAKS_UP, BREAKS_DOWN)
    write(
        directory,
        AFTER,
        "after",
        "CREATE TABLE after_failure (id INTEGER PRIMARY KEY);\n",
        "DROP TABLE after_failure;\n",
    )


def refusal(mid: str, name: str, done: int, message: str, reverting: bool = False) -> str:
    """Return the line every command prints while a migration is unresolved."""
    if reverting:
        return (
            f"error: {mid}_{name}: failed part-way while reverting ({done} statements ran: "
            f"{message}); finish its down by hand and run 'goofer resolve {mid} --rolled-back', "
            f"or undo what the down did and run 'goofer resolve {mid} --applied'\n"
        )
    return (
        f"error: {mid}_{name}: failed part-way ({done} statements ran: {message}); repair "
        f"the database by hand, then run 'goofer resolve {mid} --applied' or '--rolled-back'\n"
    )


def assert_every_command_refuses(
    db, cli, migrations: Path, mid: str, name: str, message: str, reverting: bool = False
) -> None:
    """up, down, sql and sql --down refuse; check fails; status shows the failure."""
    expected = refusal(mid, name, 2, message, reverting)
    for args in (["up"], ["down"], ["down", "--all"], ["sql"], ["sql", "--down"]):
        result = cli(db.url, migrations, *args)
        assert (result.exit_code, result.stderr) == (1, expected), (args, result)
    check = cli(db.url, migrations, "check")
    assert check.exit_code == 1
    how = "while reverting (revert-failed" if reverting else "(failed"
    assert f"{mid}_{name}: stopped part-way {how}, 2 statements done): {message}" in (check.stdout)
    [row] = [
        r for r in json.loads(cli(db.url, migrations, "status", "--json").stdout) if r["id"] == mid
    ]
    assert (row["state"], row["failed_while"]) == (
        "failed",
        "reverting" if reverting else "applying",
    )
    status = cli(db.url, migrations, "status")
    assert status.exit_code == 0 and f"{mid}  {name}" in status.stdout
    assert status.stdout.count(" failed ") == 1
    assert_no_lock_left(db)


@pytest.mark.parametrize("outcome", ["applied", "rolled-back"])
def test_up_fails_part_way_then_resolve(db, tmp_path, cli, outcome):
    migrations = tmp_path / "m"
    three_migrations(migrations)
    with pytest.raises(MigrationFailedError) as info:
        Migrator(db.url, None, migrations).up()
    error = info.value
    assert (error.filename, error.statement, error.line, error.rolled_back) == (
        f"{BREAKS}_breaks.up.sql",
        3,
        6,
        False,
    )
    assert "users" in error.db_message and "exists" in error.db_message
    assert str(error) == (
        f"{BREAKS}_breaks.up.sql: statement 3 (line 6): {error.db_message}; 2 of 3 statements "
        f"ran and could not be rolled back; repair the database by hand, then run "
        f"'goofer resolve {BREAKS} --applied' or '--rolled-back'"
    )
    assert db.query(
        f"SELECT state, statements_done, error FROM migrations WHERE id = '{BREAKS}'"
    ) == [("failed", 2, error.db_message)]
    assert {"users", "first_ok", "second_ok"} <= db.tables()
    assert "after_failure" not in db.tables()
    assert_every_command_refuses(db, cli, migrations, BREAKS, "breaks", error.db_message)

    (migrations / f"{BREAKS}_breaks.up.sql").write_text(FIXED_UP)  # the operator fixes the file
    if outcome == "applied":
        db.query("CREATE TABLE third_ok (id INTEGER PRIMARY KEY)")  # ... and finishes by hand
    else:
        db.query("DROP TABLE second_ok")  # ... or undoes what ran
        db.query("DROP TABLE first_ok")
    resolved = cli(db.url, migrations, "resolve", BREAKS, f"--{outcome}")
    assert (resolved.exit_code, resolved.stdout) == (0, f"{BREAKS}: marked {outcome}.\n")
    again = cli(db.url, migrations, "resolve", BREAKS, f"--{outcome}")
    assert again.exit_code == 1 and "no migration with that id failed part-way" in again.stderr
    if outcome == "applied":
        # The fixed file's checksum was adopted: applied, not "modified".
        assert recorded(db) == {USERS: "applied", BREAKS: "applied"}
        check = cli(db.url, migrations, "check")
        assert check.stdout == f"{AFTER}_after: pending\n"
    else:
        assert recorded(db) == {USERS: "applied"}

    up = cli(db.url, migrations, "up")
    assert up.exit_code == 0, up
    assert recorded(db) == dict.fromkeys([USERS, BREAKS, AFTER], "applied")
    assert {"first_ok", "second_ok", "third_ok", "after_failure"} <= db.tables()
    assert cli(db.url, migrations, "check").exit_code == 0
    # The settled migration is an ordinary one again: everything reverts.
    down = cli(db.url, migrations, "down", "--all")
    assert down.exit_code == 0, down
    assert recorded(db) == {}
    assert db.tables() == {"migrations"}


@pytest.mark.parametrize("outcome", ["applied", "rolled-back"])
def test_down_fails_part_way_then_resolve(db, tmp_path, cli, outcome):
    migrations = tmp_path / "m"
    three_migrations(migrations)
    (migrations / f"{BREAKS}_breaks.up.sql").write_text(FIXED_UP)
    down_file = migrations / f"{BREAKS}_breaks.down.sql"
    # The down file carries the directive too: each file's own first line decides.
    down_file.write_text(
        HEADER + "DROP TABLE third_ok;\nDROP TABLE second_ok;\nDROP TABLE no_such;\n"
    )
    assert cli(db.url, migrations, "up", "--to", BREAKS).exit_code == 0

    result = cli(db.url, migrations, "down")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {BREAKS}_breaks.down.sql: statement 3 (line 4): ")
    # What the message advises depends on the direction: this one failed while reverting.
    assert result.stderr.endswith(
        f"; 2 of 3 statements ran and could not be rolled back; finish its down by hand and run "
        f"'goofer resolve {BREAKS} --rolled-back', or undo what the down did and run "
        f"'goofer resolve {BREAKS} --applied'\n"
    )
    [(state, done, message)] = db.query(
        f"SELECT state, statements_done, error FROM migrations WHERE id = '{BREAKS}'"
    )
    assert (state, done) == ("revert-failed", 2) and "no_such" in message
    assert "first_ok" in db.tables() and not {"second_ok", "third_ok"} & db.tables()
    assert_every_command_refuses(db, cli, migrations, BREAKS, "breaks", message, reverting=True)

    down_file.write_text(BREAKS_DOWN)
    if outcome == "applied":  # the operator puts back what the failed revert dropped
        db.query("CREATE TABLE second_ok (id INTEGER PRIMARY KEY)")
        db.query("CREATE TABLE third_ok (id INTEGER PRIMARY KEY)")
    else:  # or finishes the revert by hand
        db.query("DROP TABLE first_ok")
    assert cli(db.url, migrations, "resolve", BREAKS, f"--{outcome}").exit_code == 0
    if outcome == "applied":
        assert recorded(db) == {USERS: "applied", BREAKS: "applied"}
        result = cli(db.url, migrations, "down")  # the revert, now fixed, runs again
        assert result.exit_code == 0, result
    assert recorded(db) == {USERS: "applied"}
    assert not {"first_ok", "second_ok", "third_ok"} & db.tables()
    result = cli(db.url, migrations, "up")
    assert result.exit_code == 0, result
    assert recorded(db) == dict.fromkeys([USERS, BREAKS, AFTER], "applied")


@pytest.mark.parametrize("outcome", ["applied", "rolled-back"])
def test_resolve_when_the_failed_migrations_files_are_gone(db, tmp_path, cli, outcome):
    migrations = tmp_path / "m"
    three_migrations(migrations)
    assert cli(db.url, migrations, "up").exit_code == 1
    for path in migrations.glob(f"{BREAKS}_*"):  # the team drops the migration altogether
        path.unlink()
    refused = cli(db.url, migrations, "up")
    assert refused.exit_code == 1 and f"goofer resolve {BREAKS}" in refused.stderr
    resolved = cli(db.url, migrations, "resolve", BREAKS, f"--{outcome}")
    assert resolved.exit_code == 0, resolved
    status = cli(db.url, migrations, "status", "--json").stdout
    if outcome == "applied":
        assert f'"id": "{BREAKS}",\n    "name": "breaks",\n    "state": "missing"' in status
        assert cli(db.url, migrations, "check").exit_code == 1  # missing files fail check
    else:
        assert BREAKS not in status
    result = cli(db.url, migrations, "up")
    assert result.exit_code == 0, result
    assert "after_failure" in db.tables()


@pytest.mark.parametrize("bad_id", ["20249999999999", "../../etc/passwd", "2024' OR '1'='1", ""])
def test_resolve_refuses_unknown_ids_and_changes_nothing(db, tmp_path, cli, bad_id):
    migrations = tmp_path / "m"
    three_migrations(migrations)
    assert cli(db.url, migrations, "up").exit_code == 1
    before = db.query("SELECT id, state, statements_done FROM migrations ORDER BY id")
    for outcome in ("--applied", "--rolled-back"):
        result = cli(db.url, migrations, "resolve", bad_id, outcome)
        assert result.exit_code == 1
        assert result.stderr == (
            f"error: resolve {bad_id}: no migration with that id failed part-way\n"
        )
    assert db.query("SELECT id, state, statements_done FROM migrations ORDER BY id") == before
    with pytest.raises(IntegrityError):
        Migrator(db.url, None, migrations).up()


def test_a_failure_at_the_first_statement_records_nothing(db, tmp_path, cli):
    """Nothing ran, so nothing needs repair: the next up simply tries again (and down too)."""
    migrations = tmp_path / "m"
    three_migrations(migrations)
    breaks = migrations / f"{BREAKS}_breaks.up.sql"
    breaks.write_text(HEADER + "CREATE TABLE users (id INTEGER PRIMARY KEY);\n" + FIXED_UP)
    result = cli(db.url, migrations, "up")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {BREAKS}_breaks.up.sql: statement 1 (line 2): ")
    assert "resolve" not in result.stderr and "could not be rolled back" not in result.stderr
    assert recorded(db) == {USERS: "applied"}
    assert "pending" in cli(db.url, migrations, "status").stdout.split(BREAKS)[1].split("\n")[0]
    breaks.write_text(FIXED_UP)
    assert cli(db.url, migrations, "up").exit_code == 0
    assert recorded(db) == dict.fromkeys([USERS, BREAKS, AFTER], "applied")

    # A down whose first statement fails leaves the migration applied, as it was.
    (migrations / f"{AFTER}_after.down.sql").write_text(HEADER + "DROP TABLE no_such;\n")
    result = cli(db.url, migrations, "down")
    assert result.exit_code == 1 and "statement 1" in result.stderr
    assert "resolve" not in result.stderr
    assert recorded(db) == dict.fromkeys([USERS, BREAKS, AFTER], "applied")
    assert cli(db.url, migrations, "check").exit_code == 0
