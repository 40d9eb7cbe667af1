"""The Registry: the entities ``generate`` and ``check`` compare with the migrations."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar, overload

from ..schema.model import RenameHints, Schema
from .build import build_schema
from .declare import Check, Index, Unique
from .entities import DialectRules, EntityDef, EntityDefinitionError, parse_entity

T = TypeVar("T", bound=type)


class Registry:
    """The entities ``generate`` and ``check`` compare with the migrations."""

    def __init__(self) -> None:
        self._entities: dict[type, EntityDef] = {}

    @overload
    def register_entity(self, cls: T, /) -> T: ...

    @overload
    def register_entity(
        self,
        cls: None = None,
        /,
        *,
        table: str | None = None,
        indexes: Iterable[Index] = (),
        uniques: Iterable[Unique] = (),
        checks: Iterable[Check] = (),
        renamed_from: str | None = None,
    ) -> Callable[[T], T]: ...

    @overload
    def register_entity(
        self,
        cls: T,
        /,
        *,
        table: str | None = None,
        indexes: Iterable[Index] = (),
        uniques: Iterable[Unique] = (),
        checks: Iterable[Check] = (),
        renamed_from: str | None = None,
    ) -> T: ...

    def register_entity(
        self,
        cls: T | None = None,
        /,
        *,
        table: str | None = None,
        indexes: Iterable[Index] = (),
        uniques: Iterable[Unique] = (),
        checks: Iterable[Check] = (),
        renamed_from: str | None = None,
    ) -> T | Callable[[T], T]:
        """Register an entity class; use it as a call, a decorator, or a decorator with options."""

        def register(target: T) -> T:
            entity = parse_entity(target, table, indexes, uniques, checks, renamed_from)
            self._add(entity)
            return target

        return register if cls is None else register(cls)

    entity = register_entity

    def _add(self, entity: EntityDef) -> None:
        for other in list(self._entities.values()):
            same_class = (other.cls.__module__, other.cls.__qualname__) == (
                entity.cls.__module__,
                entity.cls.__qualname__,
            )
            if same_class:  # the same class registered again, or its module re-imported
                del self._entities[other.cls]
            elif other.table == entity.table:
                raise EntityDefinitionError(
                    entity.name,
                    None,
                    f"table {entity.table!r} is already used by entity {other.name}",
                )
        self._entities[entity.cls] = entity

    def entities(self) -> list[EntityDef]:
        """Return the registered entities in registration order."""
        return list(self._entities.values())

    def clear(self) -> None:
        """Forget every registered entity."""
        self._entities.clear()

    def __len__(self) -> int:
        return len(self._entities)

    def __contains__(self, cls: object) -> bool:
        return cls in self._entities

    def build_schema(self, rules: DialectRules) -> tuple[Schema, RenameHints]:
        """Return the schema the entities declare for a dialect, and their rename hints."""
        return build_schema(self.entities(), rules)


#: The default registry that ``goofer generate`` and ``goofer check`` read.
registry = Registry()
