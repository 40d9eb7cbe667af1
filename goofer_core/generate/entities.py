"""Entity classes: declare tables as annotated (data)classes and collect them in a Registry."""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from ..errors import GooferError
from ..schema.model import ON_DELETE_ACTIONS
from .declare import GOOFER_KEY, Check, ColumnOptions, Index, Unique
from .pytypes import MappedType, TypeHintError, map_hint

T = TypeVar("T", bound=type)


class EntityDefinitionError(GooferError):
    """An entity is declared in a way Goofer cannot turn into a table; names entity and field."""

    def __init__(self, entity: str, field: str | None, problem: str) -> None:
        self.entity = entity
        self.field = field
        self.problem = problem
        subject = f"entity {entity}" + (f", field {field}" if field else "")
        super().__init__(f"{subject}: {problem}")


class DialectRules(Protocol):
    """What building a schema needs from a dialect: quoting and identifier limits."""

    @property
    def name(self) -> str:
        """Return the dialect name, for messages."""
        ...

    @property
    def max_identifier_bytes(self) -> int | None:
        """Return the longest identifier in bytes, or None."""
        ...

    @property
    def max_identifier_chars(self) -> int | None:
        """Return the longest identifier in characters, or None."""
        ...

    @property
    def indexes_text_columns(self) -> bool:
        """Return whether text, binary and JSON columns can be indexed."""
        ...

    @property
    def defaults_bmp_only(self) -> bool:
        """Return whether a default cannot hold characters beyond U+FFFF (MariaDB)."""
        ...

    def quote(self, identifier: str) -> str:
        """Return ``identifier`` quoted for this dialect."""
        ...

    def string_literal(self, value: str) -> str:
        """Return ``value`` as an SQL string literal for this dialect."""
        ...


@dataclass(frozen=True)
class FieldDef:
    """One entity field as declared: attribute, column name, mapped type, options, default."""

    attribute: str
    column: str
    mapped: MappedType
    options: ColumnOptions
    default: Any  # the Python default, or dataclasses.MISSING


@dataclass(frozen=True)
class EntityDef:
    """One registered entity, parsed from its class."""

    cls: type
    table: str
    fields: tuple[FieldDef, ...]
    indexes: tuple[Index, ...]
    uniques: tuple[Unique, ...]
    checks: tuple[Check, ...]
    renamed_from: str | None

    @property
    def name(self) -> str:
        """Return the entity's class name, as errors call it."""
        return self.cls.__name__

    def field(self, attribute: str) -> FieldDef | None:
        """Return the field declared as ``attribute`` (or with that column name)."""
        return next((f for f in self.fields if attribute in (f.attribute, f.column)), None)


def snake_case(name: str) -> str:
    """Return ``OrderLine`` as ``order_line``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def _field_sources(cls: type) -> Iterable[tuple[str, Any, Any]]:
    """Yield (attribute, type hint, dataclasses.Field or default) for each declared field."""
    try:
        hints = typing.get_type_hints(cls, include_extras=True)
    except (NameError, TypeError, AttributeError) as exc:  # an undefined or bad hint
        raise EntityDefinitionError(cls.__name__, None, f"cannot read type hints: {exc}") from None
    if dataclasses.is_dataclass(cls):
        for f in dataclasses.fields(cls):
            yield f.name, hints[f.name], f
        return
    for attribute, hint in hints.items():
        if attribute.startswith("_") or typing.get_origin(hint) is typing.ClassVar:
            continue
        yield attribute, hint, cls.__dict__.get(attribute, dataclasses.MISSING)


def parse_entity(
    cls: type,
    table: str | None,
    indexes: Iterable[Index],
    uniques: Iterable[Unique],
    checks: Iterable[Check],
    renamed_from: str | None,
) -> EntityDef:
    """Parse an entity class into an EntityDef; raise EntityDefinitionError naming the field."""
    fields = []
    for attribute, hint, source in _field_sources(cls):
        options, default = ColumnOptions(), source
        if isinstance(source, dataclasses.Field):
            options = source.metadata.get(GOOFER_KEY, ColumnOptions())
            default = source.default
        try:
            mapped = map_hint(
                hint, options.max_length, options.precision, options.scale, options.big
            )
        except TypeHintError as exc:
            raise EntityDefinitionError(cls.__name__, attribute, str(exc)) from None
        if options.on_delete not in ON_DELETE_ACTIONS:
            raise EntityDefinitionError(
                cls.__name__,
                attribute,
                f"on_delete {options.on_delete!r} is not one of {', '.join(ON_DELETE_ACTIONS)}",
            )
        fields.append(FieldDef(attribute, options.name or attribute, mapped, options, default))
    if not fields:
        raise EntityDefinitionError(cls.__name__, None, "declares no fields")
    entity = EntityDef(
        cls,
        table or snake_case(cls.__name__),
        tuple(fields),
        tuple(indexes),
        tuple(uniques),
        tuple(checks),
        renamed_from,
    )
    _check_field_references(entity)
    return entity


def _check_field_references(entity: EntityDef) -> None:
    seen: dict[str, str] = {}
    for f in entity.fields:
        if f.column in seen:
            raise EntityDefinitionError(
                entity.name, f.attribute, f"column {f.column!r} is also used by {seen[f.column]}"
            )
        seen[f.column] = f.attribute
    groups: list[Index | Unique] = [*entity.indexes, *entity.uniques]
    for group in groups:
        if not group.fields:
            raise EntityDefinitionError(entity.name, None, f"{group!r} names no fields")
        for name in group.fields:
            if entity.field(name) is None:
                raise EntityDefinitionError(entity.name, name, f"{group!r} names an unknown field")
    if not any(f.options.primary_key for f in entity.fields):
        raise EntityDefinitionError(
            entity.name, None, "has no primary key: mark a field column(primary_key=True)"
        )
