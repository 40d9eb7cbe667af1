"""Goofer's framework-agnostic engine: SQL migrations for SQLite, PostgreSQL and MySQL."""

from __future__ import annotations

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
from .migrator import Event, Migrator
from .plan import MigrationStatus
from .url import DatabaseURL

__all__ = [
    "ConfigurationError",
    "DatabaseConnectError",
    "DatabaseURL",
    "DriverMissingError",
    "Event",
    "GooferError",
    "IntegrityError",
    "LockTimeoutError",
    "MigrationFailedError",
    "MigrationFileError",
    "MigrationStatus",
    "Migrator",
    "SqlSplitError",
    "UnknownMigrationError",
]
