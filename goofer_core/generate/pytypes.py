"""Map a field's Python type hint to a column type, its nullability and, for enums, its values."""

from __future__ import annotations

import enum
import types
import typing
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from ..schema.model import ColumnType

_SIMPLE: dict[object, ColumnType] = {
    bool: ColumnType("boolean"),
    float: ColumnType("float"),
    datetime: ColumnType("datetime"),
    date: ColumnType("date"),
    time: ColumnType("time"),
    bytes: ColumnType("binary"),
    uuid.UUID: ColumnType("uuid"),
    dict: ColumnType("json"),
    list: ColumnType("json"),
}

SUPPORTED = (
    "int, str, bool, float, Decimal, datetime, date, time, bytes, uuid.UUID, dict, list, "
    "an Enum, Optional[...] of those"
)


class TypeHintError(ValueError):
    """The type hint has no column type."""


@dataclass(frozen=True)
class MappedType:
    """The column type of a hint, whether it is nullable and the enum values it allows."""

    type: ColumnType
    nullable: bool
    enum_values: tuple[str | int, ...] = ()


def map_hint(
    hint: object,
    max_length: int | None = None,
    precision: int | None = None,
    scale: int | None = None,
    big: bool = False,
) -> MappedType:
    """Return the column type for ``hint``; raise TypeHintError when there is none."""
    hint, nullable = _strip_optional(hint)
    base = typing.get_origin(hint) or hint
    if base is int:
        return MappedType(ColumnType("bigint" if big else "integer"), nullable)
    if base is str:
        if max_length is not None and max_length <= 0:
            raise TypeHintError("max_length must be positive")
        kind = ColumnType("string", length=max_length) if max_length else ColumnType("text")
        return MappedType(kind, nullable)
    if base is Decimal:
        if precision is None or scale is None:
            raise TypeHintError("Decimal needs precision and scale: column(precision=10, scale=2)")
        if not 0 <= scale <= precision:
            raise TypeHintError("Decimal needs 0 <= scale <= precision")
        return MappedType(ColumnType("decimal", precision=precision, scale=scale), nullable)
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return _map_enum(base, nullable, max_length)
    if base in _SIMPLE:
        return MappedType(_SIMPLE[base], nullable)
    raise TypeHintError(f"type {_name(hint)} has no column type (supported: {SUPPORTED})")


def _strip_optional(hint: object) -> tuple[object, bool]:
    if typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) != 1:
            raise TypeHintError(f"type {_name(hint)} is a union; only Optional[X] is supported")
        inner, _ = _strip_optional(args[0])
        return inner, True
    return hint, False


def _map_enum(cls: type[enum.Enum], nullable: bool, max_length: int | None) -> MappedType:
    members = list(cls)
    if not members:
        raise TypeHintError(f"enum {cls.__name__} has no members")
    values = [m.value for m in members]
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return MappedType(ColumnType("integer"), nullable, tuple(values))
    texts = [str(v) for v in values]
    if not all(isinstance(v, str) for v in values):
        texts = [m.name for m in members]
    length = max(max_length or 0, *(len(t) for t in texts))
    return MappedType(ColumnType("string", length=length), nullable, tuple(texts))


def enum_member_value(member: enum.Enum) -> str | int:
    """Return what an enum member is stored as (its value if str or int, else its name)."""
    cls = type(member)
    values = [m.value for m in cls]
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return int(member.value)
    if all(isinstance(v, str) for v in values):
        return str(member.value)
    return member.name


def _name(hint: object) -> str:
    return getattr(hint, "__name__", None) or repr(hint)
