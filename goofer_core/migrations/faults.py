"""Test-only fault injection, for the crash tests; inert unless GOOFER_TEST_FAULT is set.

``GOOFER_TEST_FAULT=<point>`` makes the process kill itself with SIGKILL (or, with
``GOOFER_TEST_FAULT_ACTION=hang``, sleep until killed) when it reaches ``point``:

- ``after-lock``: the run lock was just taken;
- ``before-statement``: a statement is about to be sent (``GOOFER_TEST_FAULT_STATEMENT=N``
  picks the Nth of the migration, default 1);
- ``before-commit``: every statement ran and the tracking row is written, not yet committed;
- ``after-commit``: the migration is committed.

``GOOFER_TEST_FAULT_MIGRATION=<id>`` limits the fault to one migration. With ``hang``,
``GOOFER_TEST_FAULT_READY=<path>`` names a file created when the hang begins, so a test knows
the process has reached the point. Never set these in production: they exist so the test suite
can prove what survives a crash.
"""

from __future__ import annotations

import os
import signal
import time

from ..values import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

POINTS = ("after-lock", "before-statement", "before-commit", "after-commit")


class Fault(Record):
    """Where to crash, read once from the environment."""

    point: str
    migration_id: str | None
    statement: int
    hang: bool
    ready_file: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Fault | None:
        """Return the configured fault, or None (the normal case)."""
        environ = os.environ if environ is None else environ
        point = environ.get("GOOFER_TEST_FAULT")
        if not point:
            return None
        if point not in POINTS:
            raise ValueError(f"GOOFER_TEST_FAULT={point!r}: expected one of {', '.join(POINTS)}")
        return cls(
            point,
            environ.get("GOOFER_TEST_FAULT_MIGRATION") or None,
            int(environ.get("GOOFER_TEST_FAULT_STATEMENT", "1")),
            environ.get("GOOFER_TEST_FAULT_ACTION") == "hang",
            environ.get("GOOFER_TEST_FAULT_READY") or None,
        )

    def reach(self, point: str, migration_id: str | None = None, statement: int = 1) -> None:
        """Crash here if this is the configured point."""
        if point != self.point or statement != self.statement:
            return
        if self.migration_id is not None and migration_id not in (None, self.migration_id):
            return
        if self.hang:
            if self.ready_file:
                with open(self.ready_file, "w"):
                    pass
            while True:
                time.sleep(3600)
        os.kill(os.getpid(), signal.SIGKILL)
