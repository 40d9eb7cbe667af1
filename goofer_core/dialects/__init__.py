"""The supported dialects, looked up by name: explicit tables, no registration by import.

``get_dialect("mariadb")`` imports only that dialect's package, so a boot loads one dialect.
"""

from __future__ import annotations

import sys

from ..errors import ConfigurationError
from .base import Connection, Dialect

__all__ = ["CLASSES", "NAMES", "Connection", "Dialect", "dialect_name", "get_dialect"]

#: Every name a dialect answers to, URL schemes included -> its canonical name.
NAMES: dict[str, str] = {
    "sqlite": "sqlite",
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
}
#: Canonical name -> the dialect's class, as "module:Class" (imported on first use).
CLASSES: dict[str, str] = {
    "sqlite": "goofer_core.dialects.sqlite:SQLiteDialect",
    "postgresql": "goofer_core.dialects.postgresql:PostgreSQLDialect",
    "mysql": "goofer_core.dialects.mysql:MySQLDialect",
}


def dialect_name(name: str) -> str:
    """Return the canonical name of the dialect called ``name``; raise listing the choices."""
    canonical = NAMES.get(name.lower())
    if canonical is None:
        raise ConfigurationError(
            f"dialect {name!r} is not supported; use one of: {', '.join(sorted(NAMES))}"
        )
    return canonical


def get_dialect(name: str) -> Dialect:
    """Return the dialect called ``name`` (or one of its aliases: postgres, mariadb)."""
    module_name, _, class_name = CLASSES[dialect_name(name)].partition(":")
    __import__(module_name)  # importlib.import_module's work, without importing importlib
    cls: type[Dialect] = getattr(sys.modules[module_name], class_name)
    return cls()
