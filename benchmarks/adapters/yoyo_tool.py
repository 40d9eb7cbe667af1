"""yoyo-migrations: ``<id>_<name>.sql`` and ``.rollback.sql``, chained with ``-- depends:``.

The chain is what ``yoyo new`` writes, and it lets ``rollback -r <id>`` revert that migration
and everything after it: the last ten.
"""

from __future__ import annotations

from .base import (
    APPLY,
    NOOP,
    REVERT,
    REVERT_STEPS,
    STARTUP,
    STATUS,
    Tool,
    Workspace,
    console_script,
)


class Yoyo(Tool):
    """``yoyo apply`` / ``yoyo list`` / ``yoyo rollback -r <N-9>``, in batch mode."""

    name = "yoyo"
    bookkeeping = ("_yoyo_log", "_yoyo_migration", "_yoyo_version", "yoyo_lock")
    requires = ("yoyo",)

    def prepare(self, ws: Workspace) -> None:
        previous = None
        for m in ws.migrations:
            header = f"-- depends: {previous}\n" if previous else ""
            ws.write(f"migrations/{m.label}.sql", header + m.up[ws.dialect])
            ws.write(f"migrations/{m.label}.rollback.sql", header + m.down[ws.dialect])
            previous = m.label

    def command(self, scenario: str, ws: Workspace) -> list[str]:
        yoyo = console_script("yoyo")
        if scenario == STARTUP:
            return [yoyo, "--help"]
        options = ["--no-config-file", "--database", ws.target.url("yoyo"), "migrations"]
        first_reverted = ws.migrations[-REVERT_STEPS].label
        return {
            APPLY: [yoyo, "apply", "--batch", *options],
            NOOP: [yoyo, "apply", "--batch", *options],
            STATUS: [yoyo, "list", *options],
            REVERT: [yoyo, "rollback", "--batch", "-r", first_reverted, *options],
        }[scenario]
