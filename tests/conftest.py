"""Shared fixtures: a fresh real database per test, on SQLite, PostgreSQL and MariaDB.

The helpers behind them (make_database, run_goofer, SERVERS ...) are in tests/helpers.py; tests
import those with ``from tests.helpers import ...``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import DIALECTS, FIXTURES, CliResult, TestDatabase, make_database, run_goofer


@pytest.fixture(params=DIALECTS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestDatabase]:
    """A fresh empty database on each dialect in turn."""
    yield from make_database(request.param, tmp_path)


@pytest.fixture
def db_url(db: TestDatabase) -> str:
    """The URL of a fresh empty database on each dialect in turn."""
    return db.url


@pytest.fixture
def scenario(tmp_path: Path) -> Any:
    """Copy a fixture folder of migrations to a private directory and return its path."""

    def copy(name: str, dialect: str | None = None) -> Path:
        source = FIXTURES / name
        if dialect and (source / dialect).is_dir():
            source = source / dialect
        target = tmp_path / f"migrations_{name}"
        shutil.copytree(source, target)
        return target

    return copy


@pytest.fixture
def goofer() -> Any:
    """Run the installed goofer command: ``goofer("--database-url", url, "up")``."""
    return run_goofer


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run the goofer click group in-process: ``cli(url, migrations_dir, "up")``."""
    from click.testing import CliRunner

    from goofer_core.cli.click_app import cli as group

    for key in list(os.environ):
        if key.startswith("GOOFER_"):
            monkeypatch.delenv(key)

    def invoke(url: str, directory: Path | str, *args: str) -> CliResult:
        try:
            runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
        except TypeError:
            runner = CliRunner()
        result = runner.invoke(
            group, ["--database-url", url, "--dir", str(directory), *args], catch_exceptions=False
        )
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return invoke
