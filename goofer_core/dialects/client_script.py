"""How a SQL file is written for a dialect's own command-line client (``goofer sql --offline``).

The file is read by ``psql``, ``mariadb`` or ``sqlite3``, not sent statement by statement through
a driver, so three things differ from ``up``: the client must be told to stop at the first
error (or a failed statement would be followed by the tracking row that says it ran), it must
see where each statement ends, and text stored in the tracking table must reach the server
unchanged whatever the client's encoding and quoting settings. Each dialect's
``client_script.py`` says how for its client.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import ClassVar


class ClientScript:
    """Write the pieces of a SQL file for one dialect's command-line client."""

    #: Lines the client reads first: stop at the first error, read the file as UTF-8.
    preamble: ClassVar[tuple[str, ...]] = ()

    def statement(self, sql: str) -> str:
        """Return one statement (no terminator of its own) as the client must read it."""
        return sql + ";"

    def text(self, value: str) -> str:
        """Return an expression for ``value`` that reaches the server byte for byte.

        Written from the UTF-8 bytes in hex: no quote, backslash, CR or non-ASCII character is
        left for the client or the server's string settings to read differently.
        """
        raise NotImplementedError

    def word(self, value: str) -> str:
        """Return a plain string literal for an id, name, checksum or state (ASCII, no quote)."""
        if not value.isascii() or "'" in value or "\\" in value or not value.isprintable():
            return self.text(value)
        return f"'{value}'"

    def utc_now(self) -> str:
        """Return an expression for the current UTC time as ``up`` stores ``applied_at``."""
        raise NotImplementedError

    def begin(self) -> str:
        """Return the line that starts a migration's transaction."""
        return "BEGIN;"

    def commit(self) -> str:
        """Return the line that commits it."""
        return "COMMIT;"
