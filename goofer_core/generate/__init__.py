"""Generate migrations from Python entities: declare, build, diff, render, write."""

from __future__ import annotations

from .declare import NOW, Check, Index, Sql, Unique, column
from .entities import EntityDefinitionError
from .registry import Registry, registry

__all__ = [
    "NOW",
    "Check",
    "EntityDefinitionError",
    "Index",
    "Registry",
    "Sql",
    "Unique",
    "column",
    "registry",
]
