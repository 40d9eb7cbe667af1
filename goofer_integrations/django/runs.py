"""Where one Goofer run works in a Django project: which database, directory and table.

Precedence follows the contract: a flag (``--database ALIAS``, ``apply(database=...)``) beats
the environment (``GOOFER_DATABASE_URL``, ``GOOFER_MIGRATIONS_DIR``, ...), which beats
``settings.GOOFER``, which beats the defaults.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from goofer_core.cli.settings import Settings, resolve_settings
from goofer_core.errors import ConfigurationError, GooferError
from goofer_core.migrations.migrator import Migrator
from goofer_core.url import DatabaseURL
from goofer_core.values import Record

from .conf import GooferSettings, load_settings
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
    }
    base = resolve_settings({"verbose": verbose}, fallback)
    directory_source = (
        "GOOFER_MIGRATIONS_DIR" if os.environ.get("GOOFER_MIGRATIONS_DIR") else directory_setting
    )
    if alias is None and use_environment_url and base.database_url:
        settings = base._replace(
            url_hint="GOOFER_DATABASE_URL",
            open_migrator=_opener(directory_source, None, source),
            models=base.models or tuple(models_setting(conf.models, conf.database)),
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
        models=base.models or tuple(models_setting(conf.models, alias)),
        url_hint=f"settings.DATABASES[{alias!r}]",
        open_migrator=_opener(directory_source, alias, source),
        extra_secrets=(str(password),) if password else (),
    )
    return Target(settings, alias)
