"""Default values in one canonical text form, so entity and database defaults compare equal.

Entities give Python values; databases give back SQL text (``'a'::character varying``,
``current_timestamp()``, ``'2024-01-01 00:00:00.000000'``). Both are reduced here to the same
text per column kind, which is what makes a second ``generate`` report no changes.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from .model import ColumnType, Default

_NOW = re.compile(
    r"(current_timestamp|now|localtimestamp|getdate)(\(\d*\))?"
    r"|datetime\('now'\)|strftime\('%y-%m-%d%h:%m:%s','now'\)"
)
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")
_CAST = re.compile(r"::[a-z_ ]+(\(\d+(,\s*\d+)?\))?(\[\])?\s*\Z", re.IGNORECASE)
_TRUE = {"1", "true", "t", "yes", "on", "b'1'"}
_FALSE = {"0", "false", "f", "no", "off", "b'0'"}


class LiteralError(ValueError):
    """A value cannot be a default of a column of that type."""


def canonical_value(column_type: ColumnType, value: object) -> str:
    """Return the canonical text of Python ``value`` as a default of ``column_type``."""
    kind = column_type.kind
    if kind in ("integer", "bigint", "smallint") and _is_int(value):
        return str(int(value))  # type: ignore[call-overload]
    if kind == "boolean" and isinstance(value, bool):
        return "true" if value else "false"
    if kind == "float" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(float(value) + 0.0)  # -0.0 is stored as 0
    if kind == "decimal" and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return _decimal_text(Decimal(value), column_type.scale)
    if kind in ("string", "text") and isinstance(value, str):
        return value
    if kind == "uuid" and isinstance(value, uuid.UUID):
        return str(value)
    if kind == "json" and isinstance(value, (dict, list, str, int, float, bool)):
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    return _temporal_value(column_type, value)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _temporal_value(column_type: ColumnType, value: object) -> str:
    kind = column_type.kind
    if kind == "datetime" and isinstance(value, datetime) and value.tzinfo is None:
        return value.isoformat(sep=" ")
    if kind == "date" and isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if kind == "time" and isinstance(value, time) and value.tzinfo is None:
        return value.isoformat()
    raise LiteralError(f"{value!r} is not a valid default for a {column_type.describe()} column")


def _decimal_text(value: Decimal, scale: int | None) -> str:
    if scale is not None:
        value = value.quantize(Decimal(1).scaleb(-scale))
    return format(value, "f")


def canonical_text(column_type: ColumnType, text: str) -> str | None:
    """Return the canonical form of literal ``text`` read from a database, or None if not one."""
    kind = column_type.kind
    try:
        if kind in ("integer", "bigint", "smallint"):
            return str(int(Decimal(text))) if _NUMBER.match(text) else None
        if kind == "boolean":
            lowered = text.lower()
            return "true" if lowered in _TRUE else "false" if lowered in _FALSE else None
        if kind == "float":
            return repr(float(text) + 0.0) if _NUMBER.match(text) else None
        if kind == "decimal":
            return _decimal_text(Decimal(text), column_type.scale) if _NUMBER.match(text) else None
        if kind == "uuid":
            return str(uuid.UUID(text))
        if kind == "json":
            return json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"))
        if kind == "datetime":
            return datetime.fromisoformat(_six_digit_fraction(text)).isoformat(sep=" ")
        if kind == "date":
            return date.fromisoformat(text).isoformat()
        if kind == "time":
            return time.fromisoformat(_six_digit_fraction(text)).isoformat()
    except (ValueError, InvalidOperation):
        return None
    return text


def _six_digit_fraction(text: str) -> str:
    """Pad or cut a fractional second to 6 digits (Python 3.10's fromisoformat needs 3 or 6)."""
    return re.sub(r"\.(\d+)", lambda m: "." + (m.group(1) + "000000")[:6], text, count=1)


def default_from_sql(
    column_type: ColumnType, sql: str, backslash_escapes: bool = False
) -> Default | None:
    """Return the Default that database default text ``sql`` stands for (None for NULL).

    Handles the spellings of SQLite (as written), PostgreSQL (``'x'::type`` casts) and
    MariaDB (quoted literals, ``current_timestamp()``, ``NULL``).
    """
    text = sql.strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    while _CAST.search(text) and not text.endswith("'"):
        text = _CAST.sub("", text).strip()
        while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
            text = text[1:-1].strip()
    if text.upper() == "NULL":
        return None
    if _NOW.fullmatch(re.sub(r"\s+", "", text.lower())):
        return Default("now")
    literal = _unquote(text, backslash_escapes)
    if literal is None and (_NUMBER.match(text) or text.lower() in ("true", "false")):
        literal = text
    if literal is not None:
        canonical = canonical_text(column_type, literal)
        if canonical is not None:
            return Default("literal", canonical)
    return Default("sql", sql.strip())


def _balanced(text: str) -> bool:
    depth = 0
    quoted = False
    for char in text:
        if char == "'":
            quoted = not quoted
        elif not quoted:
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth < 0:
                return False
    return depth == 0


def _unquote(text: str, backslash_escapes: bool) -> str | None:
    """Return the value of a single SQL string literal (with '' and MariaDB \\ escapes)."""
    if len(text) < 2 or text[0] != "'" or text[-1] != "'":
        return None
    body = text[1:-1]
    out: list[str] = []
    position = 0
    while position < len(body):
        char = body[position]
        if char == "'":
            if body[position + 1 : position + 2] != "'":
                return None  # two literals, or an expression such as 'a' || 'b'
            position += 1
        elif char == "\\" and backslash_escapes and position + 1 < len(body):
            position += 1
            char = {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}.get(body[position], body[position])
        out.append(char)
        position += 1
    return "".join(out)
