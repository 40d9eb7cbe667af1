"""``flask goofer``: the core goofer commands, run with the Flask app's settings."""

from __future__ import annotations

from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from goofer_core.cli.click_app import GooferGroup, connection_options
from goofer_core.cli.click_app import cli as core_cli

from .config import settings_for


class FlaskGooferGroup(AppGroup, GooferGroup):
    """A Flask command group that serves the core goofer commands and reports errors like them.

    Commands are looked up in the core ``goofer`` group on every call rather than copied, so a
    command added there (``generate``, or a later one) is a ``flask goofer`` command too.
    ``GooferGroup`` turns a ``GooferError`` into one ``error:`` line on stderr and exit code 1.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Return the names of the core commands and of any added to this group."""
        return sorted({*super().list_commands(ctx), *core_cli.list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Return the command called ``cmd_name``: one added here, else the core's."""
        return super().get_command(ctx, cmd_name) or core_cli.get_command(ctx, cmd_name)


@click.group("goofer", cls=FlaskGooferGroup)
@connection_options
@with_appcontext
@click.pass_context
def goofer_cli(ctx: click.Context, /, **options: Any) -> None:
    """Goofer migrations for this app's database (the goofer commands, with its config)."""
    ctx.obj = settings_for(current_app, options)


def running_goofer_command() -> bool:
    """Return whether a ``flask goofer`` command is running, for instance loading the app.

    Installed, ``goofer`` is a ``flask.commands`` plugin (an entry point in pyproject.toml), so
    Flask finds it without loading the app, and the app factory then runs inside this group's
    click context. Registered only through ``init_app``, the app loads before the group runs.
    """
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if isinstance(ctx.command, FlaskGooferGroup):
            return True
        ctx = ctx.parent
    return False
