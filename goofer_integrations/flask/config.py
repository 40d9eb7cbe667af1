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
from goofer_core.migrations.session import lock_timeout_problem
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
    "dialects": "GOOFER_DIALECTS",
}
#: Read when GOOFER_DATABASE_URL is not set, so an app using Flask-SQLAlchemy needs no new key.
SQLALCHEMY_KEY = "SQLALCHEMY_DATABASE_URI"
DEFAULT_DIRECTORY = "migrations"


def spelling(bind: str | None) -> Spelling:
    """Return how messages name commands: ``flask goofer ...`` (``--bind NAME`` for a bind).

    Settings keep their names: the flags are the same, and the config keys are the variables'.
    """
    return Spelling("flask goofer {command}{args}" + (f" --bind {bind}" if bind else ""))


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
    bind: str | None = None,
) -> Settings:
    """Resolve settings for ``app``: flag > GOOFER_* environment variable > app.config > default.

    A config value is read and checked only when no flag or environment variable overrides it,
    so a wrong value that is not in effect (say a SQLALCHEMY_DATABASE_URI for a database Goofer
    does not support, overridden by --database-url) does not stop the command. ``bind`` names a
    Flask-SQLAlchemy bind of ``GOOFER_BINDS`` instead of the default database.
    """
    options = options or {}
    environ = os.environ if environ is None else environ
    if bind is not None:
        from .binds import bind_settings

        return bind_settings(app, bind, options, environ, hint)
    fallback = {
        field: read(app)
        for field, read in _READERS.items()
        if not _given(options.get(field)) and not _given(environ.get(ENV[field]))
    }
    settings = resolve_settings(options, fallback, environ)._replace(
        url_hint=hint, spelling=spelling(bind)
    )
    from .targets import connect_args_secrets, opener

    uses_engine = _uses_engine(app, options, environ)
    warning = None
    if not _given(options.get("database_url")) and _given(environ.get(ENV["database_url"])):
        warning = elsewhere_warning(app, environ[ENV["database_url"]])
    return settings._replace(
        open_migrator=opener(app, None, uses_engine=uses_engine, warning=warning),
        extra_secrets=connect_args_secrets(app, None) if uses_engine else (),
    )


def _uses_engine(app: Flask, options: Mapping[str, Any], environ: Mapping[str, str]) -> bool:
    """Return whether Goofer's database is Flask-SQLAlchemy's (no GOOFER_DATABASE_URL at all)."""
    key = CONFIG_KEYS["database_url"]
    return (
        "sqlalchemy" in app.extensions
        and not _given(options.get("database_url"))
        and not _given(environ.get(ENV["database_url"]))
        and not _given(app.config.get(key))
        and _given(app.config.get(SQLALCHEMY_KEY))
    )


def elsewhere_warning(app: Flask, env_url: str) -> str | None:
    """Return a one-line warning when GOOFER_DATABASE_URL is not the app's own database.

    Both URLs are shown with the password masked; nothing is said when they cannot be compared
    (a malformed URL is reported when it is used).
    """
    try:
        found = app_database(app)
        if found is None:
            return None
        key, text = found
        ours, theirs = DatabaseURL.parse(env_url), DatabaseURL.parse(text)
    except ConfigurationError:
        return None
    if _where(ours) == _where(theirs):
        return None
    return (
        f"GOOFER_DATABASE_URL from the environment ({ours}) is not the app's database "
        f"({key}: {theirs}); Goofer migrates {ours}"
    )


def _where(url: DatabaseURL) -> tuple[Any, ...]:
    if url.dialect == "sqlite":
        memory = url.database == ":memory:"
        return ("sqlite", url.database if memory else os.path.abspath(url.database))
    default_port = {"postgresql": 5432, "mysql": 3306}.get(url.dialect)
    host = url.host or "localhost"
    host = "localhost" if host == "127.0.0.1" else host
    return (url.dialect, host, url.port or default_port, url.database)


def _given(value: Any) -> bool:
    return value not in (None, "")


def _problem(key: str, problem: str) -> ConfigurationError:
    return ConfigurationError(f"{key} in the Flask config: {problem}")


def _database_url(app: Flask) -> str | None:
    found = app_database(app)
    return None if found is None else found[1]


def app_database(app: Flask) -> tuple[str, str] | None:
    """Return (config key, URL) of the app's database: GOOFER_DATABASE_URL, else SQLAlchemy's."""
    for key in (CONFIG_KEYS["database_url"], SQLALCHEMY_KEY):
        value = app.config.get(key)
        if _given(value):
            return key, sqlalchemy_url(app, key, value)
    return None


def sqlalchemy_url(app: Flask, key: str, value: Any) -> str:
    """Return the URL Goofer uses for a URL setting, read as Flask-SQLAlchemy reads it.

    ``sqlite://`` (Flask-SQLAlchemy's in-memory database) becomes ``sqlite:///:memory:`` and a
    relative SQLite path is resolved against the instance folder; ``key`` names the setting in
    errors.
    """
    text = _url_text(key, value)
    scheme, _, rest = text.partition("://")
    if scheme.split("+")[0].lower() == "sqlite" and not rest.split("?")[0]:
        text = "sqlite:///:memory:" + (f"?{rest.split('?', 1)[1]}" if "?" in rest else "")
    try:
        url = DatabaseURL.parse(text)
    except ConfigurationError as exc:
        raise _problem(key, str(exc).removeprefix("database URL: ")) from None
    if key != CONFIG_KEYS["database_url"]:
        return _like_flask_sqlalchemy(app, url) or text
    return text


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
    return _names(app, "entities", "module names")


def _dialects(app: Flask) -> list[str] | None:
    """Return GOOFER_DIALECTS: the dialects of one history (names checked when used)."""
    return _names(app, "dialects", "dialect names")


def _names(app: Flask, setting: str, what: str) -> list[str] | None:
    """Return a config key holding a list of names or a comma-separated string (None: unset)."""
    key = CONFIG_KEYS[setting]
    value: Any = app.config.get(key)
    if not _given(value):
        return None
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise _problem(key, f"expected {what}: a list or a comma-separated string")
    return [v.strip() for v in value if v.strip()]


def _models(app: Flask) -> tuple[Any, ...] | None:
    """Return GOOFER_MODELS; unset, the metadata of Flask-SQLAlchemy's default bind, if any.

    ``GOOFER_MODELS = ""`` (or an empty list) turns the Flask-SQLAlchemy default off.
    """
    key = CONFIG_KEYS["models"]
    if key not in app.config or app.config[key] is None:
        db = app.extensions.get("sqlalchemy")
        metadata = getattr(db, "metadata", None)
        return None if metadata is None else (FlaskSQLAlchemyModels(metadata),)
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


class FlaskSQLAlchemyModels:
    """The metadata of one Flask-SQLAlchemy bind, named as such in messages."""

    def __init__(self, metadata: Any, bind: str | None = None) -> None:
        self.metadata = metadata
        self.label = "of Flask-SQLAlchemy's db" + ("" if bind is None else f" (bind {bind!r})")


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
    problem = lock_timeout_problem(seconds)
    if problem:
        raise _problem(key, f"{problem}, got {value!r}")
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
    "dialects": _dialects,
}
