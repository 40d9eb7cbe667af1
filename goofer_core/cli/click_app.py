"""The ``goofer`` command: click commands written once, reused by the Flask adapter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import ConfigurationError, GooferError
from ..redaction import redact
from . import output

# The settings live in a click-free module; they can still be imported from here.
from .settings import DEFAULTS as DEFAULTS
from .settings import ENV as ENV
from .settings import Settings as Settings
from .settings import resolve_settings as resolve_settings
from .verify_command import verify_command

F = TypeVar("F", bound=Callable[..., Any])


def connection_options(func: F) -> F:
    """Add the options every goofer group takes (the core one and the Flask one)."""
    decorators = [
        click.option("--database-url", metavar="URL",
                     help="Database URL [env GOOFER_DATABASE_URL]."),
        click.option("--dir", "directory", metavar="DIR",
                     help="Migrations directory "
                     "[env GOOFER_MIGRATIONS_DIR; default ./migrations]."),
        click.option("--entities", metavar="MODS",
                     help="Comma-separated modules that register entities [env GOOFER_ENTITIES]."),
        click.option("--table", metavar="NAME",
                     help="Tracking table [env GOOFER_TABLE; default migrations]."),
        click.option("--lock-timeout", metavar="SECONDS",
                     help="Longest wait for the migration lock "
                     "[env GOOFER_LOCK_TIMEOUT; default 60]."),
        click.option("--verbose", is_flag=True, help="Show tracebacks on errors."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


class GooferGroup(click.Group):
    """A click group that turns GooferError into one line on stderr and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GooferError as exc:
            settings = ctx.find_object(Settings)
            secrets = settings.secrets() if settings else []
            verbose = settings is not None and settings.verbose
            click.echo(output.error_report(exc, secrets, traceback=verbose), err=True)
            ctx.exit(1)


def settings_of(ctx: click.Context) -> Settings:
    """Return the Settings the group callback stored on the context."""
    settings = ctx.find_object(Settings)
    if settings is None:  # pragma: no cover - every group sets it
        raise ConfigurationError("goofer settings were not initialised")
    return settings


def echo_safe(ctx: click.Context, text: str, err: bool = False) -> None:
    """Print ``text`` with the settings' secrets scrubbed (stored errors can quote them)."""
    settings = ctx.find_object(Settings)
    click.echo(redact(text, *settings.secrets()) if settings else text, err=err)


def print_event(event: Any) -> None:
    """Print one progress line with ``click.echo`` (see ``goofer_core.output.print_event``)."""
    output.print_event(event, click.echo)


@click.command("up")
@click.option("--to", metavar="ID", help="Stop after this migration.")
@click.pass_context
def up_command(ctx: click.Context, to: str | None) -> None:
    """Apply pending migrations."""
    applied = settings_of(ctx).migrator(print_event).up(to=to)
    click.echo(output.applied_summary(len(applied)))


@click.command("down")
@click.option("--steps", type=click.IntRange(min=1), default=None, help="Revert N migrations.")
@click.option("--to", metavar="ID", help="Revert everything applied after ID.")
@click.option("--all", "everything", is_flag=True, help="Revert every applied migration.")
@click.pass_context
def down_command(ctx: click.Context, steps: int | None, to: str | None, everything: bool) -> None:
    """Revert the most recently applied migration (or --steps N, --to ID, --all)."""
    if sum(x is not None and x is not False for x in (steps, to, everything)) > 1:
        raise click.UsageError("use only one of --steps, --to and --all")
    reverted = settings_of(ctx).migrator(print_event).revert(steps or 1, to, everything)
    click.echo(output.reverted_summary(len(reverted)))


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_context
def status_command(ctx: click.Context, as_json: bool) -> None:
    """List every migration with its state."""
    statuses = settings_of(ctx).migrator().status()
    if as_json:
        click.echo(output.status_json(statuses))
    else:
        echo_safe(ctx, output.status_table(statuses))


