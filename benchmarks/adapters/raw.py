"""The raw floor: ``scripts/raw_floor.py``, a tight loop over the DB-API driver."""

from __future__ import annotations

from pathlib import Path

from .base import APPLY, NOOP, PYTHON, REVERT, STARTUP, STATUS, Tool, Workspace, write_sql_pairs

SCRIPT = str(Path(__file__).parents[1] / "scripts" / "raw_floor.py")


class RawFloor(Tool):
    """Begin, execute, insert the tracking row with its MD5, commit; for (E), ``python -c pass``."""

    name = "raw"
    bookkeeping = ("raw_migrations",)

    def prepare(self, ws: Workspace) -> None:
        write_sql_pairs(ws)

    def command(self, scenario: str, ws: Workspace) -> list[str]:
        if scenario == STARTUP:
            return [PYTHON, "-c", "pass"]
        assert scenario in (APPLY, NOOP, STATUS, REVERT)
        return [PYTHON, SCRIPT, scenario, ws.dialect, ws.target.name, "migrations"]
