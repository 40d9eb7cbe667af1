"""Plans: which migrations ``up`` applies and ``down`` reverts, and the status of each."""

from __future__ import annotations

from ..errors import GooferError, IntegrityError, UnknownMigrationError
from ..values import Choice, Record
from .squashed import covered_by_history
from .tracking import RowState

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime

    from .files import MigrationFile
    from .tracking import AppliedRow


class MigrationState(Choice):
    """What ``status`` says of a migration."""

    APPLIED = "applied"
    PENDING = "pending"  # on disk, not in the table
    MODIFIED = "modified"  # applied, but its up file's checksum differs
    MISSING = "missing"  # applied, but its files are gone
    FAILED = "failed"  # stopped part-way (a dialect without transactional DDL)


class MigrationStatus(Record):
    """The state of one migration, from its files and its tracking row."""

    id: str
    name: str
    state: MigrationState
    applied_at: datetime | None
    detail: str | None = None
    #: For a failed one: whether it stopped while "applying" or "reverting".
    failed_while: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        """Return the JSON object ``status --json`` prints."""
        stamp = self.applied_at.isoformat(timespec="seconds") + "Z" if self.applied_at else None
        return {
            "id": self.id,
            "name": self.name,
            "state": self.state.value,
            "applied_at": stamp,
            "detail": self.detail,
            "failed_while": self.failed_while,
        }


def compute_status(
    files: list[MigrationFile],
    rows: dict[str, AppliedRow],
    blocked: dict[str, str] | None = None,
) -> list[MigrationStatus]:
    """Return the status of every migration on disk or in the table, in id order.

    ``blocked``: pending migrations that ``up`` refuses, with why (a squashed migration whose
    replaced migrations are only partly applied); the reason is their ``detail``.
    """
    blocked = blocked or {}
    by_id = {m.id: m for m in files}
    result = []
    for mid in sorted(by_id.keys() | rows.keys()):
        m, row = by_id.get(mid), rows.get(mid)
        if row is None:
            assert m is not None
            detail = blocked.get(mid)
            result.append(MigrationStatus(mid, m.name, MigrationState.PENDING, None, detail))
        elif row.state != RowState.APPLIED:
            while_ = " while reverting" if row.state.reverting else ""
            detail = (
                f"stopped part-way{while_} ({row.state}, {row.statements_done} statements done)"
                + (f": {row.error}" if row.error else "")
            )
            failed_while = "reverting" if row.state.reverting else "applying"
            result.append(
                MigrationStatus(
                    mid, row.name, MigrationState.FAILED, row.applied_at, detail, failed_while
                )
            )
        elif m is None:
            result.append(MigrationStatus(mid, row.name, MigrationState.MISSING, row.applied_at))
        elif m.checksum != row.checksum:
            result.append(MigrationStatus(mid, m.name, MigrationState.MODIFIED, row.applied_at))
        else:
            result.append(MigrationStatus(mid, m.name, MigrationState.APPLIED, row.applied_at))
    return result


def refuse_failed(rows: dict[str, AppliedRow]) -> None:
    """Raise IntegrityError if a migration stopped part-way and is not resolved yet."""
    for row in sorted(rows.values(), key=lambda r: r.id):
        if row.state != RowState.APPLIED:
            while_ = " while reverting" if row.state.reverting else ""
            raise IntegrityError(
                f"{row.id}_{row.name}: failed part-way{while_} ({row.statements_done} statements "
                f"ran{': ' + row.error if row.error else ''}); {resolve_hint(row.id, row.state)}"
            )


def resolve_hint(migration_id: str, state: RowState) -> str:
    """Return what to do about a migration that stopped part-way, naming the resolve command."""
    if state.reverting:
        return (
            "finish its down by hand and run "
            f"'goofer resolve {migration_id} --rolled-back', or undo what the down did and run "
            f"'goofer resolve {migration_id} --applied'"
        )
    return (
        f"repair the database by hand, then run 'goofer resolve {migration_id} --applied' "
        "or '--rolled-back'"
    )


def refuse_modified(files: list[MigrationFile], rows: dict[str, AppliedRow]) -> None:
    """Raise IntegrityError naming every applied file whose checksum changed."""
    by_id = {m.id: m for m in files}
    modified = [
        by_id[r.id].up_filename
        for r in sorted(rows.values(), key=lambda r: r.id)
        if r.id in by_id and by_id[r.id].checksum != r.checksum
    ]
    if modified:
        raise IntegrityError(
            f"{', '.join(modified)}: modified after being applied (checksum differs); "
            "restore the applied version and put the change in a new migration"
        )


def plan_up(
    files: list[MigrationFile], rows: dict[str, AppliedRow], to: str | None = None
) -> list[MigrationFile]:
    """Return the pending migrations to apply, in id order, up to and including ``to``."""
    refuse_failed(rows)
    refuse_modified(files, rows)
    if to is not None and to not in {m.id for m in files}:
        raise UnknownMigrationError(f"--to {to}: no migration with that id in the directory")
    pending = [m for m in files if m.id not in rows]
    if to is not None:
        pending = [m for m in pending if m.id <= to]
    return pending


def is_up_to_date(
    files: list[MigrationFile], checksums: dict[str, tuple[str, str]], to: str | None = None
) -> bool:
    """Return True when every row is applied and unchanged and nothing is pending.

    ``checksums`` is {id: (checksum, state)} (``TrackingTable.read_checksums_if_exists``).
    Read without the lock: a row another process is running right now is not up to date, so
    the caller takes the lock and looks again rather than reporting it as failed.
    """
    if any(state != RowState.APPLIED for _, state in checksums.values()):
        return False
    for m in files:
        row = checksums.get(m.id)
        if row is None:
            if to is None or m.id <= to:
                return False  # pending
        elif row[0] != m.checksum and not covered_by_history(m, checksums):
            return False  # modified: the locked path raises, naming the file
    return True


def out_of_order(pending: list[MigrationFile], rows: dict[str, AppliedRow]) -> list[MigrationFile]:
    """Return the pending migrations older than the newest applied one."""
    newest = max(rows, default="")
    return [m for m in pending if m.id < newest]


def applied_order(rows: dict[str, AppliedRow]) -> list[AppliedRow]:
    """Return applied rows oldest first by when they were applied (ties by id)."""
    return sorted(rows.values(), key=lambda r: (r.applied_at, r.id))


def plan_down(
    files: list[MigrationFile],
    rows: dict[str, AppliedRow],
    steps: int = 1,
    to: str | None = None,
    everything: bool = False,
) -> list[MigrationFile]:
    """Return the migrations to revert, newest applied first.

    ``to`` reverts everything applied after it; ``everything`` reverts all; else ``steps``.
    A modified up file does not block a revert: editing the newest migration, reverting it and
    applying it again is the normal way to develop one.
    """
    refuse_failed(rows)
    order = applied_order(rows)
    if to is not None:
        ids = [r.id for r in order]
        if to not in ids:
            raise UnknownMigrationError(f"--to {to}: that migration is not applied")
        chosen = order[ids.index(to) + 1 :]
    elif everything:
        chosen = order
    else:
        if steps < 1:
            raise GooferError(f"--steps {steps}: must be at least 1")
        chosen = order[-steps:]
    by_id = {m.id: m for m in files}
    plan = []
    for row in reversed(chosen):
        if row.id not in by_id:
            raise IntegrityError(
                f"{row.id}_{row.name}: cannot revert, its files are missing from the directory"
            )
        plan.append(by_id[row.id])
    return plan
