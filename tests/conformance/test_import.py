"""``goofer import``: golang-migrate and dbmate histories, converted, applied, adopted.

Each set (tests/fixtures/foreign/) is imported, applied by ``goofer up``, and compared with the
schema the tool itself builds from the original files on a second database of the same
dialect (see tests/foreign_tools.py for how each tool is run natively).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.foreign_tools import (
    DBMATE_SET,
    GOLANG_SET,
    apply_dbmate,
    apply_golang_migrate,
    rows,
    schema_differences,
    snapshot,
)
from tests.helpers import TestDatabase, make_database


@pytest.fixture
def native_db(db: TestDatabase, tmp_path: Path) -> Iterator[TestDatabase]:
    """A second fresh database of the same dialect, for the other tool to build."""
    other = tmp_path / "native"
    other.mkdir()
    yield from make_database(db.dialect_name, other)


def _import(cli: Any, db: TestDatabase, target: Path, tool: str, source: Path, *extra: str) -> Any:
    return cli(db.url, target, "import", "--from", tool, str(source), *extra)


def test_golang_migrate_set_imports_and_builds_what_golang_migrate_builds(
    db: TestDatabase, native_db: TestDatabase, cli: Any, tmp_path: Path
) -> None:
    target = tmp_path / "migrations"
    result = cli(
        "sqlite:///:memory:", target, "import", "--from", "golang-migrate", str(GOLANG_SET)
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert (
        "000001_create-users.up.sql -> 20000101000001_create_users.up.sql: "
        "name 'create-users' -> 'create_users'" in lines
    )
    assert any(
        line.startswith(
            "100_roles_label.up.sql -> 20000101000140_roles_label.up.sql: "
            "added '-- goofer:no-transaction'"
        )
        for line in lines
    )
    assert any("10_create_roles.up.sql" in line and "irreversible" in line for line in lines)
    assert any(
        "000002_add_user_email.down.sql has another name: paired by version" in line
        for line in lines
    )
    assert (
        "1700000000_create_posts.up.sql -> 20231114221320_create_posts.up.sql: copied as is"
        in lines
    )
    assert lines[-2].startswith("Imported 7 migrations from golang-migrate")
    assert (
        lines[-1]
        == "No golang-migrate table schema_migrations in the database: nothing recorded as applied."
    )
    mapping = json.loads((target / "goofer-import.json").read_text())
    assert mapping["versions"] == {
        "1": "20000101000001",
        "2": "20000101000002",
        "3": "20000101000003",
        "10": "20000101000010",
        "100": "20000101000140",
        "1700000000": "20231114221320",
        "20240102030405": "20240102030405",
    }

    up = cli(db.url, target, "up")
    assert up.exit_code == 0, up.output
    assert "Applied 7 migrations." in up.stdout
    apply_golang_migrate(native_db, GOLANG_SET)
    tables = {"users", "passkeys", "roles", "posts", "comments"}
    assert {t.name for t in snapshot(native_db).schema.tables} == tables
    assert schema_differences(db, native_db) == []
    label = "SELECT name, label FROM roles"
    assert rows(db, label) == rows(native_db, label) == [("admin", "Administrator; all rights")]


def test_dbmate_set_imports_and_builds_what_dbmate_builds(
    db: TestDatabase, native_db: TestDatabase, cli: Any, tmp_path: Path
) -> None:
    target = tmp_path / "migrations"
    result = cli("sqlite:///:memory:", target, "import", "--from", "dbmate", str(DBMATE_SET))
    assert result.exit_code == 0, result.output
    assert (
        (target / "20240102000000_add_projects.up.sql")
        .read_text()
        .startswith("CREATE TABLE projects")
    )
    own = (target / "20240104000000_own_transaction.up.sql").read_text()
    assert own.startswith("-- goofer:no-transaction\nBEGIN;\n")
    assert (target / "20240104000000_own_transaction.down.sql").read_text() == (
        "ALTER TABLE plans DROP COLUMN price;\n"
    )

    up = cli(db.url, target, "up")
    assert up.exit_code == 0, up.output
    apply_dbmate(native_db, DBMATE_SET)
    tables = {"accounts", "projects", "plans", "tasks"}
    assert {t.name for t in snapshot(native_db).schema.tables} == tables
    assert schema_differences(db, native_db) == []
    plans = "SELECT name, price FROM plans"
    assert rows(db, plans) == rows(native_db, plans) == [("free; forever", 0)]

    # No down section: down refuses before reverting anything, naming the file.
    down = cli(db.url, target, "down", "--all")
    assert down.exit_code == 1
    assert down.stderr.startswith("error: 20240103000000_seed_plans.down.sql: is marked")
    assert "irreversible" in down.stderr
    assert len(db.tracking_ids()) == 5


def test_golang_migrate_part_applied_then_goofer_applies_the_rest(
    db: TestDatabase, cli: Any, tmp_path: Path
) -> None:
    apply_golang_migrate(db, GOLANG_SET, up_to=10)
    target = tmp_path / "migrations"
    result = _import(cli, db, target, "golang-migrate", GOLANG_SET)
    assert result.exit_code == 0, result.output
    assert (
        "Recorded 4 migrations as applied (none run), as golang-migrate's schema_migrations "
        "lists them." in result.stdout
    )
    assert db.tracking_ids() == [
        "20000101000001",
        "20000101000002",
        "20000101000003",
        "20000101000010",
    ]
    up = cli(db.url, target, "up")
    assert up.exit_code == 0, up.output
    assert "Applied 3 migrations." in up.stdout
    assert cli(db.url, target, "check").exit_code == 0
    assert rows(db, "SELECT version FROM schema_migrations") == [(10,)]  # left untouched


def test_dbmate_part_applied_with_a_gap(db: TestDatabase, cli: Any, tmp_path: Path) -> None:
    # dbmate applied 01 and 03 (02 was merged later): 02 is pending, with the rest.
    apply_dbmate(db, DBMATE_SET, only=["20240101", "20240103"], tmp=tmp_path)
    target = tmp_path / "migrations"
    result = _import(cli, db, target, "dbmate", DBMATE_SET)
    assert result.exit_code == 0, result.output
    assert db.tracking_ids() == ["20240101000000", "20240103000000"]
    up = cli(db.url, target, "up")
    assert up.exit_code == 0, up.output
    assert "20240102000000_add_projects is older than the newest applied" in up.stderr
    assert "Applied 3 migrations." in up.stdout
    assert cli(db.url, target, "check").exit_code == 0
    versions = sorted(str(r[0]) for r in db.query("SELECT version FROM schema_migrations"))
    assert versions == ["20240101000000", "20240103000000"]  # left untouched


def test_dirty_golang_migrate_version_is_failed_until_resolved(
    db: TestDatabase, cli: Any, tmp_path: Path
) -> None:
    apply_golang_migrate(db, GOLANG_SET, up_to=10)
    db.query("UPDATE schema_migrations SET dirty = true")
    target = tmp_path / "migrations"
    result = _import(cli, db, target, "golang-migrate", GOLANG_SET)
    assert result.exit_code == 0, result.output
    assert "20000101000010: recorded as failed" in result.stdout
    status = cli(db.url, target, "status", "--json")
    states = {s["id"]: s["state"] for s in json.loads(status.stdout)}
    assert states["20000101000010"] == "failed"
    assert states["20000101000003"] == "applied"

    refused = cli(db.url, target, "up")
    assert refused.exit_code == 1
    assert "20000101000010" in refused.stderr and "resolve" in refused.stderr
    resolved = cli(db.url, target, "resolve", "20000101000010", "--applied")
    assert resolved.exit_code == 0, resolved.output
    up = cli(db.url, target, "up")
    assert up.exit_code == 0, up.output
    assert "Applied 3 migrations." in up.stdout


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_import_again_is_a_no_op_and_other_migrations_are_refused(
    db: TestDatabase, cli: Any, tmp_path: Path
) -> None:
    target = tmp_path / "migrations"
    assert _import(cli, db, target, "dbmate", DBMATE_SET).exit_code == 0
    again = _import(cli, db, target, "dbmate", DBMATE_SET)
    assert again.exit_code == 0, again.output
    assert "Already imported (nothing written): 5 migrations" in again.stdout

    other = _import(cli, db, target, "golang-migrate", GOLANG_SET)
    assert other.exit_code == 1
    assert other.stderr.startswith(
        f"error: migrations directory {target} (--dir / GOOFER_MIGRATIONS_DIR): already holds a "
        "different import; pass --force"
    )
    assert len(list(target.glob("*.sql"))) == 10  # nothing written

    forced = _import(cli, db, target, "golang-migrate", GOLANG_SET, "--force")
    assert forced.exit_code == 0, forced.output
    assert sorted(p.name[:14] for p in target.glob("*.up.sql"))[0] == "20000101000001"
    assert len(list(target.glob("*.sql"))) == 14  # the dbmate files are gone


def test_import_refuses_a_version_golang_migrate_would_refuse(cli: Any, tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "1_a.up.sql").write_text("SELECT 1;\n")
    (source / "01_b.up.sql").write_text("SELECT 2;\n")
    result = cli(
        "sqlite:///:memory:", tmp_path / "out", "import", "--from", "golang-migrate", str(source)
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "duplicate up migration for version 1" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_create_index_concurrently_runs_outside_a_transaction(
    db: TestDatabase, native_db: TestDatabase, cli: Any, tmp_path: Path
) -> None:
    source = GOLANG_SET.parent / "postgresql_concurrently"
    target = tmp_path / "migrations"
    result = cli("sqlite:///:memory:", target, "import", "--from", "golang-migrate", str(source))
    assert result.exit_code == 0, result.output
    assert "added '-- goofer:no-transaction' to the up: it uses CONCURRENTLY" in result.stdout
    assert "added '-- goofer:no-transaction' to the down: it uses CONCURRENTLY" in result.stdout
    up = cli(db.url, target, "up")
    assert up.exit_code == 0, up.output
    apply_golang_migrate(native_db, source)
    assert schema_differences(db, native_db) == []
    down = cli(db.url, target, "down")
    assert down.exit_code == 0, down.output
    assert db.query("SELECT indexname FROM pg_indexes WHERE tablename = 'events'") == [
        ("events_pkey",)
    ]
