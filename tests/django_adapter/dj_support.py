"""Helpers for the Django adapter tests that run Django in subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PROJECT = HERE / "project"
MIGRATIONS = PROJECT / "goofer_migrations"
IDS = ["20240101000000", "20240102000000", "20240103000000"]


def clean_env(**extra: str) -> dict[str, str]:
    """Return this process's environment without GOOFER_*, TESTSITE_* and Django settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GOOFER_", "TESTSITE_")) and k != "DJANGO_SETTINGS_MODULE"
    }
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def manage(
    *args: str, env: dict[str, str], cwd: Path = PROJECT, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run ``python manage.py ARGS`` of a project in a subprocess."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
