"""Files for ``mariadb < file`` / ``mysql < file``: DELIMITER around bodies, hex for text."""

from __future__ import annotations

from ..client_script import ClientScript

#: Delimiters tried, in order, for a statement that holds ';' (a trigger, a stored routine).
_DELIMITERS = ("//", "$$", "@@")


class MysqlClientScript(ClientScript):
    """Write a file for the ``mariadb`` or ``mysql`` client.

    The client stops at the first error by default. It ends a statement at the first ``;``
    outside quotes, so a body with ``;`` inside goes between ``DELIMITER`` lines, with a
    delimiter that does not occur in it. ``SET NAMES`` makes the client's character set the one
    Goofer's own connection uses (the client's default follows the locale).
    """

    preamble = ("SET NAMES utf8mb4;",)

    def statement(self, sql: str) -> str:
        if ";" not in sql:
            return sql + ";"
        candidates = (*_DELIMITERS, *(f"//{n}" for n in range(1, len(sql) + 2)))
        # The client ends the statement at the first occurrence: it must be the appended one.
        delimiter = next(d for d in candidates if (sql + d).find(d) == len(sql))
        return f"DELIMITER {delimiter}\n{sql}{delimiter}\nDELIMITER ;"

    def text(self, value: str) -> str:
        # Hex is read the same under every sql_mode (NO_BACKSLASH_ESCAPES or not).
        return f"CONVERT(X'{value.encode('utf-8').hex()}' USING utf8mb4)"

    def utc_now(self) -> str:
        return "UTC_TIMESTAMP(6)"
