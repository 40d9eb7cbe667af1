"""examples/flask_blog, run as its README says: its models and its migrations agree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("flask_sqlalchemy")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "flask_blog"


def flask(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOOFER_", "BLOG_"))}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "flask_blog", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_blog_example_migrates_and_its_models_match(tmp_path):
    shutil.copytree(
        EXAMPLE, tmp_path / "flask_blog", ignore=shutil.ignore_patterns("__pycache__", "instance")
    )
    up = flask(tmp_path, "goofer", "up")
    assert up.returncode == 0, up.stderr
    assert up.stdout.endswith("Applied 1 migration.\n")
    assert (tmp_path / "instance" / "blog.db").exists()  # where Flask-SQLAlchemy opens it
    check = flask(tmp_path, "goofer", "check")
    assert (check.returncode, check.stdout) == (
        0,
        "OK: every migration is applied and unchanged.\n",
    ), check.stderr
    again = flask(tmp_path, "goofer", "generate", "again")
    assert (again.returncode, again.stdout) == (0, "No changes detected\n"), again.stderr
