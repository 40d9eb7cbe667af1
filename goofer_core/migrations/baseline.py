"""``baseline``: record migrations as applied without running them, for a schema that exists.

A database built by hand, by Flask-Migrate or by another tool already has what the first
migrations create: ``up`` would fail on ``relation "users" already exists``. ``baseline ID``
records every migration up to ``ID`` exactly as ``up`` would have (name, script, checksum, now),
so that ``up`` applies only what comes after. Importing another tool's history uses the same
step with an explicit set of ids (dbmate lists each applied version) and, for golang-migrate's
``dirty`` flag, one id recorded as failed part-way for ``resolve`` to settle.
"""

from __future__ import annotations

from ..errors import GooferError, UnknownMigrationError
from .tracking import RowState

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Collection

    from ..dialects import Connection, Dialect
    from .files import MigrationFile
    from .tracking import AppliedRow, TrackingTable


class BaselineError(GooferError):
    """A migration to baseline is already recorded differently; nothing was written."""


def select_baseline(
    files: list[MigrationFile], to: str | None, only: Collection[str] | None = None
) -> list[MigrationFile]:
    """Return the migrations to record: every one up to ``to``, or exactly the ids ``only``.

    An id that is not on disk is an error naming it.
    """
    on_disk = {m.id for m in files}
    if to is not None and to not in on_disk:
        raise UnknownMigrationError(f"baseline {to}: no migration with that id in the directory")
    if only is not None:
        unknown = sorted(set(only) - on_disk)
        if unknown:
            raise UnknownMigrationError(
                f"baseline {unknown[0]}: no migration with that id in the directory"
            )
        return [m for m in files if m.id in only]
    return [m for m in files if to is not None and m.id <= to]


def refuse_conflicts(
    chosen: list[MigrationFile], rows: dict[str, AppliedRow], failed: str | None
) -> list[MigrationFile]:
    """Return the migrations still to record; raise when one is recorded differently.

    A row with the same checksum in the state baseline would write is fine (a second baseline
    is a no-op); another checksum, or a row in another state, is refused: the tracking table
    says something baseline cannot know to be wrong.
    """
    todo = []
    for m in chosen:
        row = rows.get(m.id)
        want = RowState.FAILED if m.id == failed else RowState.APPLIED
        if row is None:
            todo.append(m)
        elif row.checksum != m.checksum:
            raise BaselineError(
                f"baseline: {m.up_filename} is already recorded with another checksum "
                f"({row.checksum}, the file's is {m.checksum}); nothing was recorded"
            )
        elif row.state != want and not (want == RowState.FAILED and row.state != "applied"):
            raise BaselineError(
                f"baseline: {m.up_filename} is already recorded as {row.state}, not "
                f"{want}; settle it with 'goofer resolve {m.id}' first; nothing was recorded"
            )
    return todo


def record_baseline(
    dialect: Dialect,
    conn: Connection,
    table: TrackingTable,
    counts: list[tuple[MigrationFile, int]],
    failed: str | None,
    failed_error: str | None,
) -> None:
    """Write the rows of (migration, statement count) in one transaction, as ``up`` would.

    ``failed`` is recorded as failed part-way with ``failed_error``, for ``resolve``.
    """
    dialect.begin(conn)
    try:
        for m, count in counts:
            if m.id == failed:
                table.insert(m, RowState.FAILED, 0)
                table.set_state(m.id, RowState.FAILED, 0, failed_error)
            else:
                table.insert(m, RowState.APPLIED, count)
        dialect.commit(conn)
    except BaseException:
        dialect.rollback(conn)
        raise
