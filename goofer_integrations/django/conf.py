"""Read and validate ``settings.GOOFER``; every error names the setting at fault."""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from goofer_core.dialects.base import check_table_name
from goofer_core.errors import ConfigurationError
from goofer_core.migrations.session import lock_timeout_problem

DEFAULTS: dict[str, Any] = {
    "MIGRATIONS_DIR": "migrations",
    "MIGRATIONS_DIRS": {},
    "ENTITIES": (),
    "MODELS": (),
    "DATABASE": "default",
    "TABLE": "migrations",
    "LOCK_TIMEOUT": 60,
    "APPLY_TO_TEST_DATABASES": True,
    "MIGRATE": True,
    "SYSTEM_CHECK": True,
    "CHECK_TIMEOUT": 3,
    "SHADOW_DATABASE_URL": None,
    "SHADOW_PREFIX": "goofer_shadow_",
    "DIALECTS": (),
}


@dataclass(frozen=True)
class GooferSettings:
    """``settings.GOOFER`` with defaults filled in and every value checked."""

    migrations_dir: Path
    #: alias -> its own migrations directory (``GOOFER['MIGRATIONS_DIRS']``).
    migrations_dirs: Mapping[str, Path]
    entities: tuple[str, ...]
    models: tuple[str, ...]
    database: str
    table: str
    lock_timeout: float
    test_databases: tuple[str, ...]
    migrate: bool
    system_check: bool
    check_timeout: float
    shadow_url: str | None
    shadow_prefix: str
    #: The dialects generate writes one history for, each in its folder of the directory.
    dialects: tuple[str, ...] = ()

    def directory_for(self, alias: str) -> tuple[Path, str]:
        """Return the migrations directory of ``alias`` and the setting that names it."""
        if alias in self.migrations_dirs:
            return self.migrations_dirs[alias], f"{setting_name('MIGRATIONS_DIRS')}[{alias!r}]"
        return self.migrations_dir, setting_name("MIGRATIONS_DIR")

    @property
    def goofer_databases(self) -> tuple[str, ...]:
        """Return the aliases that have Goofer migrations: ``DATABASE`` and ``MIGRATIONS_DIRS``."""
        return (self.database, *(a for a in self.migrations_dirs if a != self.database))


def setting_name(key: str) -> str:
    """Return how a user finds ``key`` in their settings module: ``settings.GOOFER['KEY']``."""
    return f"settings.GOOFER[{key!r}]"


def _fail(key: str, problem: str) -> ConfigurationError:
    return ConfigurationError(f"{setting_name(key)}: {problem}")


