"""``verify``: check on a scratch database that each migration's down reverts its up.

For each migration checked, on one scratch database of the target dialect: apply the up, revert
it with the down, and apply the up again, reading the schema back after each step. The down
must leave exactly the schema that was there before the up, and the second up must succeed and
give the schema the first one gave. Migrations are applied by a ``Migrator`` on the scratch
connection (with its own tracking table), so verify runs what ``up`` and ``down`` will run,
transactions, ``-- goofer:no-transaction`` and all. The real database is at most read (its
tracking table, for ``pending``); the scratch database is always dropped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..dialects import Connection, get_dialect
from ..errors import ConfigurationError, GooferError, MigrationFailedError
from ..migrations.base import SchemaBase, load_base, stand_on
from ..migrations.events import Event
from ..migrations.files import MigrationFile, load_migrations
from ..migrations.migrator import Migrator
from ..migrations.scratch import SHADOW_PREFIX, scratch_connection
from ..url import DatabaseURL
from ..values import Choice
from .snapshot import Difference, Snapshot, compare_snapshots, read_snapshot


class Result(Choice):
    """How one migration fared."""

    PASSED = "passed"  # up, down and up again all right
    FAILED = "failed"  # the first problem found; verify stops there
    REPLAYED = "replayed"  # applied only to reach the state to check from (--pending)
    SKIPPED = "skipped"  # not reached: a migration before it failed


# What went wrong, and how the report says it in a few words.
PROBLEMS = {
    "up_failed": "up fails",
    "down_failed": "down fails",
    "not_reverted": "down does not revert up",
    "reapply_failed": "up fails when applied again after down",
    "reapply_differs": "up applied again after down gives a different schema",
}
# Which two schemas a problem's differences compare.
LABELS = {
    "not_reverted": ("before up", "after down"),
    "reapply_differs": ("after the first up", "after up again"),
}


@dataclass(frozen=True)
class MigrationCheck:
    """How one migration fared: its result, time taken, and what went wrong, if anything."""

    migration: MigrationFile
    result: Result
    seconds: float | None = None
    problem: str | None = None
    message: str | None = None
    differences: tuple[Difference, ...] = ()

    @property
    def labels(self) -> tuple[str, str]:
        """Return the names of the two schemas the differences compare."""
        return LABELS.get(self.problem or "", ("before up", "after down"))

    @property
    def summary(self) -> str:
        """Return the problem in a few words (empty when there is none)."""
        return PROBLEMS.get(self.problem or "", "")

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON object ``verify --json`` prints for this migration."""
        return {
            "id": self.migration.id,
            "name": self.migration.name,
            "result": self.result,
            "seconds": None if self.seconds is None else round(self.seconds, 6),
            "problem": self.problem,
            "message": self.message,
            "differences": [d.as_dict(*self.labels) for d in self.differences],
        }


@dataclass(frozen=True)
class VerifyResult:
    """Every migration verify went through, in the order it applied them."""

    dialect: str
    checks: tuple[MigrationCheck, ...] = ()
    pending_only: bool = False

    @property
    def ok(self) -> bool:
        """Return whether no migration failed."""
        return self.failure is None

    @property
    def failure(self) -> MigrationCheck | None:
        """Return the migration that failed, or None."""
        return next((c for c in self.checks if c.result == Result.FAILED), None)

    @property
    def verified(self) -> list[MigrationCheck]:
        """Return the migrations that passed."""
        return [c for c in self.checks if c.result == Result.PASSED]

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON object ``verify --json`` prints."""
        return {
            "ok": self.ok,
            "dialect": self.dialect,
            "pending_only": self.pending_only,
            "migrations": [c.as_dict() for c in self.checks],
        }


ProgressHandler = Callable[[MigrationCheck], None]


def pending_ids(migrator: Migrator) -> set[str]:
    """Return the ids of the migrations pending on ``migrator``'s database (read-only)."""
    return {s.id for s in migrator.status() if s.state == "pending"}


def verify_migrations(
    directory: str | Path,
    *,
    database_url: str | DatabaseURL | None = None,
    dialect: str | None = None,
    shadow_url: str | DatabaseURL | None = None,
    shadow_prefix: str = SHADOW_PREFIX,
    table: str = "migrations",
    only: Collection[str] | None = None,
    on_progress: ProgressHandler | None = None,
    base: str | Path | SchemaBase | None = None,
) -> VerifyResult:
    """Check the migrations of ``directory`` on a scratch database; return how each fared.

    The scratch database has the dialect of ``dialect`` (else of the URLs) and, on PostgreSQL
    and MySQL, lives on the server of ``shadow_url`` (else ``database_url``), which is only
    used to create and drop it. ``only`` limits the checks to those ids (the pending ones):
    the others are applied first, as ``up`` has applied them, then those are checked in id
    order. ``on_progress`` gets each migration as it finishes; nothing is printed. ``base``
    (a SQL file's path or a ``SchemaBase``) is built first: the tables the migrations stand on.
    """
    files = load_migrations(directory)
    server = _url(shadow_url) or _url(database_url)
    name = dialect or (server.dialect if server else None)
    if name is None:
        raise ConfigurationError(
            "verify needs the dialect: pass --database-url "
            "(or a dialect or database_url to verify_migrations)"
        )
    scratch = get_dialect(name)
    dialect_name = scratch.name
    if server is None and not scratch.scratch_in_memory:
        raise ConfigurationError(
            f"verify on {dialect_name} needs a server for its scratch database: "
            "set --database-url / GOOFER_DATABASE_URL or --shadow-url / GOOFER_SHADOW_DATABASE_URL"
        )
    replay = [m for m in files if only is not None and m.id not in only]
    to_check = [m for m in files if only is None or m.id in only]
    if not to_check:
        return VerifyResult(dialect_name, pending_only=only is not None)
    with scratch_connection(dialect_name, server, shadow_prefix) as conn:
        stand_on(conn, scratch, load_base(base))
        run = _ScratchRun(conn, dialect_name, Path(directory), table, on_progress)
        run.replay(replay)
        for migration in to_check:
            if run.failed:
                run.record(MigrationCheck(migration, Result.SKIPPED))
            else:
                run.check(migration)
    return VerifyResult(dialect_name, tuple(run.checks), pending_only=only is not None)


