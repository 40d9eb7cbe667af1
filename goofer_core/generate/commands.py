"""What the ``generate`` and ``check`` commands call: thin wrappers a CLI or adapter can share."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .entities import Registry
from .entities import registry as default_registry
from .generator import MigrationGenerator, WarningHandler
from .loading import import_entities


def generate_migration(
    name: str,
    *,
    directory: str | Path,
    entities: str | Sequence[str] | None,
    database_url: str | None = None,
    shadow_url: str | None = None,
    empty: bool = False,
    registry: Registry | None = None,
    on_warning: WarningHandler | None = None,
) -> list[Path] | None:
    """Import the entity modules and generate; return the paths written, or None if in sync."""
    if not empty:
        import_entities(entities)
    generator = MigrationGenerator(
        default_registry if registry is None else registry, None, directory,
        database_url=database_url, shadow_url=shadow_url, on_warning=on_warning,
    )
    return generator.generate(name, empty=empty)


def entity_check_reasons(
    *,
    directory: str | Path,
    entities: str | Sequence[str] | None,
    database_url: str | None = None,
    shadow_url: str | None = None,
    registry: Registry | None = None,
) -> list[str]:
    """Return ``["entities differ from the migrations: ..."]``, or [] (also when none are given)."""
    registry = default_registry if registry is None else registry
    import_entities(entities)
    if not len(registry):
        return []
    generator = MigrationGenerator(registry, None, directory, database_url=database_url,
                                   shadow_url=shadow_url)
    return generator.check()