def load_settings() -> GooferSettings:
    """Read ``settings.GOOFER`` (absent means all defaults) and validate every key."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        raw = getattr(settings, "GOOFER", None)
    except ImproperlyConfigured as exc:  # no DJANGO_SETTINGS_MODULE, settings.configure()
        raise ConfigurationError(
            f"Django settings are not configured ({exc}); call apply() after django.setup(), "
            "e.g. after get_wsgi_application() in wsgi.py"
        ) from None
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise ConfigurationError(
            f"settings.GOOFER: expected a dict such as {{'MIGRATIONS_DIR': ...}}, "
            f"got {type(raw).__name__}"
        )
    for key in raw:
        if key not in DEFAULTS:
            close = difflib.get_close_matches(str(key), list(DEFAULTS), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "known keys: " + ", ".join(DEFAULTS)
            raise _fail(str(key), f"unknown setting; {hint}")
    values = {**DEFAULTS, **raw}
    database = _alias(values["DATABASE"], "DATABASE")
    base_dir = getattr(settings, "BASE_DIR", None)
    directories = _directories(values["MIGRATIONS_DIRS"], base_dir)
    return GooferSettings(
        migrations_dir=_directory(values["MIGRATIONS_DIR"], base_dir),
        migrations_dirs=directories,
        entities=_modules(values["ENTITIES"]),
        models=_model_labels(values["MODELS"]),
        database=database,
        table=_table(values["TABLE"]),
        lock_timeout=_seconds(values["LOCK_TIMEOUT"], "LOCK_TIMEOUT"),
        test_databases=_test_databases(values["APPLY_TO_TEST_DATABASES"], (database, *directories)),
        migrate=_flag(values["MIGRATE"], "MIGRATE"),
        system_check=_flag(values["SYSTEM_CHECK"], "SYSTEM_CHECK"),
        check_timeout=_seconds(values["CHECK_TIMEOUT"], "CHECK_TIMEOUT"),
        shadow_url=_optional_text(values["SHADOW_DATABASE_URL"], "SHADOW_DATABASE_URL"),
        shadow_prefix=_text(values["SHADOW_PREFIX"], "SHADOW_PREFIX"),
        dialects=_dialects(values["DIALECTS"]),
    )


def _directory(value: Any, base_dir: Any, label: str = setting_name("MIGRATIONS_DIR")) -> Path:
    """Resolve a relative directory against ``settings.BASE_DIR`` (as startproject sets it)."""
    if not isinstance(value, (str, os.PathLike)) or not str(value):
        raise ConfigurationError(f"{label}: expected a path, got {value!r}")
    path = Path(value)
    if not path.is_absolute() and isinstance(base_dir, (str, os.PathLike)):
        path = Path(base_dir) / path
    return path


def _directories(value: Any, base_dir: Any) -> dict[str, Path]:
    """Check ``MIGRATIONS_DIRS``: a dict of database alias -> that alias's directory."""
    key = "MIGRATIONS_DIRS"
    if not isinstance(value, Mapping):
        raise _fail(key, f"expected a dict of database alias -> directory, got {value!r}")
    directories = {}
    for alias, path in value.items():
        _alias(alias, key)
        directories[alias] = _directory(path, base_dir, f"{setting_name(key)}[{alias!r}]")
    return directories


def _modules(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise _fail("ENTITIES", f"expected a list of module names, got {value!r}")
    return tuple(value)


def _dialects(value: Any) -> tuple[str, ...]:
    from goofer_core.dialects import dialect_name

    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise _fail("DIALECTS", f"expected a list of dialect names, got {value!r}")
    try:
        return tuple(dialect_name(name) for name in value)
    except ConfigurationError as exc:
        raise _fail("DIALECTS", str(exc)) from None


def _model_labels(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise _fail("MODELS", f"expected a list of app labels or 'app_label.Model', got {value!r}")
    return tuple(value)


def _alias(value: Any, key: str) -> str:
    from django.conf import settings

    if not isinstance(value, str) or not value:
        raise _fail(key, f"expected a database alias, got {value!r}")
    if value not in settings.DATABASES:
        have = ", ".join(map(repr, settings.DATABASES)) or "none"
        raise _fail(key, f"no database alias {value!r} in settings.DATABASES (it has {have})")
    return value


def _table(value: Any) -> str:
    if not isinstance(value, str):
        raise _fail("TABLE", f"expected a table name, got {value!r}")
    try:
        return check_table_name(value)
    except ConfigurationError as exc:
        raise _fail("TABLE", str(exc)) from None


def _seconds(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(key, f"expected a number of seconds, got {value!r}")
    problem = lock_timeout_problem(float(value))
    if problem:
        raise _fail(key, f"{problem}, got {value!r}")
    return float(value)


def _text(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value:
        raise _fail(key, f"expected a string, got {value!r}")
    return value


def _optional_text(value: Any, key: str) -> str | None:
    return None if value in (None, "") else _text(value, key)


def _flag(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(key, f"expected True or False, got {value!r}")
    return value


def _test_databases(value: Any, databases: tuple[str, ...]) -> tuple[str, ...]:
    """True: the Goofer databases' test databases; False: none; a list: those aliases."""
    key = "APPLY_TO_TEST_DATABASES"
    if value is True:
        return tuple(dict.fromkeys(databases))
    if value is False:
        return ()
    if not isinstance(value, (list, tuple)):
        raise _fail(key, f"expected True, False or a list of database aliases, got {value!r}")
    return tuple(_alias(alias, key) for alias in value)
