"""Read another tool's tracking table: how far golang-migrate or dbmate got on a database.

golang-migrate keeps one row, ``schema_migrations (version bigint, dirty boolean)``: every
version up to ``version`` is applied, and ``dirty`` means that version stopped part-way.
dbmate keeps one row per applied version, ``schema_migrations (version varchar)``: exactly
those are applied, and a version missing between two listed ones is pending. The table is
only read, never changed.
"""

from __future__ import annotations

from typing import NamedTuple

from ..errors import GooferError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..dialects import Connection, Dialect


class ForeignHistory(NamedTuple):
    """What the other tool recorded: the applied versions and the one that stopped part-way."""

    applied: frozenset[int]
    dirty: int | None = None
    #: golang-migrate: every version up to this one counts as applied (None: see ``applied``).
    up_to: int | None = None
    missing: bool = False  # the database has no such table: nothing applied


def read_history(tool: str, dialect: Dialect, conn: Connection, table: str) -> ForeignHistory:
    """Return what ``tool``'s tracking table ``table`` says is applied (None: no such table)."""
    cursor = conn.cursor()
    columns = "version, dirty" if tool == "golang-migrate" else "version"
    try:
        cursor.execute(f"SELECT {columns} FROM {dialect.quote(table)}")
        rows = list(cursor.fetchall())
    except dialect.driver_errors() as exc:
        if dialect.not_there_yet(exc):
            return ForeignHistory(frozenset(), missing=True)
        raise GooferError(
            f"{tool} tracking table {table}: cannot read it ({dialect.describe_error(exc)}); "
            "name it with --from-table"
        ) from None
    if tool == "golang-migrate":
        return _golang(table, rows)
    return ForeignHistory(frozenset(int(str(r[0]).strip()) for r in rows))


def _golang(table: str, rows: list[tuple[object, ...]]) -> ForeignHistory:
    if not rows:
        return ForeignHistory(frozenset())
    if len(rows) > 1:
        raise GooferError(
            f"golang-migrate tracking table {table}: {len(rows)} rows, golang-migrate keeps one"
        )
    version, dirty = int(str(rows[0][0])), bool(rows[0][1])
    if version < 0:
        if dirty:
            raise GooferError(
                f"golang-migrate tracking table {table}: dirty with no version; settle it with "
                "golang-migrate's 'migrate force' first"
            )
        return ForeignHistory(frozenset())
    return ForeignHistory(frozenset(), version if dirty else None, version)
