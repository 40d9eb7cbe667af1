"""Settings for one goofer run: flag > environment > framework config > default.

Shared by the click commands, the fast console path and the Flask and Django adapters, so it
imports neither click nor the engine (the migrator is imported when one is built).
"""

from __future__ import annotations

import os

from ..errors import ConfigurationError
from ..redaction import secrets_in

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    from ..migrations.migrator import Event, Migrator

# Environment variables, in the contract's order of precedence: flag > env > framework > default.
ENV = {
    "database_url": "GOOFER_DATABASE_URL",
    "directory": "GOOFER_MIGRATIONS_DIR",
    "entities": "GOOFER_ENTITIES",
    "table": "GOOFER_TABLE",
    "lock_timeout": "GOOFER_LOCK_TIMEOUT",
    "shadow_url": "GOOFER_SHADOW_DATABASE_URL",
}
DEFAULTS = {"directory": "migrations", "table": "migrations", "lock_timeout": "60"}


class Settings:
    """Resolved settings for one command run."""

    __slots__ = ("database_url", "directory", "entities", "extra", "framework", "lock_timeout",
                 "shadow_url", "table", "verbose")

    def __init__(
        self,
        database_url: str | None,
        directory: str,
        entities: list[str],
        table: str,
        lock_timeout: float,
        verbose: bool = False,
        framework: str = "--database-url or GOOFER_DATABASE_URL",
        shadow_url: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.database_url = database_url
        self.directory = directory
        self.entities = entities
        self.table = table
        self.lock_timeout = lock_timeout
        self.verbose = verbose
        #: Where the "no database URL" error tells the user to set one.
        self.framework = framework
        self.shadow_url = shadow_url
        self.extra: dict[str, Any] = {} if extra is None else extra

    def secrets(self) -> list[str]:
        """Return the strings that must never be printed (the URLs' passwords)."""
        return [s for url in (self.database_url, self.shadow_url) for s in secrets_in(url or "")]

    def migrator(self, on_event: Callable[[Event], None] | None = None) -> Migrator:
        """Build a Migrator from these settings."""
        from ..migrations.migrator import Migrator

        if not self.database_url:
            raise ConfigurationError(f"no database URL: set {self.framework}")
        return Migrator(
            self.database_url,
            directory=self.directory,
            table=self.table,
            lock_timeout=self.lock_timeout,
            on_event=on_event,
        )


    def check_reasons(self, verify: bool = False) -> list[str]:
        """Return why ``goofer check`` fails (empty when all is well).

        Migrations not in step with the database, entities that differ from the migrations (when
        entity modules are set) and, with ``verify``, a down that does not revert its up.
        """
        reasons = self.migrator().check()
        if self.entities:
            from ..generate.commands import entity_check_reasons

            reasons += entity_check_reasons(
                directory=self.directory, entities=self.entities,
                database_url=self.database_url, shadow_url=self.shadow_url,
            )
        if verify:
            from .verify_command import verify_reasons

            reasons += verify_reasons(self)
        return reasons


def resolve_settings(
    options: Mapping[str, Any],
    fallback: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Merge command-line options, the environment, framework config and defaults."""
    environ = os.environ if environ is None else environ
    fallback = fallback or {}

    def pick(key: str) -> Any:
        for source in (options.get(key), environ.get(ENV[key]), fallback.get(key)):
            if source not in (None, ""):
                return source
        return DEFAULTS.get(key)

    raw_timeout = pick("lock_timeout")
    try:
        lock_timeout = float(raw_timeout)
    except (TypeError, ValueError):
        raise ConfigurationError(
            f"lock timeout {raw_timeout!r} (--lock-timeout / GOOFER_LOCK_TIMEOUT): "
            "expected a number of seconds"
        ) from None
    entities = pick("entities") or []
    if isinstance(entities, str):
        entities = [e.strip() for e in entities.split(",") if e.strip()]
    return Settings(
        database_url=pick("database_url"),
        directory=str(pick("directory")),
        entities=list(entities),
        table=str(pick("table")),
        lock_timeout=lock_timeout,
        verbose=bool(options.get("verbose")),
        shadow_url=pick("shadow_url"),
    )
