"""How ``verify`` words its result: a line per migration, then the failure or the total."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .runner import MigrationCheck, VerifyResult

_VERBS = {"passed": "verified", "replayed": "replayed", "failed": "failed"}


def progress_line(check: MigrationCheck) -> str:
    """Return the line printed when a migration is done: ``verified <id>_<name> (2.1 ms)``."""
    seconds = f" ({check.seconds * 1000:.1f} ms)" if check.seconds is not None else ""
    return f"{_VERBS.get(check.result, check.result)} {check.migration.label}{seconds}"


def report_lines(result: VerifyResult) -> list[str]:
    """Return the lines printed after the progress: the failure and its differences, or a total."""
    failure = result.failure
    if failure is None:
        count = len(result.verified)
        if count == 0:
            return [
                "Nothing to verify: no migration is pending."
                if result.pending_only
                else "Nothing to verify: no migrations."
            ]
        plural = "s" if count != 1 else ""
        return [
            f"Verified {count} migration{plural}: each down reverts its up, "
            "and the up applies again."
        ]
    lines = [f"  {failure.message}{':' if failure.differences else ''}"]
    lines += [f"    {d.describe(*failure.labels)}" for d in failure.differences]
    skipped = sum(c.result == "skipped" for c in result.checks)
    if skipped:
        lines.append(f"{skipped} later migration{'s' if skipped != 1 else ''} not checked.")
    return lines


def failure_reason(check: MigrationCheck) -> str:
    """Return a failed migration as one line, as ``check --verify`` lists it."""
    if check.differences:
        details = "; ".join(d.describe(*check.labels) for d in check.differences)
        return f"{check.migration.label}: {check.summary}: {details}"
    return f"{check.migration.label}: {check.message}"


def failure_summary(check: MigrationCheck) -> str:
    """Return the last line ``verify`` prints on stderr when a migration fails."""
    return f"verify failed: {check.migration.label}: {check.summary}"
