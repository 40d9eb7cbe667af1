"""Files for ``sqlite3 db < file``: bail out at the first error, hex for the stored script."""

from __future__ import annotations

from ..client_script import ClientScript


class Sqlite3Script(ClientScript):
    """Write a file for the ``sqlite3`` shell.

    Reading a file, the shell goes on after an error unless ``.bail on`` (a failed statement
    inside BEGIN ... COMMIT would be followed by the tracking row and the COMMIT). It also drops
    a CR before a line end, even inside a string, hence the hex blob for the script.
    """

    preamble = (".bail on",)

    def text(self, value: str) -> str:
        return f"CAST(X'{value.encode('utf-8').hex()}' AS TEXT)"

    def utc_now(self) -> str:
        # up stores datetime.isoformat(sep=" "): six digits of fraction; SQLite gives three.
        return "(strftime('%Y-%m-%d %H:%M:%f', 'now') || '000')"
