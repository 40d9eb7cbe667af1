"""Helpers the tests import: fresh real databases on each dialect, and the goofer command.

``from tests.helpers import make_database, run_goofer``. The pytest fixtures built on these
(db, db_url, scenario, goofer, cli) live in tests/conftest.py.

Server tests skip with the reason when a server is unreachable on a developer machine; under
CI (CI=true) an unreachable server fails the test instead, so CI never passes by skipping.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from goofer_core.dialects import get_dialect
from goofer_core.url import DatabaseURL

# -- databases -------------------------------------------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures" / "migrations"
SERVERS = {
    "postgresql": os.environ.get(
        "GOOFER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
    ),
    "mysql": os.environ.get("GOOFER_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/test"),
}
DIALECTS = ["sqlite", "postgresql", "mysql"]
_unreachable: dict[str, str | None] = {}


def _server_problem(dialect: str) -> str | None:
    if dialect not in _unreachable:
        try:
            get_dialect(dialect).connect(DatabaseURL.parse(SERVERS[dialect]), 3).close()
            _unreachable[dialect] = None
        except Exception as exc:
            _unreachable[dialect] = f"{dialect} server unreachable: {exc}"
    return _unreachable[dialect]


def require_server(dialect: str) -> None:
    """Skip (or, under CI, fail) when the dialect's server cannot be reached."""
    problem = _server_problem(dialect)
    if problem:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{problem} (CI=true: a missing server is a failure)")
        pytest.skip(problem)


class TestDatabase:
    """A fresh database on one dialect, with helpers to look at it as a user would."""

    __test__ = False

    def __init__(self, dialect: str, url: str) -> None:
        self.dialect_name = dialect
        self.url = url
        self.dialect = get_dialect(dialect)
        #: SQLite's run lock is one write transaction with each migration a savepoint, so a
        #: run that dies commits nothing and a suspended lock (no-transaction file) frees the
        #: database; the servers' locks are outside the migrations' transactions.
        self.run_is_one_transaction = dialect == "sqlite"

    def connect(self) -> Any:
        """Open a new autocommit connection to this database."""
        return self.dialect.connect(DatabaseURL.parse(self.url), 10)

    def query(self, sql: str, params: tuple[Any, ...] | None = None) -> list[tuple[Any, ...]]:
        """Run one statement on a new connection and return its rows."""
        conn = self.connect()
        try:
            cur = conn.cursor()
            cur.execute(sql) if params is None else cur.execute(sql, params)
            return list(cur.fetchall()) if cur.description else []
        finally:
            conn.close()

    def tables(self) -> set[str]:
        """Return the names of the user tables in this database."""
        if self.dialect_name == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        elif self.dialect_name == "postgresql":
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        else:
            sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()"
        return {r[0] for r in self.query(sql)}

    def tracking_ids(self, table: str = "migrations") -> list[str]:
        """Return the ids recorded in the tracking table, sorted."""
        return sorted(str(r[0]) for r in self.query(f"SELECT id FROM {table}"))


def _create_server_database(dialect: str) -> tuple[str, str]:
    admin = DatabaseURL.parse(SERVERS[dialect])
    name = f"goofer_t_{uuid.uuid4().hex[:12]}"
    conn = get_dialect(dialect).connect(admin, 10)
    try:
        conn.cursor().execute(f"CREATE DATABASE {name}")
    finally:
        conn.close()
    return name, admin.with_database(name).render(show_password=True)


def _drop_server_database(dialect: str, name: str) -> None:
    admin = DatabaseURL.parse(SERVERS[dialect])
    conn = get_dialect(dialect).connect(admin, 10)
    try:
        drop = f"DROP DATABASE IF EXISTS {name}"
        if dialect == "postgresql":
            drop += " WITH (FORCE)"
        conn.cursor().execute(drop)
    finally:
        conn.close()


def make_database(dialect: str, tmp_path: Path) -> Iterator[TestDatabase]:
    """Yield a fresh database of ``dialect``, dropped afterwards."""
    if dialect == "sqlite":
        yield TestDatabase("sqlite", f"sqlite:///{tmp_path / 'test.db'}")
        return
    require_server(dialect)
    name, url = _create_server_database(dialect)
    try:
        yield TestDatabase(dialect, url)
    finally:
        _drop_server_database(dialect, name)


# -- the goofer command ----------------------------------------------------------------------


def goofer_command() -> list[str]:
    """Return the argv prefix that runs the installed goofer command of this Python."""
    sibling = Path(sys.executable).parent / "goofer"
    if sibling.exists():
        return [str(sibling)]
    found = shutil.which("goofer")
    return [found] if found else [sys.executable, "-m", "goofer_core.cli"]


def run_goofer(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``goofer`` command in a subprocess."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("GOOFER_")}
    full_env.update(env or {})
    return subprocess.run(
        [*goofer_command(), *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=timeout,
    )


class CliResult:
    """What a user sees from one command: exit code, stdout, stderr."""

    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    @property
    def output(self) -> str:
        """Return stdout and stderr together."""
        return self.stdout + self.stderr

    def __repr__(self) -> str:
        return f"CliResult({self.exit_code}, stdout={self.stdout!r}, stderr={self.stderr!r})"
