"""Helpers shared by the in-process Django tests."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

PROJECT = Path(__file__).resolve().parent.parent / "project"
MIGRATIONS = PROJECT / "goofer_migrations"
IDS = ["20240101000000", "20240102000000", "20240103000000"]
ALIASES = ["default", "pg", "maria"]
SERVER_VARIABLES = {"pg": "TESTSITE_PG_URL", "maria": "TESTSITE_MARIA_URL"}
CONFIGURED = ["default", *(a for a, v in SERVER_VARIABLES.items() if os.environ.get(v))]


def alias_params() -> list[Any]:
    """Return one pytest param per alias, skipped with the reason when its server is absent."""
    return [
        pytest.param(
            alias,
            marks=pytest.mark.skipif(
                alias not in CONFIGURED,
                reason=f"{SERVER_VARIABLES.get(alias)} is not set (no server for this alias)",
            ),
        )
        for alias in ALIASES
    ]


class Output:
    """What one call_command printed, and how it ended."""

    def __init__(self, stdout: str, stderr: str) -> None:
        self.stdout = stdout
        self.stderr = stderr

    @property
    def lines(self) -> list[str]:
        """Return stdout's lines."""
        return self.stdout.splitlines()


def run(name: str, *args: Any, **options: Any) -> Output:
    """Run a management command in-process and capture stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    call_command(name, *args, stdout=out, stderr=err, **options)
    return Output(out.getvalue(), err.getvalue())


def table_names(alias: str) -> set[str]:
    """Return the tables of an alias's (test) database."""
    from django.db import connections

    return set(connections[alias].introspection.table_names())


def tracked_ids(alias: str) -> list[str]:
    """Return the ids in the Goofer tracking table of an alias's database."""
    from django.db import connections

    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT id FROM migrations ORDER BY id")
        return [str(row[0]) for row in cursor.fetchall()]
