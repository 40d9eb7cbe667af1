"""Where one Goofer run works in a Django project: which database, directory and table.

Precedence follows the contract: a flag (``--database ALIAS``, ``apply(database=...)``) beats
the environment (``GOOFER_DATABASE_URL``, ``GOOFER_MIGRATIONS_DIR``, ...), which beats
``settings.GOOFER``, which beats the defaults.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from goofer_core.cli.settings import ENV, Settings, resolve_settings
from goofer_core.cli.spelling import Spelling
from goofer_core.errors import ConfigurationError, GooferError
from goofer_core.migrations.migrator import Migrator
from goofer_core.url import DatabaseURL
from goofer_core.values import Record

from .base_schema import DjangoMigrationsBase
from .conf import GooferSettings, load_settings, setting_name
from .database import database_wrapper, migrator_for, url_of
from .models_source import models_setting

TYPE_CHECKING = False
if TYPE_CHECKING:
    from goofer_core.cli.settings import EventHandler


class Target(Record):
    """One run's settings, and the DATABASES alias whose connection it uses (None: a URL)."""

    settings: Settings
    alias: str | None

    def describe(self) -> str:
        """Return one line saying where this run works (password masked)."""
        settings = self.settings
        where = settings.url_hint if self.alias is None else f"database {self.alias!r}"
        return (
            f"Goofer: {where} ({_masked(settings.database_url)}), "
            f"migrations in {settings.directory}, table {settings.table}"
        )


def _masked(url: str | None) -> str:
    if not url:
        return "no URL"
    try:
        return str(DatabaseURL.parse(url))
    except GooferError:
        return "an invalid URL"


def _opener(directory_source: str, alias: str | None, source: str) -> Any:
    """Return how a run opens its Migrator: on Django's connection for ``alias``, else the URL.

    A missing migrations directory is named by the setting it came from.
    """

    def open_migrator(settings: Settings, on_event: EventHandler | None) -> Migrator:
        if not Path(settings.directory).is_dir():
            raise ConfigurationError(
                f"{directory_source}: migrations directory {settings.directory!r} does not exist"
            )
        if alias is None:
            return settings._replace(open_migrator=None).migrator(on_event)
        return migrator_for(
            alias,
            settings.directory,
            table=settings.table,
            lock_timeout=settings.lock_timeout,
            on_event=on_event,
            source=source,
        )

    return open_migrator


def run_settings(
    alias: str | None = None,
    *,
    source: str = "--database",
    use_environment_url: bool = True,
    verbose: bool = False,
    conf: GooferSettings | None = None,
) -> Target:
    """Resolve where one run works.

    ``alias`` given (a flag, a test database): that alias. Else ``GOOFER_DATABASE_URL`` when set
    and ``use_environment_url``; else ``settings.GOOFER['DATABASE']``. The directory is the
    alias's own in ``GOOFER['MIGRATIONS_DIRS']``, else ``GOOFER['MIGRATIONS_DIR']``.
    """
    conf = conf or load_settings()
    directory, directory_setting = conf.directory_for(alias or conf.database)
    fallback: dict[str, Any] = {
        "directory": str(directory),
        "entities": list(conf.entities),
        "table": conf.table,
        "lock_timeout": conf.lock_timeout,
        "shadow_url": conf.shadow_url,
        "shadow_prefix": conf.shadow_prefix,
        "dialects": list(conf.dialects),
    }
    base = resolve_settings({"verbose": verbose}, fallback)
    directory_source = (
        "GOOFER_MIGRATIONS_DIR" if os.environ.get("GOOFER_MIGRATIONS_DIR") else directory_setting
    )
    if alias is None and use_environment_url and base.database_url:
        settings = base._replace(
            url_hint="GOOFER_DATABASE_URL",
            open_migrator=_opener(directory_source, None, source),
            spelling=spelling(None, conf),
            **_models_and_base(base, conf, conf.database),
        )
        return Target(settings, None)
    if alias is None:
        alias, source = conf.database, "settings.GOOFER['DATABASE']"
    wrapper = database_wrapper(alias, source)
    try:
        url: str | None = url_of(wrapper).render(show_password=True)
    except GooferError:
        url = None  # e.g. a PostgreSQL entry naming only a service; the connection still works
    password = wrapper.settings_dict.get("PASSWORD")
    settings = base._replace(
        database_url=url,
        **_models_and_base(base, conf, alias),
        url_hint=f"settings.DATABASES[{alias!r}]",
        spelling=spelling(alias, conf),
        open_migrator=_opener(directory_source, alias, source),
        extra_secrets=(str(password),) if password else (),
    )
    return Target(settings, alias)


def _models_and_base(settings: Settings, conf: GooferSettings, alias: str) -> dict[str, Any]:
    """Return the models and base schema of a run: GOOFER["MODELS"], and Django's migrations.

    Goofer's migrations stand on the tables Django's migrations make (a GOOFER_BASE_SCHEMA file
    replaces them). Nothing is read until generate, check or verify needs it.
    """
    django_base = DjangoMigrationsBase(alias, conf.models)
    return {
        "models": settings.models or tuple(models_setting(conf.models, alias, django_base)),
        "base_schema": settings.base_schema or django_base,
    }


# The GOOFER[...] key of each setting the engine's messages may name.
_KEYS = {
    "directory": "MIGRATIONS_DIR",
    "entities": "ENTITIES",
    "models": "MODELS",
    "table": "TABLE",
    "lock_timeout": "LOCK_TIMEOUT",
    "shadow_url": "SHADOW_DATABASE_URL",
    "shadow_prefix": "SHADOW_PREFIX",
    "dialects": "DIALECTS",
}


def spelling(alias: str | None, conf: GooferSettings) -> Spelling:
    """Return how messages name commands and settings under ``manage.py``, for ``alias``.

    ``'goofer resolve ID --applied'`` becomes ``'python manage.py goofer_resolve ID --applied'``
    (with ``--database ALIAS`` when the alias is not ``GOOFER["DATABASE"]``), and
    ``--entities / GOOFER_ENTITIES`` becomes ``settings.GOOFER['ENTITIES']``.
    """
    database = f" --database {alias}" if alias is not None and alias != conf.database else ""
    names = {field: setting_name(key) for field, key in _KEYS.items()}
    if alias is not None:  # the alias's own folder may be GOOFER['MIGRATIONS_DIRS'][alias]
        names["directory"] = conf.directory_for(alias)[1]
    return Spelling(
        "python manage.py goofer_{command}{args}" + database,
        tuple((ENV[field], name) for field, name in names.items()),
    )
