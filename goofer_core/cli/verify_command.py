"""``goofer verify``: the click command, its report, and what ``check --verify`` adds.

``goofer_core.cli`` imports this module to list the command, so it imports the cli module (and
the engine, which ``goofer --help`` does not need) only when the command runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..verify.runner import MigrationCheck, ProgressHandler, VerifyResult
    from .settings import Settings

_VERBS = {"passed": "verified", "replayed": "replayed", "failed": "failed"}


def run_verify(
    settings: Settings, pending_only: bool = False, on_progress: ProgressHandler | None = None
) -> VerifyResult:
    """Run verify with the command's settings (reading the database only for ``pending_only``)."""
    from ..errors import ConfigurationError
    from ..verify.runner import pending_ids, verify_migrations

    if not settings.database_url and not settings.shadow_url:
        raise ConfigurationError(f"no database URL: set {settings.framework}")
    only = pending_ids(settings.migrator()) if pending_only else None
    return verify_migrations(
        settings.directory, database_url=settings.database_url, shadow_url=settings.shadow_url,
        table=settings.table, only=only, on_progress=on_progress,
    )


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
            return ["Nothing to verify: no migration is pending." if result.pending_only
                    else "Nothing to verify: no migrations."]
        plural = "s" if count != 1 else ""
        return [f"Verified {count} migration{plural}: each down reverts its up, "
                "and the up applies again."]
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


def verify_reasons(settings: Settings) -> list[str]:
    """Return why verify fails for ``check --verify`` (empty when every down reverts its up)."""
    failure = run_verify(settings).failure
    return [] if failure is None else [failure_reason(failure)]


@click.command("verify")
@click.option("--pending", "pending_only", is_flag=True,
              help="Check only the migrations pending on the database (the applied ones are "
              "replayed first).")
@click.option("--json", "as_json", is_flag=True,
              help="Print the result as JSON (progress goes to stderr).")
# The same option as goofer_core.cli.shadow_option, declared here so that this module does
# not import the cli module at import time (the cli module imports this one).
@click.option("--shadow-url", metavar="URL",
              help="Server for the scratch database (PostgreSQL/MySQL) "
              "[env GOOFER_SHADOW_DATABASE_URL; default: the --database-url server].")
@click.pass_context
def verify_command(
    ctx: click.Context, pending_only: bool, as_json: bool, shadow_url: str | None
) -> None:
    """Check on a scratch database that each down reverts its up; the database is not changed."""
    from .click_app import use_shadow_url

    settings = use_shadow_url(ctx, shadow_url)
    result = run_verify(settings, pending_only,
                        on_progress=lambda check: click.echo(progress_line(check), err=as_json))
    if as_json:
        import json

        click.echo(json.dumps(result.as_dict(), indent=2))
    else:
        for line in report_lines(result):
            click.echo(line)
    failure = result.failure
    if failure is not None:
        click.echo(f"verify failed: {failure.migration.label}: {failure.summary}", err=True)
        ctx.exit(1)
