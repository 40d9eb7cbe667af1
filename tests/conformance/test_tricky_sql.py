"""SQL that naive splitters break: strings, comments, $$ bodies, triggers, routines, DELIMITER."""

from __future__ import annotations

import pytest

from tests.helpers import make_database

EXPECTED_TRACKING = {
    "sqlite": ["20240101000000", "20240102000000"],
    "postgresql": ["20240101000000", "20240102000000", "20240103000000"],
    "mysql": ["20240101000000", "20240102000000"],
}


def test_tricky_scripts_apply_and_revert(db, cli, scenario):
    migrations = scenario("tricky", db.dialect_name)
    result = cli(db.url, migrations, "up")
    assert result.exit_code == 0, result
    assert db.tracking_ids() == EXPECTED_TRACKING[db.dialect_name]

    bodies = {r[0]: r[1] for r in db.query("SELECT id, body FROM notes")}
    assert bodies[1] == "it's; not -- a comment" + (
        " /* either */" if db.dialect_name == "sqlite" else ""
    )
    audit = [r[0] for r in db.query("SELECT action FROM audit ORDER BY action")]
    if db.dialect_name == "sqlite":
        assert bodies[2] == "line one;\nline two"
        assert audit == ["insert; via trigger", "semi"]
    elif db.dialect_name == "postgresql":
        assert bodies[2] == "escaped ' quote; and \\ backslash"
        assert bodies[3] == "C:\\"
        assert bodies[4] == "from a DO block;"
        assert audit == ["insert; via $$ trigger"]
        assert db.query("SELECT add_one(41)") == [(42,)]
        valid = "SELECT indisvalid FROM pg_index WHERE indexrelid = 'notes_body'::regclass"
        assert db.query(valid) == [(True,)]
    else:
        assert bodies[2] == "C:\\" and bodies[3] == "it's;"
        assert bodies[5] == "called; from a procedure"
        assert audit == ["insert; via trigger"]

    result = cli(db.url, migrations, "down", "--all")
    assert result.exit_code == 0, result
    assert db.tables() == {"migrations"}


@pytest.fixture
def pg_db(tmp_path):
    yield from make_database("postgresql", tmp_path)


def test_postgresql_error_line_points_into_the_statement(pg_db, cli, tmp_path):
    migrations = tmp_path / "m"
    migrations.mkdir()
    (migrations / "20240101000000_typo.up.sql").write_text(
        "CREATE TABLE a (id INTEGER);\n\nSELECT id,\n       nosuchcolumn\n  FROM a;\n"
    )
    (migrations / "20240101000000_typo.down.sql").write_text("DROP TABLE a;\n")
    result = cli(pg_db.url, migrations, "up")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        'error: 20240101000000_typo.up.sql: statement 2 (line 4): column "nosuchcolumn" '
        "does not exist (SQLSTATE 42703)"
    ), result.stderr
    assert "a" not in pg_db.tables()
