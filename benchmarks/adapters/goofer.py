"""Goofer, twice: the ``goofer`` command, and ``Migrator`` called in-process by a script."""

from __future__ import annotations

from pathlib import Path

from .base import (
    APPLY,
    NOOP,
    PYTHON,
    REVERT,
    REVERT_STEPS,
    STARTUP,
    STATUS,
    Tool,
    Workspace,
    console_script,
    write_sql_pairs,
)

API_SCRIPT = str(Path(__file__).parents[1] / "scripts" / "goofer_api.py")


class GooferCommand(Tool):
    """``goofer --database-url URL --dir migrations up | status | down --steps 10``."""

    name = "goofer"
    bookkeeping = ("migrations",)

    def prepare(self, ws: Workspace) -> None:
        write_sql_pairs(ws)

    def command(self, scenario: str, ws: Workspace) -> list[str]:
        goofer = console_script("goofer")
        if scenario == STARTUP:
            return [goofer, "--help"]
        base = [goofer, "--database-url", ws.target.url(), "--dir", "migrations"]
        return (
            base
            + {
                APPLY: ["up"],
                NOOP: ["up"],
                STATUS: ["status"],
                REVERT: ["down", "--steps", str(REVERT_STEPS)],
            }[scenario]
        )


class GooferAPI(Tool):
    """``Migrator(url, directory=...).up()`` (and status, revert) from a Python script."""

    name = "goofer-api"
    bookkeeping = ("migrations",)

    def prepare(self, ws: Workspace) -> None:
        write_sql_pairs(ws)

    def command(self, scenario: str, ws: Workspace) -> list[str]:
        if scenario == STARTUP:
            return [PYTHON, "-c", "from goofer_core import Migrator"]
        return [PYTHON, API_SCRIPT, scenario, ws.target.url(), "migrations"]

    def probe_command(self, ws: Workspace, repeats: int) -> list[str]:
        """Return the argv of the in-process boot-path probe (prints JSON)."""
        return [PYTHON, API_SCRIPT, "probe", ws.target.url(), "migrations", str(repeats)]
