"""The bases of Goofer's plain value types: ``Record`` (a named tuple), ``Choice`` (a str enum).

``Record`` is ``typing.NamedTuple`` to a type checker; at run time it builds the very same class
with ``collections.namedtuple``, because importing ``typing`` costs about 3 ms that every
``goofer up`` at boot would pay (benchmarks scenario B), while ``collections`` is loaded anyway.
A class body declares its fields with annotations, defaults after the fields without one, and may
add methods and properties, exactly as with ``typing.NamedTuple``::

    class Statement(Record):
        index: int
        line: int
        sql: str

``Choice`` is ``enum.StrEnum`` (Python 3.11) for 3.10 too: its members are strings that print,
format and serialise as their value, so ``state == "applied"`` and ``f"{state:<8}"`` just work.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["Choice", "Record"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple as Record
else:
    from collections import namedtuple

    _NOT_COPIED = frozenset({"__module__", "__qualname__", "__annotations__", "__dict__"})

    class _RecordType(type):
        """Turn ``class X(Record): ...`` into a named tuple class, as typing.NamedTuple does."""

        def __new__(mcs, name, bases, namespace):
            if not bases:  # Record itself
                return super().__new__(mcs, name, bases, namespace)
            if "__annotations__" not in namespace:
                raise TypeError(
                    f"{name}: declare the fields with annotations (and use "
                    "'from __future__ import annotations')"
                )
            fields = list(namespace["__annotations__"])
            defaults = [namespace[field] for field in fields if field in namespace]
            cls = namedtuple(name, fields, defaults=defaults, module=namespace["__module__"])
            cls.__qualname__ = namespace["__qualname__"]
            for key, value in namespace.items():
                if key not in _NOT_COPIED and key not in fields:
                    setattr(cls, key, value)
            return cls

    class Record(metaclass=_RecordType):
        """Base of the named tuple classes (``typing.NamedTuple`` without importing typing)."""


class Choice(str, Enum):
    """A string enum whose members print and format as their value (``enum.StrEnum``)."""

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, spec: str) -> str:
        return str.__format__(self, spec)
