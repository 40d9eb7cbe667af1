"""A tracking table Goofer cannot read is an error, never "nothing applied, all pending"."""

from __future__ import annotations

import uuid

import pytest

from goofer_core.url import DatabaseURL
from tests.helpers import FIXTURES, make_database, run_goofer

BASIC = FIXTURES / "basic"


@pytest.fixture(params=["postgresql", "mysql"])
def server_db(request, tmp_path):
    yield from make_database(request.param, tmp_path)


def test_a_table_of_that_name_that_is_not_goofers(db):
    db.query("CREATE TABLE migrations (version INTEGER)")
    for command in ("status", "check", "sql", "up"):
        result = run_goofer("--database-url", db.url, "--dir", str(BASIC), command)
        assert (result.returncode, result.stdout) == (1, ""), (command, result.stdout)
        assert result.stderr.startswith("error: tracking table migrations: cannot read it (")
        assert result.stderr.endswith("choose another with --table / GOOFER_TABLE\n")
    assert db.tables() == {"migrations"}


def test_a_role_that_may_not_read_the_tracking_table(server_db):
    db = server_db
    assert run_goofer("--database-url", db.url, "--dir", str(BASIC), "up").returncode == 0
    role = f"goofer_ro_{uuid.uuid4().hex[:8]}"
    url = DatabaseURL.parse(db.url)
    if db.dialect_name == "postgresql":
        db.query(f"CREATE ROLE {role} LOGIN")
        detail = "permission denied for table migrations (SQLSTATE 42501)"
    else:  # a grant on another table lets it use the database, not read the tracking table
        for host in ("localhost", "127.0.0.1", "%"):
            db.query(f"CREATE USER '{role}'@'{host}'")
            db.query(f"GRANT SELECT ON {url.database}.users TO '{role}'@'{host}'")
        detail = f"(1142) SELECT command denied to user '{role}'@"
    try:
        reader = url._replace(user=role).render(show_password=True)
        for command in ("status", "check", "up"):
            result = run_goofer("--database-url", reader, "--dir", str(BASIC), command)
            assert (result.returncode, result.stdout) == (1, ""), (command, result.stdout)
            assert result.stderr.startswith("error: tracking table migrations: cannot read it ("), (
                result.stderr
            )
            assert detail in result.stderr, result.stderr
    finally:
        if db.dialect_name == "postgresql":
            db.query(f"DROP ROLE {role}")
        else:
            for host in ("localhost", "127.0.0.1", "%"):
                db.query(f"DROP USER '{role}'@'{host}'")
