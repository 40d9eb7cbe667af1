"""Run the in-process half (pytest-django, call_command, apply()) as its own pytest session.

It needs Django settings for the whole session, which the rest of the suite must not see, so
it runs in a subprocess with ``-c inprocess/pytest.ini``. Its PostgreSQL and MariaDB test
databases are created (and dropped) by pytest-django under names unique to this run.
"""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.django_adapter.dj_support import HERE, ROOT, clean_env
from tests.helpers import SERVERS, require_server


def test_the_pytest_django_session_passes(tmp_path: Path) -> None:
    env = clean_env(
        TESTSITE_DEFAULT_URL=f"sqlite:///{tmp_path / 'default.db'}",
        TESTSITE_TEST_SUFFIX=uuid.uuid4().hex[:10],
    )
    for dialect, variable in (("postgresql", "TESTSITE_PG_URL"), ("mysql", "TESTSITE_MARIA_URL")):
        try:
            require_server(dialect)  # fails under CI=true when the server is missing
        except pytest.skip.Exception:
            continue  # the inner session skips that alias's tests, naming the variable
        env[variable] = SERVERS[dialect]
    inner = HERE / "inprocess"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-c",
            str(inner / "pytest.ini"),
            str(inner),
            "-q",
            f"--basetemp={tmp_path / 'inner'}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    report = proc.stdout[-6000:] + proc.stderr[-3000:]
    assert proc.returncode == 0, report
    summary = proc.stdout.strip().splitlines()[-1]
    assert re.search(r"\d+ passed", summary) and "failed" not in summary, report
    unexpected = [
        line
        for line in proc.stdout.splitlines()
        if line.startswith("SKIPPED")
        and "is not set" in line
        and (("TESTSITE_PG_URL" in env) if "PG" in line else ("TESTSITE_MARIA_URL" in env))
    ]
    assert unexpected == [], report
