"""Squashed migrations: one up file standing for the migrations it replaced.

``goofer squash --to ID NAME`` writes ``<ID>_<NAME>.up.sql``, whose first lines name every
migration it replaced::

    -- goofer:replaces 20240101000000_create_users
    -- goofer:replaces 20240102000000_add_email

It keeps the id of the last one, so it sorts where they were. A database where all of them
were applied (rows for each, the old checksums) counts it as applied: its rows are folded into
one, under the squashed migration's id and checksum, before anything is planned, so ``status``,
``up``, ``down``, ``sql`` and ``check`` see one applied migration. A fresh database applies it
like any other (one row). A database with only some of them is refused: the squashed file
cannot run on top of half of what it replaces.

Squashing again over a squashed migration carries its lines as ``-- goofer:also-replaces``:
rows of those (from a database older than the first squash) are folded away when present, and
never required.
"""

from __future__ import annotations

from ..errors import IntegrityError
from ..values import Record
from .tracking import AppliedRow, RowState

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .files import MigrationFile

REPLACES = "-- goofer:replaces "
ALSO_REPLACES = "-- goofer:also-replaces "


class Replaced(Record):
    """What a squashed up file's header says it replaced, as ``<id>_<name>`` labels."""

    required: tuple[str, ...]
    also: tuple[str, ...] = ()

    @property
    def ids(self) -> tuple[str, ...]:
        """Return the ids of the migrations a database must have applied to have this one."""
        return tuple(label[:14] for label in self.required)

    @property
    def also_ids(self) -> tuple[str, ...]:
        """Return the ids of rows folded away when present (an earlier squash's)."""
        return tuple(label[:14] for label in self.also)


def read_header(up_sql: str) -> Replaced | None:
    """Return what the up file's leading comment lines say it replaced; None for a plain file.

    Only the comment lines before the first statement count, so a ``-- goofer:replaces``
    quoted further down is text, not a header.
    """
    if "-- goofer:" not in up_sql:
        return None
    required: list[str] = []
    also: list[str] = []
    for line in up_sql.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("--"):
            break
        if stripped.startswith(REPLACES):
            required.append(stripped[len(REPLACES) :].strip())
        elif stripped.startswith(ALSO_REPLACES):
            also.append(stripped[len(ALSO_REPLACES) :].strip())
    return Replaced(tuple(required), tuple(also)) if required else None


class Folded(Record):
    """The tracking rows as the directory sees them, and the squashed ones half-applied here."""

    rows: dict[str, AppliedRow]
    #: squashed migration id -> (its up file, why it cannot be applied on this database)
    partial: dict[str, tuple[str, str]]

    @property
    def blocked(self) -> dict[str, str]:
        """Return {id: why} for the squashed migrations ``up`` refuses here (status details)."""
        return {mid: reason for mid, (_, reason) in self.partial.items()}


def fold_rows(files: list[MigrationFile], rows: dict[str, AppliedRow]) -> Folded:
    """Return the rows with each fully applied squashed history folded into one row.

    Runs only when some row has no file (the only way a squashed history shows up), so a
    directory without squashed migrations pays one set comparison.
    """
    on_disk = {m.id for m in files}
    if rows.keys() <= on_disk:
        return Folded(rows, {})
    rows = dict(rows)
    partial: dict[str, tuple[str, str]] = {}
    for m in files:
        replaced = read_header(m.up_sql)
        if replaced is None:
            continue
        own = rows.get(m.id)
        if own is not None and own.checksum == m.checksum:
            _drop(rows, replaced.ids + replaced.also_ids, keep=m.id)  # applied fresh
            continue
        present = [rows[i] for i in replaced.ids if i in rows]
        if not present or any(r.state != RowState.APPLIED for r in present):
            continue  # pending; or a failed row, reported as such
        if len(present) == len(replaced.ids):
            newest = max(r.applied_at for r in present)
            _drop(rows, replaced.ids + replaced.also_ids, keep=None)
            rows[m.id] = AppliedRow(m.id, m.name, newest, m.checksum, RowState.APPLIED, 0, None)
            continue
        _drop(rows, replaced.ids + replaced.also_ids, keep=None)
        partial[m.id] = (m.up_filename, _partial_reason(replaced, {r.id for r in present}))
    return Folded(rows, partial)


def _drop(rows: dict[str, AppliedRow], ids: tuple[str, ...], keep: str | None) -> None:
    for i in ids:
        if i != keep:
            rows.pop(i, None)


def _partial_reason(replaced: Replaced, present: set[str]) -> str:
    missing = [label for label in replaced.required if label[:14] not in present]
    return (
        f"squashes {len(replaced.required)} migrations, of which only "
        f"{len(present)} are applied on this database (not {', '.join(missing[:3])}"
        f"{', ...' if len(missing) > 3 else ''}); apply them with the files from before the "
        "squash first"
    )


def refuse_partial(folded: Folded) -> dict[str, AppliedRow]:
    """Return the folded rows; raise IntegrityError when a squashed history is half-applied."""
    for filename, reason in folded.partial.values():
        raise IntegrityError(f"{filename}: {reason}")
    return folded.rows


def covered_by_history(m: MigrationFile, checksums: dict[str, tuple[str, str]]) -> bool:
    """Return whether every migration ``m`` replaced has a row (the boot check, no lock)."""
    replaced = read_header(m.up_sql)
    return replaced is not None and all(i in checksums for i in replaced.ids)


def rows_to_delete(m: MigrationFile, rows: dict[str, AppliedRow]) -> tuple[str, ...]:
    """Return the rows that reverting ``m`` removes besides its own: those it folded."""
    replaced = read_header(m.up_sql)
    if replaced is None:
        return ()
    return tuple(i for i in replaced.ids + replaced.also_ids if i != m.id and i in rows)
