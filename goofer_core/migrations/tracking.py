"""The tracking table: which migrations are applied, with their script and checksum."""

from __future__ import annotations

from datetime import datetime, timezone

from ..dialects.base import plain_identifier, split_table_name
from ..errors import ConfigurationError, GooferError
from ..values import Choice, Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..dialects import Connection, Dialect
    from .files import MigrationFile


class RowState(Choice):
    """The state column of a tracking row.

    A row in any state but APPLIED after its run ended means a migration that could not run in
    a transaction stopped part-way; ``status`` shows all of them as ``failed``.
    """

    APPLIED = "applied"
    RUNNING = "running"  # its up is running (or the process died part-way)
    REVERTING = "reverting"  # its down is running (or the process died part-way)
    FAILED = "failed"  # a statement of its up failed; ``error`` says which
    REVERT_FAILED = "revert-failed"  # a statement of its down failed

    @property
    def reverting(self) -> bool:
        """Return whether the migration stopped while its down was running."""
        return self in (RowState.REVERTING, RowState.REVERT_FAILED)


#: The columns ``insert`` writes, in its order (``sql --offline`` writes the same row).
ROW_COLUMNS = ("id", "name", "applied_at", "script", "checksum", "state", "statements_done")


def utc_now() -> datetime:
    """Return the current UTC time as a naive datetime (the tracking table stores UTC)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class AppliedRow(Record):
    """One row of the tracking table (the script text is not read)."""

    id: str
    name: str
    applied_at: datetime
    checksum: str
    state: RowState
    statements_done: int
    error: str | None


class TrackingTable:
    """Read and write the tracking table on one connection."""

    def __init__(self, dialect: Dialect, conn: Connection, table: str) -> None:
        self.dialect = dialect
        self.conn = conn
        self.table = table  # as the user wrote it: NAME or SCHEMA.NAME
        self.namespace, self.name = split_table_name(table)
        # Before ``pin``, a plain name is read as the database resolves it: on PostgreSQL by the
        # search_path, the very rule ``Dialect.qualify`` pins with (the table to_regclass finds),
        # so the lock-free check reads the table the locked path then writes, without a query
        # to resolve it first (the boot path stays one round trip).
        self.sql_name = (
            dialect.quote(self.name)
            if self.namespace is None
            else f"{dialect.quote(self.namespace)}.{dialect.quote(self.name)}"
        )
        self._pinned = self.namespace is not None
        self._p = dialect.placeholder
        self._cur: Any = None

    def _execute(self, sql: str, params: tuple[Any, ...] | None = None) -> Any:
        # One cursor for the table's queries: a run writes a row per migration.
        cur = self._cur
        if cur is None:
            cur = self._cur = self.conn.cursor()
        if params is None:
            cur.execute(sql)
        else:
            cur.execute(sql, params)
        return cur

    def pin(self) -> TrackingTable:
        """Resolve a plain name's schema/database (under the lock); later queries use it."""
        if not self._pinned:
            self.sql_name = self.dialect.qualify(self.conn, self.namespace, self.name)
            self._pinned = True
        return self

    def create(self) -> None:
        """Create the table if it does not exist (only ever under the lock)."""
        try:
            self._execute(self.dialect.tracking_table_ddl(self.sql_name))
        except self.dialect.driver_errors():
            self._refuse_missing_namespace()
            raise

    def _refuse_missing_namespace(self) -> None:
        """Raise naming the schema (database) the user named, when it does not exist."""
        if self.namespace is None or self.dialect.namespace_exists(self.conn, self.namespace):
            return
        raise ConfigurationError(
            f"tracking table {self.table}: {self.dialect.namespace} {self.namespace} does not exist"
        )

    def _select(self) -> dict[str, AppliedRow]:
        cur = self._execute(
            "SELECT id, name, applied_at, checksum, state, statements_done, error "
            f"FROM {self.sql_name}"
        )
        return {str(r[0]): _row(r) for r in cur.fetchall()}

    def read(self) -> dict[str, AppliedRow]:
        """Return every row keyed by id; raise GooferError if the table is not Goofer's."""
        try:
            return self._select()
        except self.dialect.driver_errors() as exc:
            raise self._unreadable(exc) from None

    def _unreadable(self, exc: BaseException) -> GooferError:
        return GooferError(
            f"tracking table {self.table}: cannot read it ({self.dialect.describe_error(exc)});"
            " if another tool owns a table of that name, choose another with "
            "--table / GOOFER_TABLE"
        )

    def read_if_exists(self) -> dict[str, AppliedRow] | None:
        """Return the rows, or None when there is no table yet (no lock needed).

        Any other failure (no permission to read it, a table of that name that is not
        Goofer's) raises: taking it for "nothing applied" would call every migration pending.
        """
        try:
            return self._select()
        except self.dialect.driver_errors() as exc:
            if self.dialect.not_there_yet(exc):
                self._refuse_missing_namespace()
                return None
            raise self._unreadable(exc) from None

    def read_checksums_if_exists(self) -> dict[str, tuple[str, str]] | None:
        """Return {id: (checksum, state)}, or None when the table cannot be read yet.

        The boot check needs no more: no names or timestamps to convert for every row.
        """
        try:
            cur = self._execute(f"SELECT id, checksum, state FROM {self.sql_name}")
            return {str(r[0]): (str(r[1]), str(r[2])) for r in cur.fetchall()}
        except self.dialect.driver_errors() as exc:
            if self.dialect.not_there_yet(exc):
                self._refuse_missing_namespace()
                return None
            raise self._unreadable(exc) from None

    def insert(self, migration: MigrationFile, state: RowState, statements_done: int) -> None:
        """Record ``migration`` with its script and checksum."""
        p = self._p
        self._execute(
            f"INSERT INTO {self.sql_name} ({', '.join(ROW_COLUMNS)}) "
            f"VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p})",
            (
                migration.id,
                migration.name,
                self.dialect.timestamp_param(utc_now()),
                migration.up_sql,
                migration.checksum,
                state.value,  # a plain str: psycopg would store an Enum by its member's name
                statements_done,
            ),
        )

    def set_state(
        self, migration_id: str, state: RowState, statements_done: int, error: str | None = None
    ) -> None:
        """Update a row's state and progress (non-transactional runs)."""
        p = self._p
        self._execute(
            f"UPDATE {self.sql_name} SET state = {p}, statements_done = {p}, error = {p} "
            f"WHERE id = {p}",
            (state.value, statements_done, error, migration_id),
        )

    def mark_resolved(self, migration: MigrationFile | None, migration_id: str) -> None:
        """Mark a part-way row as applied, adopting the file's current script and checksum."""
        p = self._p
        if migration is None:
            self._execute(
                f"UPDATE {self.sql_name} SET state = {p}, error = NULL WHERE id = {p}",
                (RowState.APPLIED.value, migration_id),
            )
            return
        self._execute(
            f"UPDATE {self.sql_name} SET state = {p}, error = NULL, applied_at = {p}, "
            f"script = {p}, checksum = {p} WHERE id = {p}",
            (
                RowState.APPLIED.value,
                self.dialect.timestamp_param(utc_now()),
                migration.up_sql,
                migration.checksum,
                migration_id,
            ),
        )

    def delete(self, migration_id: str) -> None:
        """Remove a row (after a revert)."""
        self._execute(f"DELETE FROM {self.sql_name} WHERE id = {self._p}", (migration_id,))


