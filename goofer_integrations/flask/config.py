"""Read Goofer's settings from a Flask app's config; a bad value is an error naming its key."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from goofer_core.cli.settings import ENV, Settings, resolve_settings
from goofer_core.cli.spelling import Spelling
from goofer_core.dialects.base import check_table_name
from goofer_core.errors import ConfigurationError
from goofer_core.url import DatabaseURL

#: Settings field -> the Flask config key that holds it.
CONFIG_KEYS = {
    "database_url": "GOOFER_DATABASE_URL",
    "directory": "GOOFER_MIGRATIONS_DIR",
    "entities": "GOOFER_ENTITIES",
    "models": "GOOFER_MODELS",
    "table": "GOOFER_TABLE",
    "lock_timeout": "GOOFER_LOCK_TIMEOUT",
    "shadow_url": "GOOFER_SHADOW_DATABASE_URL",
    "shadow_prefix": "GOOFER_SHADOW_PREFIX",
    "base_schema": "GOOFER_BASE_SCHEMA",
}
#: Read when GOOFER_DATABASE_URL is not set, so an app using Flask-SQLAlchemy needs no new key.
SQLALCHEMY_KEY = "SQLALCHEMY_DATABASE_URI"
DEFAULT_DIRECTORY = "migrations"

#: Messages name ``flask goofer`` commands; settings keep their names (flag / config key).
SPELLING = Spelling("flask goofer {command}{args}")

#: How the "no database URL" error says where to set one (``Settings.url_hint``).
CLI_HINT = (
    "GOOFER_DATABASE_URL (or SQLALCHEMY_DATABASE_URI) in the Flask config, "
    "--database-url or GOOFER_DATABASE_URL"
)
APPLY_HINT = (
    "GOOFER_DATABASE_URL (or SQLALCHEMY_DATABASE_URI) in the Flask config, "
    "or the GOOFER_DATABASE_URL environment variable"
)


def settings_for(
    app: Flask,
    options: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    hint: str = CLI_HINT,
) -> Settings:
    """Resolve settings for ``app``: flag > GOOFER_* environment variable > app.config > default.

    A config value is read and checked only when no flag or environment variable overrides it,
    so a wrong value that is not in effect (say a SQLALCHEMY_DATABASE_URI for a database Goofer
    does not support, overridden by --database-url) does not stop the command.
    """
    options = options or {}
    environ = os.environ if environ is None else environ
    fallback = {
        field: read(app)
        for field, read in _READERS.items()
        if not _given(options.get(field)) and not _given(environ.get(ENV[field]))
    }
    return resolve_settings(options, fallback, environ)._replace(url_hint=hint, spelling=SPELLING)


def _given(value: Any) -> bool:
    return value not in (None, "")


def _problem(key: str, problem: str) -> ConfigurationError:
    return ConfigurationError(f"{key} in the Flask config: {problem}")


def _database_url(app: Flask) -> str | None:
    for key in (CONFIG_KEYS["database_url"], SQLALCHEMY_KEY):
        value = app.config.get(key)
        if not _given(value):
            continue
        text = _url_text(key, value)
        try:
            url = DatabaseURL.parse(text)
        except ConfigurationError as exc:
            raise _problem(key, str(exc).removeprefix("database URL: ")) from None
        if key == SQLALCHEMY_KEY:
            return _like_flask_sqlalchemy(app, url) or text
        return text
    return None


def _url_text(key: str, value: Any) -> str:
    if isinstance(value, str):
        return value
    render = getattr(value, "render_as_string", None)  # a sqlalchemy.engine.URL
    if callable(render):
        return str(render(hide_password=False))
    raise _problem(key, f"expected a URL string, got {type(value).__name__}")


def _like_flask_sqlalchemy(app: Flask, url: DatabaseURL) -> str | None:
    """Return the URL of the file Flask-SQLAlchemy 3 opens for a relative SQLite path, if any.

    Flask-SQLAlchemy resolves ``sqlite:///app.db`` against ``app.instance_path`` and creates
    that folder (https://flask-sqlalchemy.readthedocs.io/en/stable/config/#connection-url-format);
    Goofer must migrate that same file, whatever the working directory.
    """
    name = url.database
    if url.dialect != "sqlite" or name == ":memory:" or name.startswith("file:"):
        return None
    if os.path.isabs(name):
        return None
    os.makedirs(app.instance_path, exist_ok=True)
    absolute = DatabaseURL(
        dialect="sqlite", database=os.path.join(app.instance_path, name), query=url.query
    )
    return absolute.render(show_password=True)


def _directory(app: Flask) -> str:
    key = CONFIG_KEYS["directory"]
    value: Any = app.config.get(key)
    if not _given(value):
        value = DEFAULT_DIRECTORY
    if not isinstance(value, str | os.PathLike):
        raise _problem(key, f"expected a directory path, got {type(value).__name__}")
    return str(Path(app.root_path, value))


def _base_schema(app: Flask) -> str | None:
    key = CONFIG_KEYS["base_schema"]
    value: Any = app.config.get(key)
    if not _given(value):
        return None
    if not isinstance(value, str | os.PathLike):
        raise _problem(key, f"expected the path of a SQL file, got {type(value).__name__}")
    return str(Path(app.root_path, value))


def _entities(app: Flask) -> list[str] | None:
    key = CONFIG_KEYS["entities"]
    value: Any = app.config.get(key)
    if not _given(value):
        return None
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise _problem(key, "expected module names: a list or a comma-separated string")
    return [v.strip() for v in value if v.strip()]


def _models(app: Flask) -> tuple[Any, ...] | None:
    """Return GOOFER_MODELS; unset, the metadata of Flask-SQLAlchemy's default bind, if any.

    ``GOOFER_MODELS = ""`` (or an empty list) turns the Flask-SQLAlchemy default off.
    """
    key = CONFIG_KEYS["models"]
    if key not in app.config or app.config[key] is None:
        db = app.extensions.get("sqlalchemy")
        metadata = getattr(db, "metadata", None)
        return None if metadata is None else (_FlaskSQLAlchemyModels(metadata),)
    value: Any = app.config[key]
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list | tuple):
        raise _problem(
            key,
            "expected MODULE:ATTRIBUTE specs (a list or a comma-separated "
            "string) or SQLAlchemy MetaData objects",
        )
    return tuple(value)


class _FlaskSQLAlchemyModels:
    """The metadata of Flask-SQLAlchemy's default bind, named as such in messages."""

    label = "of Flask-SQLAlchemy's db"

    def __init__(self, metadata: Any) -> None:
        self.metadata = metadata


def _table(app: Flask) -> str | None:
    key = CONFIG_KEYS["table"]
    value: Any = app.config.get(key)
    if not _given(value):
        return None
    if not isinstance(value, str):
        raise _problem(key, f"expected a table name, got {type(value).__name__}")
    try:
        return check_table_name(value)
    except ConfigurationError as exc:
        raise _problem(key, str(exc)) from None


def _lock_timeout(app: Flask) -> float | None:
    key = CONFIG_KEYS["lock_timeout"]
    value: Any = app.config.get(key)
    if not _given(value):
        return None
    try:
        if isinstance(value, bool):
            raise TypeError
        seconds = float(value)
    except (TypeError, ValueError):
        raise _problem(key, f"expected a number of seconds, got {value!r}") from None
    if not seconds >= 0:
        raise _problem(key, f"expected 0 or more seconds, got {value!r}")
    return seconds


def _text(field: str) -> Callable[[Flask], str | None]:
    """Return the reader of a plain text key (checked when used, as the command line's is)."""
    key = CONFIG_KEYS[field]

    def read(app: Flask) -> str | None:
        value: Any = app.config.get(key)
        if not _given(value):
            return None
        if not isinstance(value, str):
            raise _problem(key, f"expected a string, got {type(value).__name__}")
        return value

    return read


_READERS: dict[str, Callable[[Flask], Any]] = {
    "database_url": _database_url,
    "directory": _directory,
    "entities": _entities,
    "models": _models,
    "table": _table,
    "lock_timeout": _lock_timeout,
    "shadow_url": _text("shadow_url"),
    "shadow_prefix": _text("shadow_prefix"),
    "base_schema": _base_schema,
}
