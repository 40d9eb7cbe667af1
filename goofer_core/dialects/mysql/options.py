"""The URL query parameters Goofer passes to PyMySQL, each read as the type PyMySQL expects.

A URL carries only strings, and PyMySQL answers an unknown keyword or a string where it wants a
number with a bare TypeError, so each parameter is checked here and a wrong one is named in one
line. https://pymysql.readthedocs.io/en/latest/modules/connections.html
"""

from __future__ import annotations

from ...errors import ConfigurationError
from ...redaction import is_secret_key

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

_TEXT = (
    "unix_socket", "charset", "collation", "sql_mode", "read_default_file", "init_command",
    "read_default_group", "bind_address", "program_name", "server_public_key", "ssl_ca",
    "ssl_cert", "ssl_key", "ssl_key_password",
)  # fmt: skip
_SECONDS = ("connect_timeout", "read_timeout", "write_timeout")
_WHOLE = ("max_allowed_packet", "client_flag")
_FLAGS = ("local_infile", "binary_prefix", "ssl_disabled", "ssl_verify_cert", "ssl_verify_identity")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")
KNOWN = (*_TEXT, *_SECONDS, *_WHOLE, *_FLAGS)


def connection_options(query: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Return PyMySQL keyword arguments for a URL's query; raise naming a wrong parameter."""
    options: dict[str, Any] = {}
    for key, value in query:
        options[key] = _read(key, value)
    return options


def _read(key: str, value: str) -> Any:
    shown = "***" if is_secret_key(key) else repr(value)
    if key in _TEXT:
        return value
    if key in _FLAGS:
        lowered = value.lower()
        if lowered in _TRUE + _FALSE:
            return lowered in _TRUE
        raise _problem(key, f"{shown} is not true or false")
    if key in _SECONDS or key in _WHOLE:
        try:
            number = float(value) if key in _SECONDS and "." in value else int(value)
        except ValueError:
            raise _problem(key, f"{shown} is not a number") from None
        if not number > 0 and key in _SECONDS:
            raise _problem(key, f"{shown}: must be more than 0 seconds")
        return number
    raise _problem(key, "not a PyMySQL connection option (known: " + ", ".join(KNOWN) + ")")


def _problem(key: str, problem: str) -> ConfigurationError:
    return ConfigurationError(f"database URL: query parameter {key}: {problem}")
