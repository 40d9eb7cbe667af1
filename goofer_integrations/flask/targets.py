"""How one Flask run opens its Migrator: on Flask-SQLAlchemy's engine, or from a URL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask

from goofer_core.cli.settings import Settings
from goofer_core.migrations.events import Event, EventKind
from goofer_core.migrations.migrator import Migrator

from .engine import migrator_for_engine

EventHandler = Callable[[Event], None]

#: Said when Goofer itself opens an in-memory SQLite database: nobody else can ever see it.
PRIVATE_MEMORY = (
    "sqlite:///:memory: opened by Goofer is a database of its own, gone when Goofer closes it; "
    "to migrate the app's in-memory database, leave GOOFER_DATABASE_URL unset so that Goofer "
    "runs on Flask-SQLAlchemy's engine"
)


def opener(
    app: Flask, bind: str | None, *, uses_engine: bool, warning: str | None = None
) -> Callable[[Settings, EventHandler | None], Migrator]:
    """Return ``Settings.open_migrator`` for ``app``: the engine of ``bind`` or the URL.

    ``warning`` (GOOFER_DATABASE_URL is not the app's database) goes to ``on_event`` first.
    """

    def open_migrator(settings: Settings, on_event: EventHandler | None) -> Migrator:
        if warning and on_event is not None:
            on_event(Event(EventKind.WARNING, warning))
        if uses_engine:
            return migrator_for_engine(
                engine_of(app, bind),
                settings.directory,
                table=settings.table,
                lock_timeout=settings.lock_timeout,
                connect_args=connect_args_of(app, bind),
                on_event=on_event,
            )
        migrator = settings._replace(open_migrator=None).migrator(on_event)
        url = migrator.url
        memory = url is not None and url.dialect == "sqlite" and url.database == ":memory:"
        if memory and on_event is not None:
            on_event(Event(EventKind.WARNING, PRIVATE_MEMORY))
        return migrator

    return open_migrator


def engine_of(app: Flask, bind: str | None) -> Any:
    """Return Flask-SQLAlchemy's engine for ``bind`` (None: the default database)."""
    db = app.extensions["sqlalchemy"]
    with app.app_context():
        return db.engines[bind]


def connect_args_of(app: Flask, bind: str | None) -> dict[str, Any]:
    """Return the ``connect_args`` Flask-SQLAlchemy gives the engine of ``bind``."""
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if bind is not None:
        entry = (app.config.get("SQLALCHEMY_BINDS") or {}).get(bind)
        if isinstance(entry, dict):
            options.update(entry)
    connect_args = options.get("connect_args")
    return dict(connect_args) if isinstance(connect_args, dict) else {}


def connect_args_secrets(app: Flask, bind: str | None) -> tuple[str, ...]:
    """Return the secrets in the engine's ``connect_args`` (a password), never to be printed."""
    from goofer_core.redaction import is_secret_key

    return tuple(
        str(value)
        for key, value in connect_args_of(app, bind).items()
        if is_secret_key(key) and isinstance(value, str | int) and str(value)
    )
