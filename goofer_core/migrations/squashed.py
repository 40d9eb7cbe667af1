"""Squashed migrations: one up file standing for the migrations it replaced.

``goofer squash --to ID NAME`` writes ``<ID>_<NAME>.up.sql``, whose first lines name every
migration it replaced, with the checksum of the file that was squashed::

    -- goofer:replaces 20240101000000_create_users 5d41402abc4b2a76b9719d911017c592
    -- goofer:replaces 20240102000000_add_email 7d793037a0760186574b0282f2f435e7

It keeps the id of the last one, so it sorts where they were. A database where all of them
were applied, as they were squashed, counts it as applied: their rows are folded into one,
under the squashed migration's id and checksum, before anything is planned, so ``status``,
``up``, ``down``, ``sql`` and ``check`` see one applied migration; if one of them was applied
in another version (its checksum differs), the squashed migration is ``modified``. A fresh
database applies it like any other (one row). A database with only some of them is refused:
the squashed file cannot run on top of half of what it replaces.

Squashing again over a squashed migration carries the ones it replaced as
``-- goofer:also-replaces`` lines: rows of those (from a database older than the first squash)
are folded away when present, and never required."""

from __future__ import annotations

from ..errors import IntegrityError
from ..values import Record
from .tracking import AppliedRow, RowState

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .files import MigrationFile

REPLACES = "-- goofer:replaces "
ALSO_REPLACES = "-- goofer:also-replaces "


class Entry(Record):
    """One replaced migration: ``<id>_<name>`` and the checksums its row may have."""

    label: str
    #: Empty: any (a header written by hand without them).
    checksums: frozenset[str] = frozenset()

    @property
    def id(self) -> str:
        """Return the replaced migration's id."""
        return self.label[:14]

    def line(self) -> str:
        """Return the header line that names it."""
        return f"{REPLACES}{self.label} {','.join(sorted(self.checksums))}".rstrip()

    def matches(self, checksum: str) -> bool:
        """Return whether a row with ``checksum`` is this migration as it was squashed."""
        return not self.checksums or checksum in self.checksums


class Replaced(Record):
    """What a squashed up file's header says it replaced."""

    required: tuple[Entry, ...]
    also: tuple[str, ...] = ()  # labels

    @property
    def ids(self) -> tuple[str, ...]:
        """Return the ids of the migrations a database must have applied to have this one."""
        return tuple(entry.id for entry in self.required)

    @property
    def also_ids(self) -> tuple[str, ...]:
        """Return the ids of rows folded away when present (an earlier squash's)."""
        return tuple(label[:14] for label in self.also)


def read_header(up_sql: str) -> Replaced | None:
    """Return what the up file's leading comment lines say it replaced; None for a plain file.

    Only the comment lines before the first statement count, so a ``-- goofer:replaces``
    quoted further down is text, not a header. A line is ``-- goofer:replaces <id>_<name>
    <md5>[,<md5>...]``: the checksums the replaced migration's row may have (two for a
    squashed migration squashed again: its own, and that of the migration whose id it kept).
    """
    if "-- goofer:" not in up_sql:
        return None
    required: list[Entry] = []
    also: list[str] = []
    for line in up_sql.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("--"):
            break
        if stripped.startswith(REPLACES):
            label, _, sums = stripped[len(REPLACES) :].strip().partition(" ")
            checksums = frozenset(c for c in sums.strip().split(",") if c)
            required.append(Entry(label, checksums))
        elif stripped.startswith(ALSO_REPLACES):
            also.append(stripped[len(ALSO_REPLACES) :].strip())
    return Replaced(tuple(required), tuple(also)) if required else None


def entry_for(m: MigrationFile) -> Entry:
    """Return how a squash names ``m`` among the migrations it replaces."""
    checksums = {m.checksum}
    earlier = read_header(m.up_sql)
    if earlier is not None:  # squashed before: a database may have the row of the id it kept
        checksums |= {c for e in earlier.required if e.id == m.id for c in e.checksums}
    return Entry(m.label, frozenset(checksums))


def also_for(m: MigrationFile) -> list[str]:
    """Return the labels an earlier squash ``m`` replaced, besides its own id."""
    earlier = read_header(m.up_sql)
    if earlier is None:
        return []
    return [e.label for e in earlier.required if e.id != m.id] + list(earlier.also)


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
        if replaced is not None:
            _fold_one(m, replaced, rows, partial)
    return Folded(rows, partial)


def _fold_one(
    m: MigrationFile,
    replaced: Replaced,
    rows: dict[str, AppliedRow],
    partial: dict[str, tuple[str, str]],
) -> None:
    """Fold the rows ``m`` replaced into one row for it, or say why it cannot be applied."""
    own = rows.get(m.id)
    entries = {entry.id: entry for entry in replaced.required}
    if own is not None and (
        own.checksum == m.checksum  # applied as the squashed migration
        or (m.id in entries and not entries[m.id].matches(own.checksum))  # or edited since
    ):
        _drop(rows, replaced.ids + replaced.also_ids, keep=m.id)
        return
    present = [rows[i] for i in replaced.ids if i in rows]
    if not present or any(r.state != RowState.APPLIED for r in present):
        return  # pending; or a failed row, reported as such
    _drop(rows, replaced.ids + replaced.also_ids, keep=None)
    if len(present) < len(replaced.ids):
        partial[m.id] = (m.up_filename, _partial_reason(replaced, {r.id for r in present}))
        return
    # Every replaced migration applied: as squashed, or in another version (then "modified").
    same = all(entries[r.id].matches(r.checksum) for r in present)
    checksum = m.checksum if same else ""
    newest = max(r.applied_at for r in present)
    rows[m.id] = AppliedRow(m.id, m.name, newest, checksum, RowState.APPLIED, 0, None)


def _drop(rows: dict[str, AppliedRow], ids: tuple[str, ...], keep: str | None) -> None:
    for i in ids:
        if i != keep:
            rows.pop(i, None)


def _partial_reason(replaced: Replaced, present: set[str]) -> str:
    missing = [e.label for e in replaced.required if e.id not in present]
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
    """Return whether every migration ``m`` replaced has its row, as squashed (the boot check)."""
    replaced = read_header(m.up_sql)
    return replaced is not None and all(
        e.id in checksums and e.matches(checksums[e.id][0]) for e in replaced.required
    )


def rows_to_delete(m: MigrationFile, rows: dict[str, AppliedRow]) -> tuple[str, ...]:
    """Return the rows that reverting ``m`` removes besides its own: those it folded."""
    replaced = read_header(m.up_sql)
    if replaced is None:
        return ()
    return tuple(i for i in replaced.ids + replaced.also_ids if i != m.id and i in rows)
