"""``flask goofer``: the goofer commands, run with the Flask app's settings."""

from __future__ import annotations

from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from goofer_core.cli.click_app import GooferGroup, group_options

from .config import settings_for


class FlaskGooferGroup(AppGroup, GooferGroup):
    """A Flask command group serving the goofer commands, reporting errors as ``goofer`` does.

    ``GooferGroup`` builds each command from its description in ``goofer_core.cli.commands``,
    so every goofer command (and option) is a ``flask goofer`` one too, and turns a
    ``GooferError`` into one ``error:`` line on stderr and exit code 1.
    """


@with_appcontext
def _store_settings(**options: Any) -> None:
    click.get_current_context().obj = settings_for(current_app, options)


#: Where the Flask group's options come from besides the flag: the environment, then app.config.
FLASK_HELP = {
    "database_url": "Database URL [env GOOFER_DATABASE_URL; config GOOFER_DATABASE_URL, "
    "else SQLALCHEMY_DATABASE_URI].",
    "directory": "Migrations directory [env GOOFER_MIGRATIONS_DIR, relative to the working "
    "directory; config GOOFER_MIGRATIONS_DIR, relative to the app's root_path; default: "
    "migrations/ in the app's root_path].",
    "entities": "Comma-separated modules that register entities [env or config GOOFER_ENTITIES].",
    "table": "Tracking table [env or config GOOFER_TABLE; default migrations].",
    "lock_timeout": "Longest wait for the migration lock [env or config GOOFER_LOCK_TIMEOUT; "
    "default 60].",
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
