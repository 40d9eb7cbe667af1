"""``goofer baseline``: adopt a database whose schema already exists, on every dialect."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from goofer_core.migrations.files import checksum_of
from tests.helpers import TestDatabase

USERS = "CREATE TABLE users (\n    id INTEGER PRIMARY KEY,\n    name VARCHAR(100) NOT NULL\n);\n"
EMAIL = "ALTER TABLE users ADD COLUMN email VARCHAR(255) NOT NULL;\n"
POSTS = (
    "CREATE TABLE posts (\n    id INTEGER PRIMARY KEY,\n"
    "    author_id INTEGER NOT NULL REFERENCES users (id)\n);\n"
)
IDS = ["20240101000000", "20240102000000", "20240103000000"]


def write_migrations(directory: Path) -> Path:
    """Write three migrations: users, its email column, posts."""
    directory.mkdir()
    for mid, name, up, down in (
        (IDS[0], "create_users", USERS, "DROP TABLE users;\n"),
        (IDS[1], "add_email", EMAIL, "ALTER TABLE users DROP COLUMN email;\n"),
        (IDS[2], "create_posts", POSTS, "DROP TABLE posts;\n"),
    ):
        (directory / f"{mid}_{name}.up.sql").write_text(up)
        (directory / f"{mid}_{name}.down.sql").write_text(down)
    return directory


def build_by_hand(db: TestDatabase, *scripts: str) -> None:
    """Create the schema outside Goofer, as another tool or a person did."""
    for script in scripts:
        db.query(script.rstrip().rstrip(";"))


def test_baseline_records_what_exists_and_up_applies_only_the_rest(
    db: TestDatabase, cli: Any, tmp_path: Path
) -> None:
    migrations = write_migrations(tmp_path / "migrations")
    build_by_hand(db, USERS, EMAIL)
    refused = cli(db.url, migrations, "up")
    assert refused.exit_code == 1  # the reason baseline exists: users is already there
    assert refused.stderr.startswith(f"error: {IDS[0]}_create_users.up.sql: statement 1")

    before = datetime.utcnow() - timedelta(seconds=5)
    result = cli(db.url, migrations, "baseline", IDS[1])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"recorded {IDS[0]}_create_users as applied (not run)",
        f"recorded {IDS[1]}_add_email as applied (not run)",
        f"Baselined 2 migrations up to {IDS[1]}.",
    ]
    rows = db.query(
        "SELECT id, name, script, checksum, state, statements_done, applied_at "
        "FROM migrations ORDER BY id"
    )
    assert [r[:6] for r in rows] == [
        (IDS[0], "create_users", USERS, checksum_of(USERS), "applied", 1),
        (IDS[1], "add_email", EMAIL, checksum_of(EMAIL), "applied", 1),
    ]
    applied_at = (
        rows[0][6] if isinstance(rows[0][6], datetime) else datetime.fromisoformat(rows[0][6])
    )
    assert before <= applied_at.replace(tzinfo=None) <= datetime.utcnow() + timedelta(seconds=5)

    up = cli(db.url, migrations, "up")
    assert up.exit_code == 0, up.output
    assert up.stdout.endswith("Applied 1 migration.\n")
    assert "posts" in db.tables()
    assert cli(db.url, migrations, "check").exit_code == 0

    again = cli(db.url, migrations, "baseline", IDS[1])
    assert (again.exit_code, again.stdout) == (
        0,
        f"Nothing to record: every migration up to {IDS[1]} is already applied.\n",
    )


def test_baseline_refuses_a_migration_recorded_with_another_checksum(
    db: TestDatabase, cli: Any, tmp_path: Path
) -> None:
    migrations = write_migrations(tmp_path / "migrations")
    build_by_hand(db, USERS)
    assert cli(db.url, migrations, "baseline", IDS[0]).exit_code == 0
    (migrations / f"{IDS[0]}_create_users.up.sql").write_text(USERS + "-- edited\n")
    result = cli(db.url, migrations, "baseline", IDS[1])
    assert result.exit_code == 1
    edited = checksum_of(USERS + "-- edited\n")
    assert result.stderr == (
        f"error: baseline: {IDS[0]}_create_users.up.sql is already recorded with another "
        f"checksum ({checksum_of(USERS)}, the file's is {edited}); nothing was recorded\n"
    )
    assert db.tracking_ids() == [IDS[0]]  # the second one was not recorded either


def test_baseline_of_an_id_not_on_disk_is_an_error(
    db: TestDatabase, cli: Any, tmp_path: Path
) -> None:
    migrations = write_migrations(tmp_path / "migrations")
    result = cli(db.url, migrations, "baseline", "20990101000000")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: baseline 20990101000000: no migration with that id in the directory\n",
    )
    assert "migrations" not in db.tables()


def test_verify_schema_names_the_difference_and_records_nothing(
    db: TestDatabase, cli: Any, tmp_path: Path
) -> None:
    migrations = write_migrations(tmp_path / "migrations")
    build_by_hand(db, USERS)  # no email column
    result = cli(db.url, migrations, "baseline", IDS[1], "--verify-schema")
    assert result.exit_code == 1
    line = result.stderr
    assert line.startswith(
        f"error: baseline {IDS[1]}: the database's schema is not what the migrations up to it "
        "create: column users.email "
    )
    assert "missing in the database; nothing was recorded\n" in line
    assert line.count("\n") == 1
    assert "migrations" not in db.tables() or db.tracking_ids() == []

    build_by_hand(db, EMAIL)
    ok = cli(db.url, migrations, "baseline", IDS[1], "--verify-schema")
    assert ok.exit_code == 0, ok.output
    assert db.tracking_ids() == IDS[:2]


def test_verify_schema_leaves_out_the_base_schema_tables(
    db: TestDatabase, cli: Any, tmp_path: Path
) -> None:
    migrations = write_migrations(tmp_path / "migrations")
    legacy = "CREATE TABLE legacy_accounts (id INTEGER PRIMARY KEY);\n"
    base = tmp_path / "base.sql"
    base.write_text(legacy)
    alembic = "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);\n"
    build_by_hand(db, legacy, USERS, alembic)  # Alembic's table is left out without asking
    extra = cli(db.url, migrations, "baseline", IDS[0], "--verify-schema")
    assert extra.exit_code == 1
    assert "alembic_version" not in extra.stderr
    assert (
        "table legacy_accounts (id): in the database but not made by the migrations" in extra.stderr
    )
    result = cli(
        db.url, migrations, "--base-schema", str(base), "baseline", IDS[0], "--verify-schema"
    )
    assert result.exit_code == 0, result.output
    assert db.tracking_ids() == [IDS[0]]


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_flask_goofer_and_manage_py_baseline_record_the_same(
    db: TestDatabase, tmp_path: Path
) -> None:
    from tests.django_adapter import dj_support
    from tests.flask_adapter.test_flask_cli import IDS as FLASK_IDS
    from tests.flask_adapter.test_flask_cli import flask_goofer, make_app

    app = make_app(tmp_path / "flask", GOOFER_DATABASE_URL=db.url)
    result = flask_goofer(app, "baseline", FLASK_IDS[1])
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f"Baselined 2 migrations up to {FLASK_IDS[1]}.\n")
    assert db.tracking_ids() == FLASK_IDS[:2]

    other = tmp_path / "django.db"
    env = dj_support.clean_env(TESTSITE_DEFAULT_URL=f"sqlite:///{other}")
    done = dj_support.manage("goofer_baseline", dj_support.IDS[0], env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith(f"Baselined 1 migration up to {dj_support.IDS[0]}.\n")
    found = TestDatabase("sqlite", f"sqlite:///{other}").tracking_ids()
    assert found == dj_support.IDS[:1]
