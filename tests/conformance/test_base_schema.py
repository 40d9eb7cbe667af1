"""Migrations that stand on tables Goofer does not own: ``--base-schema`` / GOOFER_BASE_SCHEMA.

The tables come from elsewhere (another tool, a legacy schema): Goofer's migrations and
entities point foreign keys at them, and generate, check and verify build them first in the
scratch database, without ever creating or dropping them.
"""

from __future__ import annotations

from tests.helpers import run_goofer

BASE_SQL = """\
-- Owned by the accounts service, not by Goofer.
CREATE TABLE accounts (id INTEGER NOT NULL PRIMARY KEY, email VARCHAR(200) NOT NULL);
CREATE TABLE plans (code VARCHAR(20) NOT NULL PRIMARY KEY);
"""

ENTITIES = """
from dataclasses import dataclass
from goofer_core import column, registry


@registry.register_entity(table="invoices")
@dataclass
class Invoice:
    id: int = column(primary_key=True)
    account_id: int = column(foreign_key="accounts.id", on_delete="CASCADE")
    plan: str | None = column(max_length=20, foreign_key="{plan_target}")
"""


def _project(tmp_path, plan_target="plans.code"):
    project = tmp_path / "project"
    (project / "migrations").mkdir(parents=True)
    (project / "base.sql").write_text(BASE_SQL)
    (project / "billing.py").write_text(ENTITIES.replace("{plan_target}", plan_target))
    return project


def test_migrations_and_entities_stand_on_the_base_schema(db, tmp_path):
    project = _project(tmp_path)
    plain = ("--database-url", db.url, "--dir", "migrations", "--entities", "billing")
    based = (*plain, "--base-schema", "base.sql")

    first = run_goofer(*based, "generate", "initial", cwd=project)
    assert first.returncode == 0, first.stderr
    up = next((project / "migrations").glob("*_initial.up.sql")).read_text()
    down = next((project / "migrations").glob("*_initial.down.sql")).read_text()
    # Foreign keys to the base's tables, which the migration neither creates nor drops.
    assert "REFERENCES" in up and "accounts" in up and "plans" in up
    assert "CREATE TABLE" in up and "accounts (" not in up and "plans (" not in up
    assert "DROP TABLE" in down and "accounts" not in down.split("DROP TABLE", 1)[1]

    # The real database gets the base from its owner, then Goofer's migrations on top.
    for statement in BASE_SQL.split(";")[:-1]:
        db.query(statement)
    applied = run_goofer(*plain, "up", cwd=project)
    assert applied.returncode == 0, applied.stderr
    assert {"accounts", "plans", "invoices", "migrations"} <= db.tables()

    again = run_goofer(*based, "generate", "again", cwd=project)
    assert (again.returncode, again.stdout) == (0, "No changes detected\n"), again.stderr
    checked = run_goofer(*based, "check", "--verify", cwd=project)
    assert checked.returncode == 0, checked.output
    verified = run_goofer(*based, "verify", cwd=project)
    assert verified.returncode == 0, verified.output
    # The environment variable does the same.
    from_env = run_goofer(*plain, "check", cwd=project, env={"GOOFER_BASE_SCHEMA": "base.sql"})
    assert from_env.returncode == 0, from_env.output

    # Without the base, the scratch database lacks the tables: one line saying what failed.
    lost = run_goofer(*plain, "check", cwd=project)
    assert lost.returncode == 1
    assert lost.stderr.count("\n") == 1
    if db.dialect_name == "sqlite":  # SQLite accepts a foreign key to a missing table
        assert "foreign key to accounts" in lost.stderr and "--base-schema" in lost.stderr
    else:  # (MariaDB's errno 150 does not name the table)
        assert "_initial.up.sql: statement 1" in lost.stderr


def test_a_foreign_key_to_a_table_nobody_creates_is_refused(db, tmp_path):
    project = _project(tmp_path, plan_target="pricing.code")
    based = ("--database-url", db.url, "--dir", "migrations", "--entities", "billing")
    result = run_goofer(*based, "--base-schema", "base.sql", "generate", "initial", cwd=project)
    assert result.returncode == 1
    assert result.stderr == (
        "error: invoices.plan: foreign key to pricing, a table no entity or model declares "
        "that is not in the base schema base.sql\n"
    )
    assert list((project / "migrations").iterdir()) == []


def test_a_broken_base_schema_names_the_file_and_statement(db, tmp_path):
    project = _project(tmp_path)
    (project / "base.sql").write_text(BASE_SQL + "CREATE TABLE plans (code INTEGER);\n")
    based = ("--database-url", db.url, "--dir", "migrations", "--entities", "billing")
    result = run_goofer(*based, "--base-schema", "base.sql", "generate", "initial", cwd=project)
    assert result.returncode == 1
    assert result.stderr.startswith("error: base.sql: statement 3 (line 4) failed in the scratch")
    missing = run_goofer(*based, "--base-schema", "nope.sql", "check", cwd=project)
    assert missing.returncode == 1
    assert missing.stderr.startswith("error: nope.sql (--base-schema / GOOFER_BASE_SCHEMA): cannot")
