"""``flask goofer``: the goofer commands, run with the Flask app's settings."""

from __future__ import annotations

from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from goofer_core.cli.click_app import GooferGroup, group_options
from goofer_core.cli.commands import BY_NAME
from goofer_core.errors import GooferError
from goofer_core.redaction import redact

from .binds import goofer_binds
from .config import settings_for

#: Commands that, without --bind, run on the default database and then on every bind. Not
#: ``status --json`` (one JSON document is one database's) nor ``sql`` (a file for one database).
ALL_BINDS = ("up", "check", "status")
_APP, _OPTIONS = "goofer.flask.app", "goofer.flask.options"

BIND_OPTION = click.Option(
    ["--bind", "bind"],
    metavar="NAME",
    help="Work on this Flask-SQLAlchemy bind of GOOFER_BINDS [default: the default database; "
    "up, check and status: the default database, then every bind].",
)


class FlaskGooferGroup(AppGroup, GooferGroup):
    """A Flask command group serving the goofer commands, reporting errors as ``goofer`` does.

    ``GooferGroup`` builds each command from its description in ``goofer_core.cli.commands``,
    so every goofer command (and option) is a ``flask goofer`` one too, and turns a
    ``GooferError`` into one ``error:`` line on stderr and exit code 1. Each described command
    also takes ``--bind NAME`` here.
    """

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Return the command called ``cmd_name``, with ``--bind`` if it is a goofer command."""
        command = super().get_command(ctx, cmd_name)
        if command is None or cmd_name not in BY_NAME or command.callback is None:
            return command
        return click.Command(
            command.name,
            callback=_per_bind(command.callback, everywhere=cmd_name in ALL_BINDS),
            params=[*command.params, BIND_OPTION],
            help=command.help,
        )


def _per_bind(run: Any, everywhere: bool) -> Any:
    """Return a command callback running ``run`` on ``--bind``, or on every database."""

    def callback(bind: str | None, **values: Any) -> None:
        ctx = click.get_current_context()
        app: Flask = ctx.meta[_APP]
        options: dict[str, Any] = ctx.meta[_OPTIONS]
        if bind is not None:
            targets: list[str | None] = [bind]
        elif everywhere and not options.get("database_url") and not values.get("as_json"):
            targets = [None, *goofer_binds(app)]
        else:
            return run(**values)  # type: ignore[no-any-return]
        code = 0
        for target in targets:
            given = options
            if target is not None and bind is None:  # --dir names the default's directory
                given = {**options, "directory": None}
            ctx.obj = settings = settings_for(app, given, bind=target)
            if len(targets) > 1:
                click.echo("default database:" if target is None else f"bind {target!r}:")
            try:
                run(**values)
            except click.exceptions.Exit as exc:
                code = code or exc.exit_code
            except GooferError as exc:  # the group prints it with the default's secrets only
                clean = redact(str(exc), *settings.secrets())
                if clean != str(exc):
                    exc.args = (clean,)
                raise
        if code:
            ctx.exit(code)

    return callback


@with_appcontext
def _store_settings(**options: Any) -> None:
    ctx = click.get_current_context()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    ctx.meta[_APP], ctx.meta[_OPTIONS] = app, options
    ctx.obj = settings_for(app, options)


#: Where the Flask group's options come from besides the flag: the environment, then app.config.
FLASK_HELP = {
    "database_url": "Database URL [env GOOFER_DATABASE_URL; config GOOFER_DATABASE_URL; "
    "else Flask-SQLAlchemy's engine, or SQLALCHEMY_DATABASE_URI].",
    "directory": "Migrations directory [env GOOFER_MIGRATIONS_DIR, relative to the working "
    "directory; config GOOFER_MIGRATIONS_DIR, relative to the app's root_path; default: "
    "migrations/ in the app's root_path].",
    "entities": "Comma-separated modules that register entities [env or config GOOFER_ENTITIES].",
    "table": "Tracking table, NAME or SCHEMA.NAME [env or config GOOFER_TABLE; "
    "default migrations].",
    "lock_timeout": "Longest wait for the migration lock [env or config GOOFER_LOCK_TIMEOUT; "
    "default 60].",
    "dialects": "Comma-separated dialects that generate writes one history for, each in its "
    "folder of the migrations directory [env or config GOOFER_DIALECTS].",
}

goofer_cli = FlaskGooferGroup(
    "goofer",
    callback=_store_settings,
    params=group_options(FLASK_HELP),
    help="Goofer migrations for this app's database (the goofer commands, with its config).",
)


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
