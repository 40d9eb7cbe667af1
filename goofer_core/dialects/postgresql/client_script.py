"""Files for ``psql -f``: stop at the first error, UTF-8 text, hex for the stored script."""

from __future__ import annotations

from ..client_script import ClientScript


class PsqlScript(ClientScript):
    """Write a file for ``psql``.

    ``ON_ERROR_STOP`` is set in the file itself: without it psql goes on after a failed
    migration (its transaction aborted) to the next one. The client encoding is set as
    ``pg_dump`` sets it, so non-ASCII text in the migrations reads as UTF-8 whatever the DBA's
    locale.
    """

    preamble = ("\\set ON_ERROR_STOP on", "SET client_encoding = 'UTF8';")

    def text(self, value: str) -> str:
        # decode(..., 'hex') takes a plain string: unlike '\x..', it does not depend on
        # standard_conforming_strings.
        return f"convert_from(decode('{value.encode('utf-8').hex()}', 'hex'), 'UTF8')"

    def utc_now(self) -> str:
        # clock_timestamp(), not now(): the time of the insert, as up's utc_now() is.
        return "(clock_timestamp() AT TIME ZONE 'UTC')"
