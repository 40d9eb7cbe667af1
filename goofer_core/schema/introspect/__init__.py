"""Per-dialect schema readers, looked up by dialect name from an explicit table."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from ..model import Schema

READERS: dict[str, str] = {
    "sqlite": "goofer_core.schema.introspect.sqlite",
    "postgresql": "goofer_core.schema.introspect.postgresql",
    "mysql": "goofer_core.schema.introspect.mysql",
}


def read_schema(dialect: str, conn: Any) -> Schema:
    """Return the schema of the database behind ``conn`` (a DB-API connection of ``dialect``)."""
    reader: Callable[[Any], Schema] = import_module(READERS[dialect]).read_schema
    return reader(conn)