#: The state column's text -> its RowState (a dict lookup: calling the enum costs more per row).
_STATES = {state.value: state for state in RowState}


def _row(r: tuple[Any, ...]) -> AppliedRow:
    applied_at = r[2]
    if isinstance(applied_at, str):
        applied_at = datetime.fromisoformat(applied_at)
    state = _STATES.get(r[4]) or RowState(r[4])  # an unknown state raises, naming it
    return AppliedRow(str(r[0]), str(r[1]), applied_at, str(r[3]), state, int(r[5]), r[6])


def tracking_table_name(dialect: Dialect, table: str, schema: str | None) -> str:
    """Return the tracking table's full name; refuse a qualified one the dialect cannot use.

    ``schema`` is a tenant's: the table is then ``schema.table``, and ``table`` must be plain.
    """
    namespace, name = split_table_name(table)
    if schema is not None:
        if namespace is not None:
            raise ConfigurationError(
                f"tracking table {table}: give a plain name with a tenant schema "
                f"(the table is {schema}.NAME)"
            )
        if not plain_identifier(schema):
            raise ConfigurationError(
                f"tenant {schema!r}: use letters, digits and _ (at most 63 characters)"
            )
        table = f"{schema}.{name}"
    dialect.tracking_table_parts(table)
    return table
