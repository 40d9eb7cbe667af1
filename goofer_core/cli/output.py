"""What the commands print: each function returns the text, or prints through the writers given.

The commands (``cli.commands``) call these; the front-end running a command decides where
text goes.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ..migrations.events import Event
    from ..migrations.plan import MigrationStatus
    from .spelling import Spelling


def applied_summary(count: int) -> str:
    """Return the last line of ``goofer up``."""
    if not count:
        return "Nothing to apply: the database is up to date."
    return f"Applied {count} migration{'s' if count != 1 else ''}."


def reverted_summary(count: int) -> str:
    """Return the last line of ``goofer down``."""
    if not count:
        return "Nothing to revert."
    return f"Reverted {count} migration{'s' if count != 1 else ''}."


CHECK_OK = "OK: every migration is applied and unchanged."


def check_failed(count: int) -> str:
    """Return the line ``goofer check`` ends with on stderr when it fails."""
    return f"check failed: {count} problem{'s' if count != 1 else ''}"


def status_json(statuses: Sequence[MigrationStatus]) -> str:
    """Return ``goofer status --json``: a JSON array with one object per migration."""
    import json

    return json.dumps([s.as_dict() for s in statuses], indent=2)


def status_table(statuses: Sequence[MigrationStatus]) -> str:
    """Return ``goofer status``: one row per migration (and its detail), in one string.

    The caller redacts it: a stored error detail can quote the URL's password.
    """
    if not statuses:
        return "No migrations."
    width = max(len("NAME"), *(len(s.name) for s in statuses))
    lines = [f"{'ID':<14}  {'NAME':<{width}}  {'STATE':<8}  APPLIED AT (UTC)"]
    for s in statuses:
        stamp = s.applied_at.isoformat(sep=" ", timespec="seconds") if s.applied_at else "-"
        lines.append(f"{s.id:<14}  {s.name:<{width}}  {s.state:<8}  {stamp}")
        if s.detail:
            lines.append(f"{'':<14}  {s.detail}")
    return "\n".join(lines)  # one write: status of 1,000 migrations is printed at once


def is_warning(event: Event) -> bool:
    """Return whether an event is a warning (printed by every command, progress or not)."""
    return event.kind == "warning"


def print_event(event: Event, out: Callable[[str], None], err: Callable[[str], None]) -> None:
    """Print one progress line: applied/reverted with its time on ``out``, warnings on ``err``."""
    if is_warning(event):
        err(f"warning: {event.message}")
    elif event.seconds is not None or event.kind == "waiting":
        out(event.line())


def error_report(
    exc: BaseException,
    secrets: Sequence[str],
    traceback: bool,
    spelling: Spelling | None = None,
) -> str:
    """Return what a failed command prints on stderr: ``error: <message>``, secrets masked.

    With ``traceback`` (``--verbose``) the exception's traceback comes first. ``spelling`` is
    the front-end's (``cli/spelling.py``).
    """
    from ..redaction import redact

    message = str(exc) if spelling is None else spelling.respell(str(exc))
    text = f"error: {redact(message, *secrets)}"
    if traceback:
        from traceback import format_exception

        text = redact("".join(format_exception(exc)), *secrets) + text
    return text
