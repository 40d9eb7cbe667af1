"""The supported dialects, looked up by name: an explicit table, no import side effects."""

from __future__ import annotations

import sys

from ..errors import ConfigurationError
from .base import Connection, Dialect

__all__ = ["DIALECTS", "Connection", "Dialect", "get_dialect"]

# Dialect name -> "module:Class". URL scheme aliases live in goofer_core.url.SCHEMES.
DIALECTS: dict[str, str] = {
    "sqlite": "goofer_core.dialects.sqlite:SQLiteDialect",
    "postgresql": "goofer_core.dialects.postgresql:PostgreSQLDialect",
    "mysql": "goofer_core.dialects.mysql:MySQLDialect",
}
ALIASES: dict[str, str] = {"postgres": "postgresql", "mariadb": "mysql"}


def get_dialect(name: str) -> Dialect:
    """Return the dialect called ``name`` (aliases: postgres, mariadb)."""
    key = ALIASES.get(name.lower(), name.lower())
    target = DIALECTS.get(key)
    if target is None:
        known = ", ".join(sorted([*DIALECTS, *ALIASES]))
        raise ConfigurationError(f"dialect {name!r} is not supported; use one of: {known}")
    module_name, _, class_name = target.partition(":")
    __import__(module_name)  # importlib.import_module's work, without importing importlib
    cls: type[Dialect] = getattr(sys.modules[module_name], class_name)
    return cls()