def shadow_option(func: F) -> F:
    """Add ``--shadow-url``, the server for the scratch database that generate and check use."""
    option = click.option(
        "--shadow-url", metavar="URL",
        help="Server for the scratch database (PostgreSQL/MySQL) "
        "[env GOOFER_SHADOW_DATABASE_URL; default: the --database-url server].",
    )
    return option(func)


def use_shadow_url(ctx: click.Context, shadow_url: str | None) -> Settings:
    """Return the settings with a command-line ``--shadow-url`` taking precedence."""
    settings = settings_of(ctx)
    if shadow_url:
        settings.shadow_url = shadow_url
    return settings


@click.command("check")
@shadow_option
@click.option("--verify", is_flag=True,
              help="Also check on a scratch database that each down reverts its up (verify).")
@click.pass_context
def check_command(ctx: click.Context, shadow_url: str | None, verify: bool) -> None:
    """Exit 1 unless nothing is pending, modified, missing or failed, and entities match."""
    reasons = use_shadow_url(ctx, shadow_url).check_reasons(verify)
    if reasons:
        for reason in reasons:
            echo_safe(ctx, reason)
        click.echo(output.check_failed(len(reasons)), err=True)
        ctx.exit(1)
    click.echo(output.CHECK_OK)


@click.command("generate")
@click.argument("name")
@click.option("--empty", is_flag=True, help="Write an empty pair to fill by hand.")
@shadow_option
@click.pass_context
def generate_command(ctx: click.Context, name: str, empty: bool, shadow_url: str | None) -> None:
    """Write a migration pair with the difference between the entities and the migrations."""
    from ..generate.commands import generate_migration

    settings = use_shadow_url(ctx, shadow_url)
    paths = generate_migration(
        name, directory=settings.directory, entities=settings.entities,
        database_url=settings.database_url, shadow_url=settings.shadow_url, empty=empty,
        on_warning=lambda message: click.echo(f"warning: {message}", err=True),
    )
    if paths is None:
        click.echo("No changes detected")
        return
    for path in paths:
        click.echo(f"Created {path}")


@click.command("sql")
@click.option("--down", is_flag=True, help="Show what down would run instead of up.")
@click.option("--to", metavar="ID", help="As up --to / down --to.")
@click.option("--steps", type=click.IntRange(min=1), default=1, help="As down --steps.")
@click.option("--all", "everything", is_flag=True, help="As down --all.")
@click.pass_context
def sql_command(
    ctx: click.Context, down: bool, to: str | None, steps: int, everything: bool
) -> None:
    """Print the SQL that up (or down) would run, touching nothing."""
    scripts = settings_of(ctx).migrator().plan_sql(down, to, steps, everything)
    if not scripts:
        click.echo("-- nothing to run")
    for path, text in scripts:
        click.echo(f"-- {path.name}")
        click.echo(text.rstrip("\n") + "\n")


@click.command("resolve")
@click.argument("migration_id", metavar="ID")
@click.option("--applied", "outcome", flag_value="applied",
              help="The migration's changes are fully in place (finished by hand).")
@click.option("--rolled-back", "outcome", flag_value="rolled-back",
              help="The migration's changes are fully undone (by hand).")
@click.pass_context
def resolve_command(ctx: click.Context, migration_id: str, outcome: str | None) -> None:
    """Settle a migration that failed part-way (MySQL DDL, no-transaction migrations)."""
    if outcome is None:
        raise click.UsageError("say how it ended: --applied or --rolled-back")
    settings_of(ctx).migrator().resolve(migration_id, applied=outcome == "applied")
    click.echo(f"{migration_id}: marked {outcome}.")


COMMANDS = [
    up_command, down_command, status_command, check_command, sql_command, resolve_command,
    generate_command, verify_command,
]


@click.group("goofer", cls=GooferGroup)
@connection_options
@click.pass_context
def cli(ctx: click.Context, /, **options: Any) -> None:
    """Goofer: SQL migrations for SQLite, PostgreSQL and MySQL/MariaDB."""
    ctx.obj = resolve_settings(options)


for _command in COMMANDS:
    cli.add_command(_command)


def main() -> None:
    """Run the goofer command."""
    cli(prog_name="goofer")


if __name__ == "__main__":  # pragma: no cover
    main()
