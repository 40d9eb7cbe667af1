"""One tracking table, named exactly: the search_path never decides which one is read.

Issue 15, item 2. The lock-free up-to-date check used to read ``migrations`` through the
search_path while the locked path pinned ``current_schema()``: an empty schema first on the
search_path was called up to date, or got the whole history re-run into it. Now the table is
resolved once per run (the one PostgreSQL finds on the search_path, else the current schema),
and ``--table SCHEMA.NAME`` names it outright.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from goofer_core import Migrator
from tests.helpers import FIXTURES, TestDatabase, make_database

BASIC = FIXTURES / "basic"
FIRST, SECOND, THIRD = "20240101000000", "20240102000000", "20240103000000"


@pytest.fixture
def pg(tmp_path: Path):
    yield from make_database("postgresql", tmp_path)


@pytest.fixture
def my(tmp_path: Path):
    yield from make_database("mysql", tmp_path / "a")


@pytest.fixture
def my_other(tmp_path: Path):
    yield from make_database("mysql", tmp_path / "b")


def _with_search_path(url: str, path: str) -> str:
    return f"{url}?options=-csearch_path%3D{path.replace(',', '%2C')}"


def _relations(db: TestDatabase, schema: str) -> set[str]:
    rows = db.query("SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,))
    return {r[0] for r in rows}


def _states(stdout: str) -> dict[str, str]:
    return {row["id"]: row["state"] for row in json.loads(stdout)}


def test_an_empty_schema_first_on_the_search_path_does_not_get_the_history(pg, cli):
    assert cli(pg.url, BASIC, "up", "--to", SECOND).exit_code == 0
    pg.query("CREATE SCHEMA tenant_a")
    url = _with_search_path(pg.url, "tenant_a,public")

    # The lock-free reads (status, check, sql) and the locked path (up) read one table: public's.
    status = cli(url, BASIC, "status", "--json")
    assert _states(status.stdout) == {FIRST: "applied", SECOND: "applied", THIRD: "pending"}
    check = cli(url, BASIC, "check")
    assert check.exit_code == 1 and f"{THIRD}_create_posts: pending" in check.stdout
    sql = cli(url, BASIC, "sql")
    assert f"-- {THIRD}_create_posts.up.sql" in sql.stdout
    assert f"{FIRST}_" not in sql.stdout

    up = cli(url, BASIC, "up")
    assert up.exit_code == 0, up
    assert "Applied 1 migration." in up.stdout, up.stdout
    assert pg.tracking_ids("public.migrations") == [FIRST, SECOND, THIRD]
    assert "migrations" not in _relations(pg, "tenant_a")
    assert "users" not in _relations(pg, "tenant_a")  # the history was not re-run there
    assert cli(url, BASIC, "check").exit_code == 0


def test_a_schema_named_after_the_login_role_does_not_re_run_the_history(pg, cli):
    assert cli(pg.url, BASIC, "up", "--to", SECOND).exit_code == 0
    (role,) = pg.query("SELECT current_user")[0]
    pg.query(f'CREATE SCHEMA "{role}"')  # now first on the default "$user", public path

    assert cli(pg.url, BASIC, "check").exit_code == 1  # THIRD pending, read from public
    up = cli(pg.url, BASIC, "up")
    assert up.exit_code == 0, up
    assert "Applied 1 migration." in up.stdout, up.stdout
    assert pg.tracking_ids("public.migrations") == [FIRST, SECOND, THIRD]
    assert _relations(pg, role) == {"posts"}  # created where the search_path says; no history
    assert cli(pg.url, BASIC, "check").exit_code == 0


def test_table_in_another_schema_for_every_command(pg, cli, tmp_path):
    pg.query("CREATE SCHEMA other")
    # A search_path that does not include the schema: the name alone decides.
    url = _with_search_path(pg.url, "public")
    args = ("--table", "other.migrations")

    def run(*command: str):
        return cli(url, BASIC, *args, *command)

    assert _states(run("status", "--json").stdout) == dict.fromkeys(
        (FIRST, SECOND, THIRD), "pending"
    )
    assert run("check").exit_code == 1
    up = run("up")
    assert up.exit_code == 0, up
    assert pg.tracking_ids("other.migrations") == [FIRST, SECOND, THIRD]
    assert _relations(pg, "other") == {"migrations"}  # the migrations ran on the search_path
    assert {"users", "posts"} <= _relations(pg, "public")
    assert "migrations" not in _relations(pg, "public")

    assert set(_states(run("status", "--json").stdout).values()) == {"applied"}
    assert run("check").exit_code == 0
    assert run("sql").stdout.strip() == "-- nothing to run"
    assert f"-- {THIRD}_create_posts.down.sql" in run("sql", "--down").stdout
    down = run("down")
    assert down.exit_code == 0, down
    assert pg.tracking_ids("other.migrations") == [FIRST, SECOND]
    assert "posts" not in _relations(pg, "public")
    # The default table is another one: nothing is recorded there.
    assert cli(url, BASIC, "check").exit_code == 1
    assert "migrations" not in _relations(pg, "public")

    # Through the environment and the Python API, the same table.
    with pytest.MonkeyPatch.context() as env:
        env.setenv("GOOFER_TABLE", "other.migrations")
        assert cli(url, BASIC, "check").exit_code == 1  # THIRD pending in other.migrations
    applied = Migrator(url, directory=BASIC, table="other.migrations").up()
    assert [m.id for m in applied] == [THIRD]


def test_a_missing_schema_is_one_line_naming_it(pg, cli):
    for command in ("up", "status", "check", "sql", "down"):
        result = cli(pg.url, BASIC, "--table", "nowhere.migrations", command)
        assert result.exit_code == 1, (command, result)
        assert result.stderr == (
            "error: tracking table nowhere.migrations: schema nowhere does not exist\n"
        ), command
    assert pg.tables() == set()


def test_mysql_table_in_another_database(my, my_other, cli):
    other = my_other.url.rsplit("/", 1)[1]
    args = ("--table", f"{other}.migrations")
    up = cli(my.url, BASIC, *args, "up")
    assert up.exit_code == 0, up
    assert my_other.tables() == {"migrations"}
    assert my_other.tracking_ids() == [FIRST, SECOND, THIRD]
    assert my.tables() == {"users", "posts"}
    assert cli(my.url, BASIC, *args, "check").exit_code == 0
    assert cli(my.url, BASIC, *args, "down").exit_code == 0
    assert my_other.tracking_ids() == [FIRST, SECOND]

    missing = cli(my.url, BASIC, "--table", "nowhere_db.migrations", "status")
    assert missing.exit_code == 1
    assert missing.stderr == (
        "error: tracking table nowhere_db.migrations: database nowhere_db does not exist\n"
    )


def test_sqlite_refuses_a_qualified_table_in_one_line(cli, tmp_path):
    migrations = tmp_path / "m"
    shutil.copytree(BASIC, migrations)
    result = cli(f"sqlite:///{tmp_path / 'app.db'}", migrations, "--table", "s.migrations", "up")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: tracking table s.migrations: sqlite has no schemas; "
        "use a plain name (letters, digits and _)\n"
    )
    assert not (tmp_path / "app.db").exists()


def test_flask_config_names_a_schema_qualified_table(pg, tmp_path):
    from flask import Flask

    from goofer_integrations.flask import Goofer

    pg.query("CREATE SCHEMA history")
    app = Flask("goofer_table_schema", root_path=str(tmp_path))
    app.config.update(
        GOOFER_DATABASE_URL=pg.url,
        GOOFER_MIGRATIONS_DIR=str(BASIC),
        GOOFER_TABLE="history.migrations",
    )
    Goofer(app).apply()
    assert pg.tracking_ids("history.migrations") == [FIRST, SECOND, THIRD]
    assert "migrations" not in _relations(pg, "public")
