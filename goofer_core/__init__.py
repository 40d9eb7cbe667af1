"""Goofer's framework-agnostic engine: SQL migrations for SQLite, PostgreSQL and MySQL.

Heavier parts (the runner, the entity generator) are imported on first use, so ``goofer --help``
and ``import goofer_core.errors`` stay cheap; ``from goofer_core import Migrator`` works as usual.
"""

from __future__ import annotations

import sys

from .errors import (
    ConfigurationError,
    DatabaseConnectError,
    DriverMissingError,
    GooferError,
    IntegrityError,
    LockTimeoutError,
    MigrationFailedError,
    MigrationFileError,
    SqlSplitError,
    UnknownMigrationError,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .generate import NOW, Check, EntityDefinitionError, Index, Registry, Sql, Unique, column
    from .generate import registry as registry
    from .generate.generator import MigrationGenerator
    from .migrations.events import Event
    from .migrations.migrator import Migrator
    from .migrations.plan import MigrationStatus
    from .migrations.tenants import TenantResult, Tenants, up_tenants
    from .url import DatabaseURL

# Public name -> module that defines it (imported on first access).
_LAZY = {
    "Event": ".migrations.events",
    "Migrator": ".migrations.migrator",
    "MigrationStatus": ".migrations.plan",
    "Tenants": ".migrations.tenants",
    "TenantResult": ".migrations.tenants",
    "up_tenants": ".migrations.tenants",
    "DatabaseURL": ".url",
    "MigrationGenerator": ".generate.generator",
    "Registry": ".generate",
    "registry": ".generate",
    "column": ".generate",
    "Index": ".generate",
    "Unique": ".generate",
    "Check": ".generate",
    "Sql": ".generate",
    "NOW": ".generate",
    "EntityDefinitionError": ".generate",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'goofer_core' has no attribute {name!r}")
    qualified = __name__ + module
    __import__(qualified)  # importlib.import_module's work, without importing importlib
    value = getattr(sys.modules[qualified], name)
    globals()[name] = value
    return value


__all__ = [
    "NOW",
    "Check",
    "ConfigurationError",
    "DatabaseConnectError",
    "DatabaseURL",
    "DriverMissingError",
    "EntityDefinitionError",
    "Event",
    "GooferError",
    "Index",
    "IntegrityError",
    "LockTimeoutError",
    "MigrationFailedError",
    "MigrationFileError",
    "MigrationGenerator",
    "MigrationStatus",
    "Migrator",
    "Registry",
    "Sql",
    "SqlSplitError",
    "TenantResult",
    "Tenants",
    "Unique",
    "UnknownMigrationError",
    "column",
    "registry",
    "up_tenants",
]
