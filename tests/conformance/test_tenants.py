"""Tenants: one directory applied to many schemas (PostgreSQL) or databases (MariaDB) in one run.

Issue 15, item 3: ``--schemas a,b`` / ``--schemas-from SQL`` with ``--jobs N`` on up, down,
status and check; each tenant has its own tracking table (TENANT.migrations) and lock; a
tenant's failure is its own line, the others are applied, and the run exits 1 naming it.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from goofer_core.migrations.tenants import up_tenants
from tests.helpers import FIXTURES, TestDatabase, make_database, run_goofer

BASIC = FIXTURES / "basic"
IDS = ["20240101000000", "20240102000000", "20240103000000"]
TENANTS = 12
TOOK = re.compile(r" \(\d+ ms\)$")


class Tenancy:
    """A fresh database and ``TENANTS`` tenants in it (schemas) or beside it (databases)."""

    def __init__(self, db: TestDatabase) -> None:
        self.db = db
        self.prefix = f"t{uuid.uuid4().hex[:8]}_"
        self.names = [f"{self.prefix}{i:02d}" for i in range(TENANTS)]
        self.kind = "schema" if db.dialect_name == "postgresql" else "database"
        for name in self.names:
            self.create(name)

    def create(self, name: str) -> None:
        if self.kind == "schema":
            self.db.query(f"CREATE SCHEMA {name}")
        else:
            self.db.query(f"CREATE DATABASE {name}")

    def drop(self) -> None:
        if self.kind == "database":
            for name in self.names:
                self.db.query(f"DROP DATABASE IF EXISTS {name}")

    def tables(self, tenant: str) -> set[str]:
        if self.kind == "schema":
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = %s"
        else:
            sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = %s"
        return {r[0] for r in self.db.query(sql, (tenant,))}

    def applied(self, tenant: str) -> list[str]:
        rows = self.db.query(f"SELECT id FROM {tenant}.migrations WHERE state = 'applied'")
        return sorted(str(r[0]) for r in rows)

    def list_query(self) -> str:
        if self.kind == "schema":
            return (
                f"SELECT nspname FROM pg_namespace WHERE nspname LIKE '{self.prefix}%' ORDER BY 1"
            )
        return (
            "SELECT schema_name FROM information_schema.schemata "
            f"WHERE schema_name LIKE '{self.prefix}%' ORDER BY 1"
        )


@pytest.fixture(params=["postgresql", "mysql"])
def tenancy(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Tenancy]:
    for db in make_database(request.param, tmp_path):
        tenancy = Tenancy(db)
        try:
            yield tenancy
        finally:
            tenancy.drop()


def _lines(text: str) -> set[str]:
    return {TOOK.sub("", line) for line in text.splitlines()}


def test_apply_then_a_no_op_pass(tenancy, cli):
    t = tenancy
    schemas = ",".join(t.names)
    up = cli(t.db.url, BASIC, "up", "--schemas", schemas, "--jobs", "4")
    assert (up.exit_code, up.stderr) == (0, ""), up
    assert _lines(up.stdout) == {f"{n}: 3 applied" for n in t.names} | {"12 tenants: 12 ok"}
    for name in t.names:
        assert t.applied(name) == IDS
        assert t.tables(name) == {"migrations", "users", "posts"}  # created in the tenant
    assert t.db.tables() == set()  # nothing in the connection's own schema or database

    # The no-op pass, through the installed command (its own parser).
    again = run_goofer("--database-url", t.db.url, "--dir", str(BASIC), "up", "--schemas", schemas)
    assert (again.returncode, again.stderr) == (0, "")
    assert _lines(again.stdout) == {f"{n}: nothing applied" for n in t.names} | {
        "12 tenants: 12 ok"
    }


def test_a_broken_and_a_missing_tenant_do_not_stop_the_others(tenancy, cli):
    t = tenancy
    broken = t.names[3]
    missing = f"{t.prefix}nowhere"
    t.db.query(f"CREATE TABLE {broken}.posts (id INTEGER)")  # the third migration conflicts
    up = cli(t.db.url, BASIC, "up", "--schemas", ",".join([*t.names, missing]), "--jobs", "3")
    assert up.exit_code == 1
    errors = up.stderr.splitlines()
    assert errors[-1] == f"13 tenants: 11 ok, 2 failed: {broken}, {missing}"
    assert f"{broken}: error: {IDS[2]}_create_posts.up.sql: statement 1 (line 1): " in up.stderr
    assert (
        f"{missing}: error: tracking table {missing}.migrations: {t.kind} {missing} does not exist"
        in errors
    )
    assert len(errors) == 3
    for name in t.names:
        assert t.applied(name) == (IDS[:2] if name == broken else IDS), name


def test_schemas_from_a_query(tenancy, cli):
    t = tenancy
    up = cli(t.db.url, BASIC, "up", "--schemas-from", t.list_query())
    assert up.exit_code == 0, up
    assert up.stdout.splitlines()[-1] == "12 tenants: 12 ok"
    assert all(t.applied(name) == IDS for name in t.names)

    two_columns = cli(t.db.url, BASIC, "up", "--schemas-from", "SELECT 1, 2")
    assert two_columns.exit_code == 1
    assert two_columns.stderr == (
        "error: tenants query: returns 2 columns; expected one, the tenants' names\n"
    )
    both = cli(t.db.url, BASIC, "up", "--schemas", "a", "--schemas-from", "SELECT 1")
    assert both.exit_code == 2


def test_status_json_check_and_down_per_tenant(tenancy, cli):
    t = tenancy
    first, second = t.names[:2]
    assert cli(t.db.url, BASIC, "up", "--schemas", first).exit_code == 0
    assert cli(t.db.url, BASIC, "up", "--to", IDS[0], "--schemas", second).exit_code == 0
    pair = f"{first},{second}"

    status = cli(t.db.url, BASIC, "status", "--json", "--schemas", pair)
    assert (status.exit_code, status.stderr) == (0, ""), status
    report = json.loads(status.stdout)
    assert list(report) == [first, second]
    assert [row["state"] for row in report[first]] == ["applied"] * 3
    assert [row["state"] for row in report[second]] == ["applied", "pending", "pending"]
    assert report[first][0]["id"] == IDS[0]

    check = cli(t.db.url, BASIC, "check", "--schemas", pair)
    assert check.exit_code == 1
    assert _lines(check.stdout) == {
        f"{first}: ok",
        f"{second}: {IDS[1]}_add_user_name: pending",
        f"{second}: {IDS[2]}_create_posts: pending",
    }
    assert check.stderr == f"2 tenants: 1 ok, 1 failed: {second}\n"

    down = cli(t.db.url, BASIC, "down", "--all", "--schemas", pair, "--jobs", "2")
    assert down.exit_code == 0, down
    assert _lines(down.stdout) == {
        f"{first}: 3 reverted",
        f"{second}: 1 reverted",
        "2 tenants: 2 ok",
    }
    assert t.tables(first) == t.tables(second) == {"migrations"}


def test_python_api(tenancy):
    t = tenancy
    seen: list[str] = []
    results = up_tenants(
        t.db.url, BASIC, t.names[:4], jobs=2, on_result=lambda r: seen.append(r.tenant)
    )
    assert [r.tenant for r in results] == t.names[:4]  # in the order given
    assert sorted(seen) == sorted(t.names[:4])
    assert all(r.ok and [m.id for m in r.value] == IDS for r in results)
    again = up_tenants(t.db.url, BASIC, t.names[:4])
    assert all(r.ok and r.value == [] for r in again)


def test_sqlite_refuses_tenants_in_one_line(cli, tmp_path):
    result = cli(f"sqlite:///{tmp_path / 'app.db'}", BASIC, "up", "--schemas", "a,b")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: tenants: sqlite has no schemas; tenants need PostgreSQL (a schema each) or "
        "MySQL/MariaDB (a database each)\n"
    )


def test_flask_goofer_up_with_schemas(tmp_path):
    from flask import Flask

    from goofer_integrations.flask import Goofer

    for db in make_database("postgresql", tmp_path):
        db.query("CREATE SCHEMA shop_a; CREATE SCHEMA shop_b")
        app = Flask("goofer_tenants", root_path=str(tmp_path))
        app.config.update(GOOFER_DATABASE_URL=db.url, GOOFER_MIGRATIONS_DIR=str(BASIC))
        Goofer(app)
        result = app.test_cli_runner().invoke(args=["goofer", "up", "--schemas", "shop_a,shop_b"])
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[-1] == "2 tenants: 2 ok"
        assert db.tracking_ids("shop_b.migrations") == IDS


def test_django_goofer_up_with_schemas(tmp_path):
    from tests.django_adapter.dj_support import clean_env, manage

    for db in make_database("postgresql", tmp_path):
        db.query("CREATE SCHEMA shop_a; CREATE SCHEMA shop_b")
        env = clean_env(TESTSITE_DEFAULT_URL=db.url, TESTSITE_MIGRATIONS_DIR=str(BASIC))
        result = manage("goofer_up", "--schemas", "shop_a,shop_b", "--jobs", "2", env=env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1] == "2 tenants: 2 ok"
        assert db.tracking_ids("shop_a.migrations") == IDS


class _Counting:
    """A real connection whose statements are recorded (the database still runs them)."""

    def __init__(self, conn: object) -> None:
        object.__setattr__(self, "_conn", conn)
        object.__setattr__(self, "sent", [])

    def __getattr__(self, name: str) -> object:
        return getattr(self._conn, name)

    def __setattr__(self, name: str, value: object) -> None:
        setattr(self._conn, name, value)

    def execute(self, sql: str, *args: object) -> object:
        self.sent.append(sql)
        return self._conn.execute(sql, *args)

    def cursor(self) -> object:
        outer = self

        class Cursor:
            def __init__(self) -> None:
                self._cur = outer._conn.cursor()

            def __getattr__(self, name: str) -> object:
                return getattr(self._cur, name)

            def execute(self, sql: str, *args: object) -> object:
                outer.sent.append(sql)
                return self._cur.execute(sql, *args)

        return Cursor()


def test_a_tenant_with_nothing_pending_costs_one_query(tenancy):
    from goofer_core import Migrator

    t = tenancy
    tenant = t.names[0]
    assert all(r.ok for r in up_tenants(t.db.url, BASIC, [tenant]))
    conn = _Counting(t.db.connect())
    try:
        assert Migrator(conn, t.db.dialect_name, BASIC, schema=tenant).up() == []
    finally:
        conn.close()
    quote = '"' if t.kind == "schema" else "`"
    table = f"{quote}{tenant}{quote}.{quote}migrations{quote}"
    assert conn.sent == [f"SELECT id, checksum, state FROM {table}"]