def _url(value: str | DatabaseURL | None) -> DatabaseURL | None:
    return DatabaseURL.parse(value) if isinstance(value, str) else value


def _error_text(exc: GooferError) -> str:
    """Return the error's one line, without the part-way advice meant for a real database."""
    if isinstance(exc, MigrationFailedError):
        return f"{exc.filename}: statement {exc.statement} (line {exc.line}): {exc.db_message}"
    return str(exc)


class _ScratchMigrator(Migrator):
    """A Migrator on the scratch connection that sees only the migrations verify has reached."""

    def __init__(
        self,
        conn: Connection,
        dialect: str,
        directory: Path,
        table: str,
        on_event: Callable[[Event], None],
    ) -> None:
        super().__init__(conn, dialect, directory, table=table, on_event=on_event)
        self.visible: list[MigrationFile] = []

    def files(self, read_up: bool = True) -> list[MigrationFile]:
        """Return the migrations verify has reached (the directory is read once, by verify)."""
        return list(self.visible)


@dataclass
class _ScratchRun:
    """One verify run on one scratch connection: the migrations so far and the last schema."""

    conn: Connection
    dialect: str
    directory: Path
    table: str
    on_progress: ProgressHandler | None
    checks: list[MigrationCheck] = field(default_factory=list)
    failed: bool = False
    replaying: bool = False
    replay_mark: float = 0.0
    snapshot: Snapshot | None = None
    migrator: _ScratchMigrator = field(init=False)

    def __post_init__(self) -> None:
        self.migrator = _ScratchMigrator(
            self.conn, self.dialect, self.directory, self.table, self._replayed
        )

    def record(self, check: MigrationCheck) -> None:
        """Keep ``check`` and report it (skipped migrations are kept, not reported)."""
        self.checks.append(check)
        self.failed = self.failed or check.result == Result.FAILED
        if self.on_progress is not None and check.result != Result.SKIPPED:
            self.on_progress(check)

    def read(self) -> Snapshot:
        """Read the scratch database's schema, without its tracking table."""
        return read_snapshot(self.dialect, self.conn, self.table)

    def _replayed(self, event: Event) -> None:
        if event.kind == "applied" and event.migration is not None and self.replaying:
            self.record(MigrationCheck(event.migration, Result.REPLAYED, event.seconds))
            self.replay_mark = time.perf_counter()

    def replay(self, migrations: list[MigrationFile]) -> None:
        """Apply ``migrations`` (already applied on the real database) in one run."""
        if not migrations:
            return
        self.migrator.visible = list(migrations)
        self.replaying = True
        self.replay_mark = time.perf_counter()
        try:
            self.migrator.up()
        except GooferError as exc:
            done = {c.migration.id for c in self.checks}
            broken = next(m for m in migrations if m.id not in done)
            elapsed = time.perf_counter() - self.replay_mark
            self.record(
                MigrationCheck(
                    broken,
                    Result.FAILED,
                    elapsed,
                    "up_failed",
                    f"{PROBLEMS['up_failed']}: {_error_text(exc)}",
                )
            )
            for later in migrations[migrations.index(broken) + 1 :]:
                self.record(MigrationCheck(later, Result.SKIPPED))
        finally:
            self.replaying = False

    def check(self, migration: MigrationFile) -> None:
        """Apply, revert and re-apply ``migration``, comparing the schema after each step."""
        start = time.perf_counter()
        before = self.snapshot or self.read()
        self.migrator.visible.append(migration)
        step = "up_failed"
        try:
            self.migrator.up()
            after_up = self.read()
            step = "down_failed"
            self._revert(migration)
            after_down = self.read()
            problem, differences = "not_reverted", compare_snapshots(before, after_down)
            if not differences:
                step = "reapply_failed"
                self.migrator.up()
                self.snapshot = self.read()
                problem, differences = "reapply_differs", compare_snapshots(after_up, self.snapshot)
        except GooferError as exc:
            self.record(
                MigrationCheck(
                    migration,
                    Result.FAILED,
                    time.perf_counter() - start,
                    step,
                    f"{PROBLEMS[step]}: {_error_text(exc)}",
                )
            )
            return
        elapsed = time.perf_counter() - start
        if differences:
            self.record(
                MigrationCheck(
                    migration,
                    Result.FAILED,
                    elapsed,
                    problem,
                    _difference_message(migration, problem),
                    tuple(differences),
                )
            )
        else:
            self.record(MigrationCheck(migration, Result.PASSED, elapsed))

    def _revert(self, migration: MigrationFile) -> None:
        reverted = self.migrator.revert(steps=1)
        if [m.id for m in reverted] != [migration.id]:  # pragma: no cover - applied_at tie
            raise GooferError(
                f"{migration.label}: the scratch database reverted "
                f"{', '.join(m.label for m in reverted) or 'nothing'} instead"
            )


def _difference_message(migration: MigrationFile, problem: str) -> str:
    if problem == "not_reverted":
        return (
            f"{migration.down_filename} does not revert the up: after up and down, the "
            "schema differs from before up"
        )
    return (
        f"{migration.up_filename} applied again after the down gives a different schema "
        "than the first time"
    )
