"""The ``goofer`` click group, built from the command descriptions; ``flask goofer`` reuses it.

This is the only module that imports click. The console script sends here what its fast path
does not take: help, usage errors, shell completion.
"""

from __future__ import annotations

from typing import Any

import click

from ..errors import GooferError
from . import output
from .commands import BY_NAME, GROUP_HELP, GROUP_OPTIONS
from .settings import Settings, resolve_settings
from .spec import Command, Invocation, Kind, Option, UsageError

__all__ = ["GooferGroup", "cli", "click_command", "group_options", "main"]


def _out(text: str) -> None:
    click.echo(text)


def _err(text: str) -> None:
    click.echo(text, err=True)


def _click_option(option: Option) -> click.Option:
    """Return the click option for a described one."""
    if option.kind == Kind.FLAG:
        return click.Option([option.flag, option.name], is_flag=True, help=option.help)
    click_type: Any = None
    if option.kind == Kind.INT:
        click_type = click.IntRange(min=option.minimum) if option.minimum is not None else int
    return click.Option(
        [option.flag, option.name],
        type=click_type,
        default=option.default,
        metavar=option.metavar,
        help=option.help,
    )


def click_command(command: Command) -> click.Command:
    """Return the click command that parses ``command``'s options and runs its function."""

    def callback(**values: Any) -> None:
        ctx = click.get_current_context()
        settings = ctx.find_object(Settings)
        if settings is None:  # pragma: no cover - every goofer group stores them
            raise click.UsageError("goofer settings were not initialised", ctx)
        try:
            command.values(values)  # the checks click cannot express: "use only one of ..."
        except UsageError as exc:
            raise click.UsageError(str(exc), ctx) from None
        code = command.run(Invocation(settings, _out, _err), **values)
        if code:
            ctx.exit(code)

    params: list[click.Parameter] = [
        click.Argument([argument.name], metavar=argument.metavar) for argument in command.arguments
    ]
    params += [_click_option(option) for option in command.options]
    return click.Command(command.name, callback=callback, params=params, help=command.help)


def group_options(help_for: dict[str, str] | None = None) -> list[click.Option]:
    """Return the options every goofer group takes before the command (core and Flask).

    ``help_for`` replaces the help of some (by name), for a front-end that reads them from
    elsewhere too (the Flask config).
    """
    help_for = help_for or {}
    return [
        _click_option(option._replace(help=help_for.get(option.name, option.help)))
        for option in GROUP_OPTIONS
    ]


class GooferGroup(click.Group):
    """A group serving the described commands; a GooferError is one line on stderr and exit 1.

    Commands are built from ``commands.COMMANDS`` when asked for, so every group (this one and
    ``flask goofer``) serves every described command.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Return the names of the described commands and of any added to this group."""
        return sorted({*super().list_commands(ctx), *BY_NAME})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Return the command called ``cmd_name``: one added to the group, else a described one."""
        found = super().get_command(ctx, cmd_name)
        if found is None and cmd_name in BY_NAME:
            found = click_command(BY_NAME[cmd_name])
        return found

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; print a GooferError as ``error: ...`` (secrets masked), exit 1."""
        try:
            return super().invoke(ctx)
        except GooferError as exc:
            settings = ctx.find_object(Settings)
            secrets = settings.secrets() if settings else []
            verbose = settings is not None and settings.verbose
            spelling = settings.spelling if settings else None
            click.echo(output.error_report(exc, secrets, verbose, spelling), err=True)
            ctx.exit(1)


def _store_settings(**options: Any) -> None:
    click.get_current_context().obj = resolve_settings(options)


cli = GooferGroup("goofer", callback=_store_settings, params=group_options(), help=GROUP_HELP)


def main() -> None:
    """Run the goofer command with click."""
    cli(prog_name="goofer")
