"""What every command refuses before it runs anything, on every database.

- ``sql`` prints only what ``up`` and ``down`` would run: a file they refuse, it refuses alike;
- an up file with no statement (a ``generate --empty`` pair never filled in) is refused, not
  recorded as applied;
- a file that looks like a migration but is not one is refused (``.UP.SQL``) or, when it is a
  copy (``.up.sql.bak``), ignored with a warning: never skipped without a word.
"""

from __future__ import annotations

from pathlib import Path

import pytest

USERS = "20240101000000_create_users"
BROKEN = "20240102000000_broken"


def write(directory: Path, label: str, up: str, down: str = "SELECT 1;\n") -> None:
    directory.mkdir(exist_ok=True)
    (directory / f"{label}.up.sql").write_text(up)
    (directory / f"{label}.down.sql").write_text(down)


def users(directory: Path) -> None:
    write(directory, USERS, "CREATE TABLE users (id INTEGER PRIMARY KEY);\n", "DROP TABLE users;\n")


def test_sql_refuses_an_unterminated_string_as_up_does(db, cli, tmp_path):
    migrations = tmp_path / "m"
    users(migrations)
    write(migrations, BROKEN, "INSERT INTO users (id) VALUES ('1);\n")
    expected = f"error: {BROKEN}.up.sql: line 1: unterminated string literal\n"
    up = cli(db.url, migrations, "up")
    sql = cli(db.url, migrations, "sql")
    assert (up.exit_code, up.stderr) == (1, expected)
    assert (sql.exit_code, sql.stdout, sql.stderr) == (1, "", expected)
    assert db.tracking_ids() == []  # up refused before applying anything

    (migrations / f"{BROKEN}.up.sql").write_text("SELECT 1;\n")
    (migrations / f"{BROKEN}.down.sql").write_text("SELECT 'x;\n")
    assert cli(db.url, migrations, "up").exit_code == 0
    down = cli(db.url, migrations, "down")
    sql = cli(db.url, migrations, "sql", "--down")
    expected = f"error: {BROKEN}.down.sql: line 1: unterminated string literal\n"
    assert (down.exit_code, down.stderr) == (1, expected)
    assert (sql.exit_code, sql.stdout, sql.stderr) == (1, "", expected)


def test_an_unedited_empty_pair_is_refused_not_applied(db, cli, tmp_path):
    migrations = tmp_path / "m"
    users(migrations)
    generated = cli(db.url, migrations, "generate", "--empty", "fill_me")
    assert generated.exit_code == 0
    up_file = next(migrations.glob("*_fill_me.up.sql"))
    expected = (
        f"error: {up_file.name}: has no SQL statement, only comments or blank lines: write the "
        "migration, or delete the pair\n"
    )
    for args in (["up"], ["sql"]):
        result = cli(db.url, migrations, *args)
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", expected), args
    assert db.tracking_ids() == []
    assert cli(db.url, migrations, "check").exit_code == 1  # still pending

    up_file.write_text("-- the up migration\nCREATE TABLE notes (id INTEGER PRIMARY KEY);\n")
    assert cli(db.url, migrations, "up").exit_code == 0
    assert "notes" in db.tables()


@pytest.mark.parametrize(
    "name", [f"{BROKEN}.UP.SQL", f"{BROKEN}.Up.sql", f"{BROKEN}.up.SQL", f"{BROKEN}.DOWN.SQL"]
)
def test_a_migration_suffix_in_other_case_is_refused(db, cli, tmp_path, name):
    migrations = tmp_path / "m"
    users(migrations)
    (migrations / name).write_text("CREATE TABLE broken (id INTEGER PRIMARY KEY);\n")
    expected = (
        f"error: {name}: not a migration file name: the suffix must be .up.sql or .down.sql, "
        "in lowercase\n"
    )
    for args in (["status"], ["up"], ["check"]):
        result = cli(db.url, migrations, *args)
        assert (result.exit_code, result.stderr) == (1, expected), args
    assert "migrations" not in db.tables()


@pytest.mark.parametrize("suffix", [".bak", "~", ".orig", ".swp.txt"])
def test_a_copy_of_a_migration_is_ignored_with_a_warning(db, cli, tmp_path, suffix):
    migrations = tmp_path / "m"
    users(migrations)
    copy = migrations / f"{USERS}.up.sql{suffix}"
    copy.write_text("DROP TABLE everything;\n")
    warning = (
        f"warning: {copy.name}: ignored: it looks like a copy of a migration, not one (*.up.sql)\n"
    )
    up = cli(db.url, migrations, "up")
    assert (up.exit_code, up.stderr) == (0, warning)
    status = cli(db.url, migrations, "status")
    assert (status.exit_code, status.stderr) == (0, warning)
    assert status.stdout.count(" applied ") == 1
    assert db.tracking_ids() == [USERS[:14]]
