"""What users write in entity classes: ``column()``, ``Index``, ``Unique``, ``Check``, ``NOW``."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

GOOFER_KEY = "goofer"


@dataclass(frozen=True)
class Sql:
    """A server-side default written in SQL, for example ``Sql("gen_random_uuid()")``."""

    expression: str


@dataclass(frozen=True)
class _Now:
    """The current timestamp as a server-side default."""

    def __repr__(self) -> str:
        return "NOW"


NOW = _Now()


@dataclass(frozen=True)
class Index:
    """A (composite) index on an entity's fields; the name is generated when omitted."""

    fields: tuple[str, ...]
    name: str | None = None

    def __init__(self, *fields: str, name: str | None = None) -> None:
        object.__setattr__(self, "fields", tuple(fields))
        object.__setattr__(self, "name", name)


@dataclass(frozen=True)
class Unique:
    """A (composite) unique constraint on an entity's fields."""

    fields: tuple[str, ...]
    name: str | None = None

    def __init__(self, *fields: str, name: str | None = None) -> None:
        object.__setattr__(self, "fields", tuple(fields))
        object.__setattr__(self, "name", name)


@dataclass(frozen=True)
class Check:
    """A check constraint written in SQL; the name is generated from the expression when omitted.

    Databases rewrite check expressions, so Goofer compares checks by name: a generated name
    changes with the expression, an explicit one must change when the expression does.
    """

    expression: str
    name: str | None = None


@dataclass(frozen=True)
class ColumnOptions:
    """The database options of one entity field, kept in the dataclass field's metadata."""

    primary_key: bool = False
    autoincrement: bool | None = None
    unique: bool = False
    index: bool = False
    server_default: Any = None
    max_length: int | None = None
    precision: int | None = None
    scale: int | None = None
    foreign_key: Any = None
    on_delete: str = "NO ACTION"
    name: str | None = None
    renamed_from: str | None = None
    check: str | None = None
    big: bool = False


def column(
    *,
    default: Any = dataclasses.MISSING,
    default_factory: Callable[[], Any] | Any = dataclasses.MISSING,
    primary_key: bool = False,
    autoincrement: bool | None = None,
    unique: bool = False,
    index: bool = False,
    server_default: Any = None,
    max_length: int | None = None,
    precision: int | None = None,
    scale: int | None = None,
    foreign_key: Any = None,
    on_delete: str = "NO ACTION",
    name: str | None = None,
    renamed_from: str | None = None,
    check: str | None = None,
    big: bool = False,
) -> Any:
    """Declare an entity field with database options; returns a ``dataclasses.field``.

    ``default`` is both the Python default and the column's DEFAULT; ``server_default`` is
    only the column's DEFAULT (``NOW``, ``Sql("...")`` or a literal). ``foreign_key`` is an
    entity class, or a string ``"Entity"``, ``"Entity.field"`` or ``"table.column"``.
    """
    options = ColumnOptions(
        primary_key=primary_key,
        autoincrement=autoincrement,
        unique=unique,
        index=index,
        server_default=server_default,
        max_length=max_length,
        precision=precision,
        scale=scale,
        foreign_key=foreign_key,
        on_delete=on_delete.upper(),
        name=name,
        renamed_from=renamed_from,
        check=check,
        big=big,
    )
    metadata = {GOOFER_KEY: options}
    if default_factory is not dataclasses.MISSING:
        return dataclasses.field(default_factory=default_factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)
