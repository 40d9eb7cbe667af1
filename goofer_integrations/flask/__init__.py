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
from collections.abc import Callable

from flask import Flask, current_app, has_app_context

from goofer_core.cli.settings import Settings
from goofer_core.errors import ConfigurationError, GooferError
from goofer_core.migrations.events import Event
from goofer_core.migrations.files import MigrationFile
from goofer_core.migrations.migrator import Migrator
from goofer_core.redaction import redact

from .binds import goofer_binds
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

    def settings(self, app: Flask | None = None, bind: str | None = None) -> Settings:
        """Return the settings ``apply()`` uses: GOOFER_* environment variable > app.config.

        ``bind`` names a Flask-SQLAlchemy bind of ``GOOFER_BINDS`` (None: the default database).
        """
        return settings_for(self._app(app), hint=APPLY_HINT, bind=bind)

    def migrator(
        self,
        app: Flask | None = None,
        on_event: Callable[[Event], None] | None = None,
        bind: str | None = None,
    ) -> Migrator:
        """Return a Migrator for the app's database (or ``bind``'s) and migrations directory."""
        return self.settings(app, bind).migrator(on_event)

    def apply(self, app: Flask | None = None) -> list[MigrationFile]:
        """Apply pending migrations to the app's database, then to each bind's; return them.

        Works on ``app``, else on the app of the current application context, else on the app
        ``init_app`` was last called with. Each applied migration is logged at INFO and each
        warning at WARNING through ``app.logger``. When nothing is pending this costs one query
        per database; any number of processes may call it at once (the migration lock serialises
        them). On failure it raises ``GooferError`` and never exits, so the factory decides what
        to do. The binds are those of ``GOOFER_BINDS``, in its order.

        While a ``flask goofer`` command loads the app, this does nothing: that command is
        the one managing the migrations (``status`` and ``sql`` must see, not change, them).
        """
        target = self._app(app)
        if running_goofer_command():
            target.logger.debug("goofer: not applying on boot during a flask goofer command")
            return []
        applied: list[MigrationFile] = []
        for bind in [None, *goofer_binds(target)]:
            applied += self._apply(target, bind)
        return applied

    def _apply(self, app: Flask, bind: str | None) -> list[MigrationFile]:
        settings = self.settings(app, bind)
        prefix = "goofer: " if bind is None else f"goofer: bind {bind!r}: "
        try:
            migrator = settings.migrator(log_to(app.logger, prefix))
            applied = migrator.up()
        except GooferError as exc:
            # The CLI scrubs secrets when it prints; here the factory may log the error itself.
            clean = redact(str(exc), *settings.secrets())
            if clean != str(exc):
                exc.args = (clean,)
            raise
        if applied:
            count = len(applied)
            app.logger.info("%sapplied %d migration%s", prefix, count, "" if count == 1 else "s")
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


def log_to(logger: logging.Logger, prefix: str = "goofer: ") -> Callable[[Event], None]:
    """Return an ``on_event`` handler logging progress through the app's logger.

    Logged from here, not from goofer_core, so Flask's default format shows this module.
    """

    def log(event: Event) -> None:
        if event.kind == "warning":
            logger.warning("%s%s", prefix, event.line())
        else:
            logger.info("%s%s", prefix, event.line())

    return log
