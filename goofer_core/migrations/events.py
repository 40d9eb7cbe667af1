"""What the engine reports while it works: progress and warnings, as ``Event`` values.

The engine never prints: a front-end passes ``on_event`` and decides what to show.
"""

from __future__ import annotations

from ..values import Choice, Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    import logging
    from collections.abc import Callable

    from .files import MigrationFile


class EventKind(Choice):
    """What an Event reports."""

    APPLIED = "applied"
    REVERTED = "reverted"
    WARNING = "warning"
    #: Another process holds the run lock: this one starts waiting (``lock_timeout`` at most).
    WAITING = "waiting"
    #: The wait is over: the lock is this process's (``seconds``: how long it waited).
    LOCKED = "locked"


class Event(Record):
    """Progress reported to ``on_event``: a migration applied or reverted, a wait, a warning."""

    kind: EventKind
    message: str
    migration: MigrationFile | None = None
    seconds: float | None = None

    def line(self) -> str:
        """Return the event as ``goofer up`` prints it: the message, with its time if it has one."""
        if self.seconds is None:
            return self.message
        return f"{self.message} ({self.seconds * 1000:.1f} ms)"


if TYPE_CHECKING:
    EventHandler = Callable[[Event], None]


def log_events(logger: logging.Logger, prefix: str = "") -> EventHandler:
    """Return an ``on_event`` handler that logs warnings at WARNING and progress at INFO.

    Each line starts with ``prefix``; see ``process_prefix`` for the usual one.
    """

    def log(event: Event) -> None:
        if event.kind == EventKind.WARNING:
            logger.warning("%s%s", prefix, event.line())
        else:
            logger.info("%s%s", prefix, event.line())

    return log


def process_prefix() -> str:
    """Return ``goofer[PID]: ``: which of many booting workers a log line comes from."""
    import os

    return f"goofer[{os.getpid()}]: "
