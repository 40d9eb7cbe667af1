"""goofer verify: on a scratch database, each down must revert its up and the up apply again.

Every test runs on SQLite, PostgreSQL and MariaDB, and checks that the real database is left
exactly as it was.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from goofer_core import Migrator
from goofer_core.cli.click_app import cli as core_cli
from goofer_core.schema.model import Schema
from goofer_core.verify.runner import verify_migrations
from tests.helpers import CliResult, TestDatabase, run_goofer

CREATE_USERS = "20260101000000_create_users"
INDEX_EMAIL = "20260102000000_index_users_email"
ADD_NICKNAME = "20260103000000_add_nickname"
CREATE_SETTINGS = "20260104000000_create_settings"
ALL = [CREATE_USERS, INDEX_EMAIL, ADD_NICKNAME, CREATE_SETTINGS]


def drop_index(dialect: str) -> str:
    """Return the statement that drops ix_users_email on ``dialect``."""
    return "DROP INDEX ix_users_email" + (" ON users" if dialect == "mysql" else "") + ";\n"


def write_migrations(directory: Path, dialect: str, **downs: str) -> Path:
    """Write four migrations whose downs are right, except those replaced in ``downs``."""
    pairs = {
        CREATE_USERS: (
            "CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(255) NOT NULL, "
            "name VARCHAR(100));\n",
            "DROP TABLE users;\n",
        ),
        INDEX_EMAIL: ("CREATE INDEX ix_users_email ON users (email);\n", drop_index(dialect)),
        ADD_NICKNAME: (
            "ALTER TABLE users ADD COLUMN nickname VARCHAR(50);\n",
            "ALTER TABLE users DROP COLUMN nickname;\n",
        ),
        CREATE_SETTINGS: (
            "CREATE TABLE settings (name VARCHAR(50) PRIMARY KEY, "
            "value VARCHAR(200));\n"
            "INSERT INTO settings (name, value) VALUES ('theme', 'dark');\n",
            "DROP TABLE settings;\n",
        ),
    }
    directory.mkdir(exist_ok=True)
    for label, (up, down) in pairs.items():
        (directory / f"{label}.up.sql").write_text(up, encoding="utf-8")
        (directory / f"{label}.down.sql").write_text(downs.get(label, down), encoding="utf-8")
    return directory


@pytest.fixture
def wired(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run without GOOFER_* variables from the environment."""
    for key in (
        "GOOFER_DATABASE_URL",
        "GOOFER_MIGRATIONS_DIR",
        "GOOFER_SHADOW_DATABASE_URL",
        "GOOFER_TABLE",
    ):
        monkeypatch.delenv(key, raising=False)


@pytest.fixture
def verify(wired: None) -> Any:
    """Run ``goofer --database-url URL --dir DIR verify ARGS`` in-process."""

    def invoke(db: TestDatabase, directory: Path, *args: str) -> CliResult:
        try:
            runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
        except TypeError:
            runner = CliRunner()
        result = runner.invoke(
            core_cli,
            ["--database-url", db.url, "--dir", str(directory), "verify", *args],
            catch_exceptions=False,
        )
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return invoke


def real_state(db: TestDatabase) -> tuple[Schema, list[str]]:
    """Return the real database's schema (tracking table included) and its tracking ids."""
    conn = db.connect()
    try:
        schema = db.dialect.read_schema(conn)
    finally:
        conn.close()
    ids = db.tracking_ids() if "migrations" in db.tables() else []
    return schema, ids


def test_a_set_whose_downs_are_all_correct_passes(
    db: TestDatabase, tmp_path: Path, verify: Any
) -> None:
    directory = write_migrations(tmp_path / "m", db.dialect_name)
    result = verify(db, directory)
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert [line.split(" (")[0] for line in lines[:4]] == [f"verified {m}" for m in ALL]
    assert lines[4] == (
        "Verified 4 migrations: each down reverts its up, and the up applies again."
    )
    assert db.tables() == set()  # not even a tracking table

    as_json = verify(db, directory, "--json")
    assert as_json.exit_code == 0, as_json
    report = json.loads(as_json.stdout)
    assert report["ok"] is True and report["dialect"] == db.dialect.name
    assert [(m["id"] + "_" + m["name"], m["result"]) for m in report["migrations"]] == [
        (m, "passed") for m in ALL
    ]
    assert all(isinstance(m["seconds"], float) for m in report["migrations"])
    assert as_json.stderr.count("verified ") == 4  # progress goes to stderr with --json
    assert db.tables() == set()


