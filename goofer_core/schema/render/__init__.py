"""Per-dialect DDL renderers, looked up by dialect name from an explicit table."""

from __future__ import annotations

from ...errors import ConfigurationError
from .base import Renderer, Step, render_script
from .mysql import MySQLRenderer
from .postgresql import PostgreSQLRenderer
from .sqlite import SQLiteRenderer

__all__ = ["Renderer", "Step", "get_renderer", "render_script"]

RENDERERS: dict[str, type[Renderer]] = {
    "sqlite": SQLiteRenderer,
    "postgresql": PostgreSQLRenderer,
    "postgres": PostgreSQLRenderer,
    "mysql": MySQLRenderer,
    "mariadb": MySQLRenderer,
}


def get_renderer(dialect: str) -> Renderer:
    """Return the DDL renderer for ``dialect``."""
    cls = RENDERERS.get(dialect.lower())
    if cls is None:
        raise ConfigurationError(
            f"dialect {dialect!r} is not supported; use one of: {', '.join(sorted(RENDERERS))}"
        )
    return cls()
