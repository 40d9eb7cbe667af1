"""What every tool adapter provides: write the workload in its native form, name its commands."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from ..databases import Target
from ..workload import Migration

# Scenario keys; the letters are the (A) to (E).
APPLY, NOOP, STATUS, REVERT, STARTUP = "apply", "noop", "status", "revert", "startup"
SCENARIOS = {"A": APPLY, "B": NOOP, "C": STATUS, "D": REVERT, "E": STARTUP}
REVERT_STEPS = 10

PYTHON = sys.executable
ADAPTERS_DIR = Path(__file__).resolve().parent


def console_script(name: str) -> str:
    """Return the real path of an installed console script.

    The one beside the interpreter is preferred: a version manager's shim on PATH (pyenv's is a
    shell script) would add its own start-up time to every run.
    """
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name}: not installed (pip install -e '.[bench]')")
    return found


@dataclass
class Workspace:
    """One tool's files, on one database, for one workload."""

    directory: Path  # the tool's folder: its files, and the cwd of every command
    target: Target
    migrations: list[Migration]

    @property
    def dialect(self) -> str:
        """Return the dialect of the target database."""
        return self.target.dialect

    def write(self, relative: str, text: str) -> Path:
        """Write ``text`` to a file under the workspace (creating folders)."""
        path = self.directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path


class Tool:
    """A migration tool as the benchmark drives it: whole processes, one command per scenario."""

    name: ClassVar[str]
    #: Tables the tool itself creates (not counted when checking the migrations' tables).
    bookkeeping: ClassVar[tuple[str, ...]] = ()
    #: Python packages the tool needs (checked before a run, installed by the ``bench`` extra).
    requires: ClassVar[tuple[str, ...]] = ()

    def prepare(self, ws: Workspace) -> None:
        """Write the workload into ``ws.directory`` in the tool's own form."""
        raise NotImplementedError

    def command(self, scenario: str, ws: Workspace) -> list[str]:
        """Return the argv that runs ``scenario`` (apply, noop, status, revert, startup)."""
        raise NotImplementedError


def write_sql_pairs(ws: Workspace, folder: str = "migrations") -> None:
    """Write Goofer-layout ``<id>_<name>.up.sql`` / ``.down.sql`` files."""
    for m in ws.migrations:
        ws.write(f"{folder}/{m.label}.up.sql", m.up[ws.dialect])
        ws.write(f"{folder}/{m.label}.down.sql", m.down[ws.dialect])
