"""Flask-SQLAlchemy binds: each one in ``GOOFER_BINDS`` has its own migrations directory.

``GOOFER_BINDS = {"reports": "migrations_reports"}`` (a directory relative to the app's
``root_path``), or a list of bind names, each migrated from ``<GOOFER_MIGRATIONS_DIR>/<bind>``.
A bind's database is its ``SQLALCHEMY_BINDS`` entry (through Flask-SQLAlchemy's engine when the
extension is on the app). ``--database-url`` and the ``GOOFER_DATABASE_URL``,
``GOOFER_MIGRATIONS_DIR``, ``GOOFER_ENTITIES`` and ``GOOFER_MODELS`` environment variables
concern the default database only; ``--dir`` given with ``--bind`` replaces that bind's directory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from goofer_core.cli.settings import ENV, Settings, resolve_settings
from goofer_core.errors import ConfigurationError

from . import config
from .targets import connect_args_secrets, opener

BINDS_KEY = "GOOFER_BINDS"
SQLALCHEMY_BINDS = "SQLALCHEMY_BINDS"
#: Environment variables that concern the default database only.
DEFAULT_ONLY = ("database_url", "directory", "entities", "models")


def goofer_binds(app: Flask) -> dict[str, str]:
    """Return the binds Goofer migrates, in ``GOOFER_BINDS`` order, with their directories."""
    value: Any = app.config.get(BINDS_KEY)
    if value in (None, "", [], {}, ()):
        return {}
    if isinstance(value, str):
        value = [name.strip() for name in value.split(",") if name.strip()]
    if isinstance(value, list | tuple):
        value = dict.fromkeys(value)
    if not isinstance(value, Mapping):
        raise _problem("expected a dict of bind name -> migrations directory, or a list of names")
    known = app.config.get(SQLALCHEMY_BINDS) or {}
    default_dir = Path(app.root_path, app.config.get("GOOFER_MIGRATIONS_DIR") or "migrations")
    binds = {}
    for name, directory in value.items():
        if not isinstance(name, str) or name not in known:
            have = ", ".join(repr(k) for k in known if k is not None) or "none"
            raise _problem(f"{name!r} is not a bind in SQLALCHEMY_BINDS (it has {have})")
        if directory in (None, ""):
            directory = default_dir / name
        if not isinstance(directory, str | os.PathLike):
            raise _problem(f"{name!r}: expected a directory path, got {type(directory).__name__}")
        binds[name] = str(Path(app.root_path, directory))
    return binds


def _problem(problem: str) -> ConfigurationError:
    return ConfigurationError(f"{BINDS_KEY} in the Flask config: {problem}")


def check_bind(app: Flask, bind: str) -> str:
    """Return the directory of ``bind``; raise naming --bind and GOOFER_BINDS if it is not one."""
    binds = goofer_binds(app)
    if bind not in binds:
        have = ", ".join(map(repr, binds)) or "none"
        raise ConfigurationError(f"--bind {bind}: not a bind in {BINDS_KEY} (it has {have})")
    return binds[bind]


def bind_settings(
    app: Flask,
    bind: str,
    options: Mapping[str, Any],
    environ: Mapping[str, str],
    hint: str,
) -> Settings:
    """Resolve the settings of one bind: its SQLALCHEMY_BINDS database, its directory."""
    directory = check_bind(app, bind)
    if options.get("database_url"):
        raise ConfigurationError(
            f"--bind {bind}: --database-url sets the default database; a bind's database is "
            f"its {SQLALCHEMY_BINDS} entry"
        )
    key = f"{SQLALCHEMY_BINDS}[{bind!r}]"
    entry = (app.config.get(SQLALCHEMY_BINDS) or {})[bind]
    url_value = entry.get("url") if isinstance(entry, Mapping) else entry
    fallback: dict[str, Any] = {
        "database_url": config.sqlalchemy_url(app, key, url_value),
        "directory": directory,
        "models": _bind_models(app, bind),
        "table": config._table(app),
        "lock_timeout": config._lock_timeout(app),
    }
    own_environ = {k: v for k, v in environ.items() if k not in {ENV[f] for f in DEFAULT_ONLY}}
    settings = resolve_settings(options, fallback, own_environ)
    return settings._replace(
        url_hint=f"{key} in the Flask config",
        open_migrator=opener(app, bind, uses_engine="sqlalchemy" in app.extensions),
        extra_secrets=connect_args_secrets(app, bind),
    )


def _bind_models(app: Flask, bind: str) -> tuple[Any, ...] | None:
    """Return the metadata of Flask-SQLAlchemy's models for ``bind`` (``__bind_key__``)."""
    if app.config.get(config.CONFIG_KEYS["models"]) == "":
        return None
    metadatas = getattr(app.extensions.get("sqlalchemy"), "metadatas", {})
    metadata = metadatas.get(bind)
    return None if metadata is None else (config.FlaskSQLAlchemyModels(metadata, bind),)
