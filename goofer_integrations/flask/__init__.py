"""Goofer for Flask: ``flask goofer`` commands and ``goofer.apply()`` when the app boots.

::

    goofer = Goofer()

    def create_app():
        app = Flask(__name__)
        app.config["GOOFER_DATABASE_URL"] = "sqlite:///app.db"
        goofer.init_app(app)
        goofer.apply()
        return app
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from flask import Flask, current_app, has_app_context

from goofer_core.cli.settings import BOOT_LOCK_TIMEOUT, Settings
from goofer_core.errors import ConfigurationError, GooferError
from goofer_core.migrations.events import Event, log_events, process_prefix
from goofer_core.migrations.files import MigrationFile
from goofer_core.migrations.migrator import Migrator

from .cli import FlaskGooferGroup, goofer_cli, running_goofer_command
from .config import APPLY_HINT, CONFIG_KEYS, settings_for

__all__ = ["CONFIG_KEYS", "FlaskGooferGroup", "Goofer", "goofer_cli", "settings_for"]


class Goofer:
    """The Flask extension: registers ``flask goofer`` and applies migrations on boot."""

    def __init__(self, app: Flask | None = None) -> None:
        #: The app ``init_app`` was last called with; ``apply()`` falls back to it.
        self.app: Flask | None = None
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        """Register the extension on ``app`` and add the ``flask goofer`` commands."""
        app.extensions["goofer"] = self
        app.cli.add_command(goofer_cli)
        self.app = app

    def settings(self, app: Flask | None = None) -> Settings:
        """Return the settings ``apply()`` uses: GOOFER_* environment variable > app.config.

        Without a lock timeout set, ``apply()`` waits for another worker's migrations up to
        ``BOOT_LOCK_TIMEOUT`` (an hour), not the command line's 60 s: see its comment.
        """
        target = self._app(app)
        settings = settings_for(target, hint=APPLY_HINT)
        key = CONFIG_KEYS["lock_timeout"]
        if not os.environ.get(key) and target.config.get(key) in (None, ""):
            settings = settings._replace(lock_timeout=BOOT_LOCK_TIMEOUT)
        return settings

    def migrator(
        self, app: Flask | None = None, on_event: Callable[[Event], None] | None = None
    ) -> Migrator:
        """Return a Migrator for the app's database and migrations directory."""
        return self.settings(app).migrator(on_event)

    def apply(self, app: Flask | None = None) -> list[MigrationFile]:
        """Apply pending migrations to the app's database and return them.

        Works on ``app``, else on the app of the current application context, else on the app
        ``init_app`` was last called with. Each applied migration is logged at INFO and each
        warning at WARNING through ``app.logger``. When nothing is pending this costs one query;
        any number of processes may call it at once (the migration lock serialises them). On
        failure it raises ``GooferError`` and never exits, so the factory decides what to do.

        While a ``flask goofer`` command loads the app, this does nothing: that command is
        the one managing the migrations (``status`` and ``sql`` must see, not change, them).
        """
        target = self._app(app)
        log = logger_of(target)
        if running_goofer_command():
            log.debug("goofer: not applying on boot during a flask goofer command")
            return []
        settings = self.settings(target)
        try:
            migrator = settings.migrator(log_events(log, process_prefix()))
            applied = migrator.up()
        except GooferError as exc:
            # The CLI scrubs secrets when it prints; here the factory may log the error itself.
            clean = settings.message(exc)
            if clean != str(exc):
                exc.args = (clean,)
            raise
        if applied:
            count = len(applied)
            s = "" if count == 1 else "s"
            log.info("%sapplied %d migration%s", process_prefix(), count, s)
        return applied

    def _app(self, app: Flask | None) -> Flask:
        if app is not None:
            return app
        if has_app_context():
            found: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
            return found
        if self.app is not None:
            return self.app
        raise ConfigurationError(
            "no Flask app: pass one to apply(app), call it inside an app context, "
            "or call init_app(app) first"
        )


def logger_of(app: Flask) -> logging.Logger:
    """Return the ``goofer`` logger of ``app``: a child of ``app.logger``, so its handlers apply.

    Tune it on its own with ``logging.getLogger(f"{app.logger.name}.goofer")``.
    """
    return app.logger.getChild("goofer")
