"""`up`, `down`, `status`, `sql` and `check` on every dialect, as a user runs them."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

BASIC = ["20240101000000", "20240102000000", "20240103000000"]


def test_up_applies_every_migration_and_records_it(db, cli, scenario):
    migrations = scenario("basic")
    result = cli(db.url, migrations, "up")
    assert result.exit_code == 0, result
    for label in (
        "20240101000000_create_users",
        "20240102000000_add_user_name",
        "20240103000000_create_posts",
    ):
        assert f"applied {label} (" in result.stdout
    assert "Applied 3 migrations." in result.stdout
    assert {"users", "posts", "migrations"} <= db.tables()
    assert db.tracking_ids() == BASIC
    rows = db.query("SELECT id, name, script, checksum, applied_at FROM migrations ORDER BY id")
    up = migrations / "20240102000000_add_user_name.up.sql"
    assert rows[1][1] == "add_user_name"
    assert rows[1][2] == up.read_text()
    assert rows[1][3] == hashlib.md5(up.read_bytes()).hexdigest()
    assert all(r[4] is not None for r in rows)
    assert db.query("SELECT name FROM users WHERE id = 1") == [("Ada; Countess of Lovelace",)]


def test_second_up_has_nothing_to_do(db, cli, scenario):
    migrations = scenario("basic")
    cli(db.url, migrations, "up")
    result = cli(db.url, migrations, "up")
    assert result.exit_code == 0
    assert result.stdout.strip() == "Nothing to apply: the database is up to date."
    assert db.tracking_ids() == BASIC


def test_up_to_stops_after_the_given_id(db, cli, scenario):
    migrations = scenario("basic")
    result = cli(db.url, migrations, "up", "--to", "20240102000000")
    assert result.exit_code == 0, result
    assert db.tracking_ids() == BASIC[:2]
    assert "posts" not in db.tables()
    assert cli(db.url, migrations, "up", "--to", "20991231000000").exit_code == 1


def test_down_reverts_the_most_recent_then_steps_to_and_all(db, cli, scenario):
    migrations = scenario("basic")
    cli(db.url, migrations, "up")
    result = cli(db.url, migrations, "down")
    assert result.exit_code == 0, result
    assert "reverted 20240103000000_create_posts (" in result.stdout
    assert "posts" not in db.tables()
    assert db.tracking_ids() == BASIC[:2]

    cli(db.url, migrations, "up")
    result = cli(db.url, migrations, "down", "--to", "20240101000000")
    assert result.exit_code == 0, result
    assert db.tracking_ids() == BASIC[:1]
    assert "users" in db.tables()

    cli(db.url, migrations, "up")
    assert cli(db.url, migrations, "down", "--steps", "2").exit_code == 0
    assert db.tracking_ids() == BASIC[:1]

    result = cli(db.url, migrations, "down", "--all")
    assert result.exit_code == 0, result
    assert db.tracking_ids() == []
    assert db.tables() == {"migrations"}
    assert cli(db.url, migrations, "down").stdout.strip() == "Nothing to revert."


def test_down_refuses_conflicting_options(db, cli, scenario):
    result = cli(db.url, scenario("basic"), "down", "--steps", "2", "--all")
    assert result.exit_code == 2


def test_status_lists_every_state_and_json(db, cli, scenario, tmp_path):
    migrations = scenario("basic")
    cli(db.url, migrations, "up", "--to", "20240102000000")
    # modified: an applied file changed; missing: an applied file removed; pending: the third.
    users_up = migrations / "20240101000000_create_users.up.sql"
    users_up.write_text(users_up.read_text() + "-- edited\n")
    for suffix in ("up", "down"):
        (migrations / f"20240102000000_add_user_name.{suffix}.sql").unlink()
    result = cli(db.url, migrations, "status")
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "NAME", "STATE", "APPLIED", "AT", "(UTC)"]
    states = {line.split()[0]: line.split()[2] for line in lines[1:]}
    assert states == {BASIC[0]: "modified", BASIC[1]: "missing", BASIC[2]: "pending"}

    listed = json.loads(cli(db.url, migrations, "status", "--json").stdout)
    assert [(m["id"], m["name"], m["state"]) for m in listed] == [
        (BASIC[0], "create_users", "modified"),
        (BASIC[1], "add_user_name", "missing"),
        (BASIC[2], "create_posts", "pending"),
    ]
    assert listed[0]["applied_at"].endswith("Z") and listed[2]["applied_at"] is None


def test_status_on_an_empty_database_shows_pending_and_creates_nothing(db, cli, scenario):
    result = cli(db.url, scenario("basic"), "status", "--json")
    assert [m["state"] for m in json.loads(result.stdout)] == ["pending"] * 3
    assert db.tables() == set()


def test_sql_prints_what_up_and_down_would_run_and_touches_nothing(db, cli, scenario):
    migrations = scenario("basic")
    result = cli(db.url, migrations, "sql")
    assert result.exit_code == 0, result
    assert "-- 20240101000000_create_users.up.sql" in result.stdout
    assert "CREATE TABLE posts (" in result.stdout
    assert db.tables() == set()

    cli(db.url, migrations, "up")
    result = cli(db.url, migrations, "sql", "--down", "--steps", "2")
    assert result.stdout.index("20240103000000_create_posts.down.sql") < result.stdout.index(
        "20240102000000_add_user_name.down.sql"
    )
    assert "DROP TABLE posts;" in result.stdout
    assert db.tracking_ids() == BASIC


def test_check_fails_on_pending_modified_and_missing(db, cli, scenario):
    migrations = scenario("basic")
    result = cli(db.url, migrations, "check")
    assert result.exit_code == 1
    assert "20240101000000_create_users: pending" in result.stdout

    cli(db.url, migrations, "up")
    result = cli(db.url, migrations, "check")
    assert result.exit_code == 0, result
    assert result.stdout.startswith("OK")

    posts = migrations / "20240103000000_create_posts.up.sql"
    posts.write_text(posts.read_text().replace("200", "300"))
    result = cli(db.url, migrations, "check")
    assert result.exit_code == 1
    assert "20240103000000_create_posts: modified after being applied" in result.stdout

    for suffix in ("up", "down"):
        (migrations / f"20240103000000_create_posts.{suffix}.sql").unlink()
    result = cli(db.url, migrations, "check")
    assert result.exit_code == 1
    assert "20240103000000_create_posts: applied but its files are missing" in result.stdout


def test_modified_applied_file_stops_up_before_anything_runs(db, cli, scenario):
    migrations = scenario("basic")
    cli(db.url, migrations, "up", "--to", "20240102000000")
    users_up = migrations / "20240101000000_create_users.up.sql"
    users_up.write_text(users_up.read_text().replace("255", "254"))
    result = cli(db.url, migrations, "up")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: 20240101000000_create_users.up.sql: modified")
    assert "posts" not in db.tables()
    assert db.tracking_ids() == BASIC[:2]


def test_crlf_and_bom_do_not_change_the_checksum(db, cli, scenario):
    migrations = scenario("basic")
    cli(db.url, migrations, "up")
    up = migrations / "20240101000000_create_users.up.sql"
    up.write_bytes(b"\xef\xbb\xbf" + up.read_bytes().replace(b"\n", b"\r\n"))
    assert cli(db.url, migrations, "check").exit_code == 0


def test_older_pending_migration_is_applied_with_a_warning(db, cli, scenario, tmp_path):
    migrations = scenario("basic")
    held = tmp_path / "held"
    held.mkdir()
    for suffix in ("up", "down"):
        name = f"20240102000000_add_user_name.{suffix}.sql"
        shutil.move(str(migrations / name), held / name)
    cli(db.url, migrations, "up")
    for f in held.iterdir():
        shutil.move(str(f), migrations / f.name)
    result = cli(db.url, migrations, "up")
    assert result.exit_code == 0, result
    assert "warning: 20240102000000_add_user_name is older than the newest applied" in result.stderr
    assert db.tracking_ids() == BASIC


def test_up_from_another_working_directory_with_env(db, goofer, scenario, tmp_path):
    migrations: Path = scenario("basic")
    env = {"GOOFER_DATABASE_URL": db.url, "GOOFER_MIGRATIONS_DIR": str(migrations)}
    result = goofer("up", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert db.tracking_ids() == BASIC
    result = goofer("status", "--json", env=env, cwd=tmp_path)
    assert [m["state"] for m in json.loads(result.stdout)] == ["applied"] * 3
