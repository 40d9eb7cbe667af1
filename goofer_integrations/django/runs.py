"""Settings for one Goofer run in a Django project: which database, directory and table.

Precedence follows the contract: a flag (``--database ALIAS``, ``apply(database=...)``) beats
the environment (``GOOFER_DATABASE_URL``, ``GOOFER_MIGRATIONS_DIR``, ...), which beats
``settings.GOOFER``, which beats the defaults.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from goofer_core.cli.settings import Settings, resolve_settings
from goofer_core.errors import ConfigurationError, GooferError
from goofer_core.migrations.migrator import Event, Migrator

from .conf import GooferSettings, load_settings, setting_name
from .database import database_wrapper, migrator_for, url_of


class DjangoSettings(Settings):
    """The core's Settings, run on a Django database alias when ``alias`` is set."""

    def __init__(
        self,
        *,
        alias: str | None = None,
        alias_source: str = "database",
        directory_source: str = setting_name("MIGRATIONS_DIR"),
        **fields: Any,
    ) -> None:
        super().__init__(**fields)
        self.alias = alias
        self.alias_source = alias_source
        self.directory_source = directory_source

    def migrator(self, on_event: Callable[[Event], None] | None = None) -> Migrator:
        """Return a Migrator on the alias's database (or on ``database_url`` without one)."""
        if not Path(self.directory).is_dir():
            raise ConfigurationError(
                f"{self.directory_source}: migrations directory {self.directory!r} does not exist"
            )
        if self.alias is None:
            return super().migrator(on_event)
        return migrator_for(
            self.alias, self.directory, table=self.table, lock_timeout=self.lock_timeout,
            on_event=on_event, source=self.alias_source,
        )

    def secrets(self) -> list[str]:
        """Return the strings never to print: the URL's and the DATABASES entry's password."""
        found = super().secrets()
        if self.alias is not None:
            password = database_wrapper(self.alias, self.alias_source).settings_dict.get(
                "PASSWORD")
            if password:
                found.append(str(password))
        return found

    def describe(self) -> str:
        """Return one line saying where this run works (password masked)."""
        where = self.framework if self.alias is None else f"database {self.alias!r}"
        return (f"Goofer: {where} ({_masked(self.database_url)}), "
                f"migrations in {self.directory}, table {self.table}")


def _masked(url: str | None) -> str:
    from goofer_core.url import DatabaseURL

    if not url:
        return "no URL"
    try:
        return str(DatabaseURL.parse(url))
    except GooferError:
        return "an invalid URL"


def run_settings(
    alias: str | None = None,
    *,
    source: str = "--database",
    use_environment_url: bool = True,
    verbose: bool = False,
    conf: GooferSettings | None = None,
) -> DjangoSettings:
    """Resolve the settings for one run.

    ``alias`` given (a flag, a test database): that alias. Else ``GOOFER_DATABASE_URL`` when set
    and ``use_environment_url``; else ``settings.GOOFER['DATABASE']``.
    """
    conf = conf or load_settings()
    fallback: dict[str, Any] = {
        "directory": str(conf.migrations_dir),
        "entities": list(conf.entities),
        "table": conf.table,
        "lock_timeout": conf.lock_timeout,
    }
    base = resolve_settings({"verbose": verbose}, fallback)
    common: dict[str, Any] = {
        "directory": base.directory,
        "entities": base.entities,
        "table": base.table,
        "lock_timeout": base.lock_timeout,
        "verbose": verbose,
        "shadow_url": base.shadow_url,
        "directory_source": "GOOFER_MIGRATIONS_DIR" if os.environ.get("GOOFER_MIGRATIONS_DIR")
        else setting_name("MIGRATIONS_DIR"),
    }
    if alias is None and use_environment_url and base.database_url:
        return DjangoSettings(database_url=base.database_url, framework="GOOFER_DATABASE_URL",
                              **common)
    if alias is None:
        alias, source = conf.database, setting_name("DATABASE")
    wrapper = database_wrapper(alias, source)
    try:
        url: str | None = url_of(wrapper).render(show_password=True)
    except GooferError:
        url = None  # e.g. a PostgreSQL entry naming only a service; the connection still works
    return DjangoSettings(
        database_url=url, framework=f"settings.DATABASES[{alias!r}]", alias=alias,
        alias_source=source, **common,
    )
