"""Settings for one goofer run: flag > environment > framework config > default.

Shared by every front-end (the click group, the console script's fast path, Flask, Django), so
it imports neither click nor the engine (the migrator is imported when one is built).
"""

from __future__ import annotations

import os

from ..errors import ConfigurationError
from ..migrations.session import lock_timeout_problem
from ..redaction import secrets_in
from ..values import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    from ..migrations.events import Event
    from ..migrations.migrator import Migrator
    from .spelling import Spelling

    EventHandler = Callable[[Event], None]

# Environment variables, in the contract's order of precedence: flag > env > framework > default.
ENV = {
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
#: How long ``apply()`` at start-up (Flask, Django) waits for another worker's migrations when no
#: lock timeout is set. Far longer than any web server's worker timeout, on purpose: a worker whose
#: wait ran out would fail to boot, and gunicorn then stops the whole server ("Worker failed to
#: boot") while the migrating worker runs on; a worker that waits is, at worst, killed by
#: gunicorn's own ``--timeout`` and started again, and the server stays up.
BOOT_LOCK_TIMEOUT = 3600.0

DEFAULTS = {
    "directory": "migrations",
    "table": "migrations",
    "lock_timeout": "60",
    "shadow_prefix": "goofer_shadow_",
}


class Settings(Record):
    """Resolved settings for one command run."""

    database_url: str | None
    directory: str
    entities: tuple[str, ...]
    table: str
    lock_timeout: float
    verbose: bool = False
    #: The ORM models whose tables are entities: ``module:attribute`` specs, or the objects.
    models: tuple[Any, ...] = ()
    shadow_url: str | None = None
    #: How scratch databases on a server are named: the prefix, then 12 random hex digits.
    shadow_prefix: str = "goofer_shadow_"
    #: The tables the migrations stand on that Goofer does not own: a SQL file's path, or a
    #: framework's ``SchemaBase`` (Django's migrations); see ``migrations/base.py``.
    base_schema: Any = None
    #: Where the "no database URL" error tells the user to set one.
    url_hint: str = "--database-url or GOOFER_DATABASE_URL"
    #: A framework's own way to reach the database (Django's connection), else the URL is used.
    open_migrator: Callable[[Settings, EventHandler | None], Migrator] | None = None
    #: How this front-end writes the commands and settings messages name (``cli/spelling.py``);
    #: None: as the ``goofer`` command line does.
    spelling: Spelling | None = None
    #: More strings never to print (a password the framework holds outside the URL).
    extra_secrets: tuple[str, ...] = ()
    #: The dialects one history is generated for, each in its folder of ``directory``
    #: (besides the dialect folders that exist); empty: as the directory is laid out.
    dialects: tuple[str, ...] = ()

    def secrets(self) -> list[str]:
        """Return the strings that must never be printed (the URLs' passwords)."""
        # The shadow URL may be several, one per dialect, separated by spaces.
        urls = [self.database_url or "", *(self.shadow_url or "").split()]
        found = [secret for url in urls for secret in secrets_in(url)]
        return [*found, *self.extra_secrets]

    def message(self, exc: BaseException) -> str:
        """Return the error's message as this front-end's user should read it: secrets masked."""
        from ..redaction import redact

        text = str(exc) if self.spelling is None else self.spelling.respell(str(exc))
        return redact(text, *self.secrets())

    def migrator(self, on_event: EventHandler | None = None) -> Migrator:
        """Build a Migrator from these settings."""
        if self.open_migrator is not None:
            return self.open_migrator(self, on_event)
        from ..migrations.migrator import Migrator

        if not self.database_url:
            raise ConfigurationError(f"no database URL: set {self.url_hint}")
        return Migrator(
            self.database_url,
            directory=self.directory,
            table=self.table,
            lock_timeout=self.lock_timeout,
            on_event=on_event,
        )


def resolve_settings(
    options: Mapping[str, Any],
    fallback: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Merge command-line options, the environment, framework config and defaults."""
    environ = os.environ if environ is None else environ
    fallback = fallback or {}

    # An empty environment variable counts as unset; an empty flag is a mistake to say.
    for key in ENV:
        if options.get(key) == "":
            flag = "--dir" if key == "directory" else "--" + key.replace("_", "-")
            raise ConfigurationError(f"{flag} '': empty; leave the option out for the default")

    def pick(key: str) -> Any:
        for source in (options.get(key), environ.get(ENV[key]), fallback.get(key)):
            if source not in (None, ""):
                return source
        return DEFAULTS.get(key)

    raw_timeout = pick("lock_timeout")
    try:
        lock_timeout = float(raw_timeout)
    except (TypeError, ValueError):
        lock_timeout = float("nan")
    problem = lock_timeout_problem(lock_timeout)
    if problem:
        raise ConfigurationError(
            f"lock timeout {raw_timeout!r} (--lock-timeout / GOOFER_LOCK_TIMEOUT): {problem}"
        )
    entities = _listed(pick("entities"))
    return Settings(
        database_url=pick("database_url"),
        directory=str(pick("directory")),
        entities=tuple(entities),
        table=str(pick("table")),
        lock_timeout=lock_timeout,
        verbose=bool(options.get("verbose")),
        models=tuple(_listed(pick("models"))),
        shadow_url=pick("shadow_url"),
        shadow_prefix=str(pick("shadow_prefix")),
        base_schema=pick("base_schema"),
        dialects=_dialects(_listed(pick("dialects"))),
    )


def _dialects(names: list[str]) -> tuple[str, ...]:
    """Return the canonical names of the dialects of one history; raise naming the setting."""
    if not names:
        return ()
    from ..dialects import dialect_name

    try:
        return tuple(dialect_name(name) for name in names)
    except ConfigurationError as exc:
        raise ConfigurationError(f"--dialects / GOOFER_DIALECTS: {exc}") from None


def _listed(value: Any) -> list[Any]:
    """Return a comma-separated string's items, or a sequence's (or nothing for None)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return list(value)
