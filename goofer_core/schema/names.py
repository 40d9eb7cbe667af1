"""Generated constraint and index names, kept within every dialect's identifier limit."""

from __future__ import annotations

import hashlib
import re

#: The shortest identifier limit among the dialects (PostgreSQL truncates at 63 bytes).
PORTABLE_NAME_BYTES = 63
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def short_hash(*parts: str) -> str:
    """Return 8 hex characters that identify ``parts``."""
    return hashlib.md5("\x1f".join(parts).encode("utf-8")).hexdigest()[:8]


def fit(name: str, limit: int = PORTABLE_NAME_BYTES) -> str:
    """Return ``name``, or its prefix plus a hash of the whole when over ``limit`` bytes."""
    if len(name.encode("utf-8")) <= limit:
        return name
    suffix = "_" + short_hash(name)
    prefix = name.encode("utf-8")[: limit - len(suffix)].decode("utf-8", "ignore")
    return prefix + suffix


def index_name(table: str, columns: tuple[str, ...]) -> str:
    """Return the generated name of an index."""
    return fit(f"ix_{table}_{'_'.join(columns)}")


def unique_name(table: str, columns: tuple[str, ...]) -> str:
    """Return the generated name of a unique constraint."""
    return fit(f"uq_{table}_{'_'.join(columns)}")


def foreign_key_name(table: str, columns: tuple[str, ...], ref_table: str) -> str:
    """Return the generated name of a foreign key."""
    return fit(f"fk_{table}_{'_'.join(columns)}_{ref_table}")


def check_name(table: str, expression: str) -> str:
    """Return the generated name of a check; it changes when the expression does."""
    return fit(f"ck_{table}_{short_hash(expression)}")


def enum_check_name(table: str, column: str, values: tuple[str | int, ...]) -> str:
    """Return the generated name of an enum column's check; it changes with the values."""
    return fit(f"ck_{table}_{column}_{short_hash(*map(repr, values))}")


def identifier_problem(name: str, max_bytes: int | None, max_chars: int | None) -> str | None:
    """Return why ``name`` cannot be an identifier on a dialect, or None if it can."""
    if not name:
        return "the name is empty"
    if _CONTROL.search(name):
        return f"name {name!r} contains a control character"
    if max_bytes is not None and len(name.encode("utf-8")) > max_bytes:
        return f"name {name!r} is longer than {max_bytes} bytes"
    if max_chars is not None and len(name) > max_chars:
        return f"name {name!r} is longer than {max_chars} characters"
    return None