def test_a_down_that_forgets_an_index_is_reported(
    db: TestDatabase, tmp_path: Path, verify: Any
) -> None:
    directory = write_migrations(
        tmp_path / "m", db.dialect_name, **{INDEX_EMAIL: "-- forgot to drop the index\n"}
    )
    result = verify(db, directory)
    assert result.exit_code == 1, result
    assert f"verified {CREATE_USERS}" in result.stdout
    assert f"failed {INDEX_EMAIL}" in result.stdout
    assert (
        f"  {INDEX_EMAIL}.down.sql does not revert the up: after up and down, the schema "
        "differs from before up:\n"
        "    index users.ix_users_email (email): absent before up, present after down\n"
        "2 later migrations not checked.\n"
    ) in result.stdout
    assert result.stderr == f"verify failed: {INDEX_EMAIL}: down does not revert up\n"

    report = json.loads(verify(db, directory, "--json").stdout)
    assert report["ok"] is False
    assert [m["result"] for m in report["migrations"]] == ["passed", "failed", "skipped", "skipped"]
    failed = report["migrations"][1]
    assert failed["problem"] == "not_reverted"
    assert [(d["object"], d["name"], d["before"], d["after"]) for d in failed["differences"]] == [
        ("index", "users.ix_users_email", None, "(email)")
    ]
    assert db.tables() == set()


def test_a_down_that_drops_the_wrong_column_is_reported(
    db: TestDatabase, tmp_path: Path, verify: Any
) -> None:
    directory = write_migrations(
        tmp_path / "m", db.dialect_name, **{ADD_NICKNAME: "ALTER TABLE users DROP COLUMN name;\n"}
    )
    result = verify(db, directory)
    assert result.exit_code == 1, result
    assert f"failed {ADD_NICKNAME}" in result.stdout
    assert (
        "    column users.name string(100) NULL: present before up, absent after down\n"
        in result.stdout
    )
    assert (
        "    column users.nickname string(50) NULL: absent before up, present after down\n"
        in result.stdout
    )
    assert result.stderr == f"verify failed: {ADD_NICKNAME}: down does not revert up\n"
    assert db.tables() == set()


def test_a_down_that_fails_is_reported(db: TestDatabase, tmp_path: Path, verify: Any) -> None:
    directory = write_migrations(
        tmp_path / "m", db.dialect_name, **{CREATE_SETTINGS: "DROP TABLE no_such_table;\n"}
    )
    result = verify(db, directory, "--json")
    assert result.exit_code == 1, result
    failed = json.loads(result.stdout)["migrations"][-1]
    assert (failed["id"] + "_" + failed["name"], failed["result"], failed["problem"]) == (
        CREATE_SETTINGS,
        "failed",
        "down_failed",
    )
    assert failed["message"].startswith(
        f"down fails: {CREATE_SETTINGS}.down.sql: statement 1 (line 1): "
    )
    assert "no_such_table" in failed["message"]
    assert "goofer resolve" not in failed["message"]  # advice for a real database only
    assert result.stderr.endswith(f"verify failed: {CREATE_SETTINGS}: down fails\n")
    assert db.tables() == set()


def test_an_up_that_cannot_be_applied_again_after_its_down_is_reported(
    db: TestDatabase, tmp_path: Path, verify: Any
) -> None:
    directory = write_migrations(tmp_path / "m", db.dialect_name)
    seed = "20260105000000_seed_admin"
    (directory / f"{seed}.up.sql").write_text(
        "INSERT INTO users (id, email, name) VALUES (1, 'admin@example.com', 'Admin');\n"
    )
    (directory / f"{seed}.down.sql").write_text("-- forgot to delete the row\n")
    result = verify(db, directory)
    assert result.exit_code == 1, result
    assert f"verified {CREATE_SETTINGS}" in result.stdout
    assert f"failed {seed}" in result.stdout
    assert (
        f"  up fails when applied again after down: {seed}.up.sql: statement 1 (line 1): "
        in result.stdout
    )
    assert result.stderr == f"verify failed: {seed}: up fails when applied again after down\n"
    assert db.tables() == set()


def test_a_down_that_forgets_a_view_is_reported(
    db: TestDatabase, tmp_path: Path, verify: Any
) -> None:
    directory = write_migrations(tmp_path / "m", db.dialect_name)
    view = "20260105000000_create_user_emails"
    (directory / f"{view}.up.sql").write_text(
        "CREATE VIEW user_emails AS SELECT email FROM users;\n"
    )
    (directory / f"{view}.down.sql").write_text("-- forgot the view\n")
    result = verify(db, directory)
    assert result.exit_code == 1, result
    assert "    view user_emails: absent before up, present after down\n" in result.stdout


def test_pending_checks_only_the_pending_migrations_and_leaves_the_database_unchanged(
    db: TestDatabase, tmp_path: Path, verify: Any
) -> None:
    # An applied migration's broken down is not checked with --pending; a pending one's is.
    directory = write_migrations(
        tmp_path / "m",
        db.dialect_name,
        **{
            INDEX_EMAIL: "-- forgot to drop the index\n",
            CREATE_SETTINGS: "DROP TABLE settings;\nDROP TABLE users;\n",
        },
    )
    Migrator(db.url, None, directory).up(to=INDEX_EMAIL[:14])
    before = real_state(db)
    assert before[1] == ["20260101000000", "20260102000000"]

    result = verify(db, directory, "--pending", "--json")
    assert result.exit_code == 1, result
    report = json.loads(result.stdout)
    assert report["pending_only"] is True
    assert [(m["id"] + "_" + m["name"], m["result"]) for m in report["migrations"]] == [
        (CREATE_USERS, "replayed"),
        (INDEX_EMAIL, "replayed"),
        (ADD_NICKNAME, "passed"),
        (CREATE_SETTINGS, "failed"),
    ]
    assert [d["text"] for d in report["migrations"][-1]["differences"]] == [
        "table users (id, email, name, nickname): present before up, absent after down"
    ]
    assert real_state(db) == before

    everything = verify(db, directory)
    assert everything.exit_code == 1
    assert everything.stderr == f"verify failed: {INDEX_EMAIL}: down does not revert up\n"
    assert real_state(db) == before


def test_pending_with_nothing_pending_does_nothing(
    db: TestDatabase, tmp_path: Path, verify: Any
) -> None:
    directory = write_migrations(tmp_path / "m", db.dialect_name)
    Migrator(db.url, None, directory).up()
    before = real_state(db)
    result = verify(db, directory, "--pending")
    assert (result.exit_code, result.stdout) == (0, "Nothing to verify: no migration is pending.\n")
    assert real_state(db) == before


def test_check_verify_lists_the_migration_whose_down_does_not_revert(
    db: TestDatabase, tmp_path: Path
) -> None:
    directory = write_migrations(
        tmp_path / "m", db.dialect_name, **{INDEX_EMAIL: "-- forgot to drop the index\n"}
    )
    Migrator(db.url, None, directory).up()
    done = run_goofer("--database-url", db.url, "--dir", str(directory), "check", "--verify")
    assert done.returncode == 1, done
    reasons = done.stdout.splitlines()
    assert reasons == [
        f"{INDEX_EMAIL}: down does not revert up: index users.ix_users_email "
        "(email): absent before up, present after down"
    ]
    fixed = write_migrations(tmp_path / "m", db.dialect_name)
    assert verify_migrations(fixed, database_url=db.url).ok


def test_flask_goofer_verify(tmp_path: Path, wired: None) -> None:
    flask = pytest.importorskip("flask")
    from goofer_integrations.flask import Goofer

    app = flask.Flask("verify_app", root_path=str(tmp_path))
    app.config["GOOFER_DATABASE_URL"] = f"sqlite:///{tmp_path / 'app.db'}"
    write_migrations(
        tmp_path / "migrations", "sqlite", **{INDEX_EMAIL: "-- forgot to drop the index\n"}
    )
    Goofer(app)
    result = app.test_cli_runner().invoke(args=["goofer", "verify"])
    assert result.exit_code == 1, result.output
    assert f"failed {INDEX_EMAIL}" in result.output
    assert (
        "index users.ix_users_email (email): absent before up, present after down" in result.output
    )
    assert not (tmp_path / "app.db").exists()  # the app's database is never opened


def test_an_up_that_fails_is_reported_from_python(db: TestDatabase, tmp_path: Path) -> None:
    directory = write_migrations(tmp_path / "m", db.dialect_name)
    (directory / f"{ADD_NICKNAME}.up.sql").write_text("ALTER TABLE no_such_table ADD x INT;\n")
    seen: list[str] = []
    result = verify_migrations(
        directory, database_url=db.url, on_progress=lambda check: seen.append(check.result)
    )
    assert seen == ["passed", "passed", "failed"]
    failure = result.failure
    assert failure is not None and failure.migration.label == ADD_NICKNAME
    assert (failure.problem, failure.summary) == ("up_failed", "up fails")
    assert failure.message is not None and failure.message.startswith(
        f"up fails: {ADD_NICKNAME}.up.sql: statement 1 (line 1): "
    )
    assert [c.result for c in result.checks] == ["passed", "passed", "failed", "skipped"]
    assert db.tables() == set()
