"""``goofer sql --offline``: the SQL file ``up`` (or ``down``) would run, with no database at all.

For a DBA who runs releases by hand: the file creates the tracking table as ``up`` does, then
applies each pending migration exactly as ``up`` would (each in its own transaction with its
tracking row where the dialect allows; elsewhere the row first, progress after each statement,
then ``applied``, so a run the client stops part-way shows up as failed in ``status`` and
``resolve`` settles it). What is already applied is not read but given: ``--from ID`` means
everything up to and including ID. No lock is taken: the file is meant to be run once, by one
client. How the file is written for the dialect's own client (psql, mariadb, sqlite3) is the
dialect's ``client_script.py``.
"""

from __future__ import annotations

from ..dialects.base import check_table_name
from ..errors import ConfigurationError, UnknownMigrationError
from .files import asks_no_transaction, load_migrations
from .layout import folder_for
from .split import migration_statements, up_statements
from .tracking import ROW_COLUMNS, RowState

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from ..dialects import Dialect
    from ..dialects.client_script import ClientScript
    from .files import MigrationFile
    from .split import Statement


class OfflineScript:
    """Write the SQL file that applies or reverts migrations on a database Goofer never sees."""

    def __init__(self, dialect: Dialect, table: str) -> None:
        self.dialect = dialect
        self.client: ClientScript = dialect.client_script()
        parts = dialect.tracking_table_parts(table)
        self.table = ".".join(dialect.quote(part) for part in parts if part is not None)
        self.lines: list[str] = []

    # -- what the commands ask for -----------------------------------------------------------

    def up(self, files: list[MigrationFile], start: str | None, to: str | None) -> str:
        """Return the file that applies every migration after ``start`` (up to ``to``)."""
        ids = _ids(files)
        _known(ids, start, "--from")
        _known(ids, to, "--to")
        pending = [m for m in files if (start is None or m.id > start)]
        if to is not None:
            pending = [m for m in pending if m.id <= to]
        scripts = [(m, up_statements(m, self.dialect)) for m in pending]  # refuse before writing
        applied = f"everything up to and including {start}" if start else "nothing"
        self._header(f"up: apply {len(pending)} migration(s); already applied: {applied}")
        self._line(self.client.statement(self.dialect.tracking_table_ddl(self.table)))
        for m, statements in scripts:
            self._apply(m, statements)
        if not pending:
            self._line("-- nothing to run")
        return "\n".join(self.lines) + "\n"

    def down(
        self,
        files: list[MigrationFile],
        start: str | None,
        to: str | None,
        steps: int,
        everything: bool,
    ) -> str:
        """Return the file that reverts, newest first, what ``--from`` says is applied."""
        if start is None:
            raise ConfigurationError(
                "sql --offline --down: give --from ID, the newest migration the database has"
            )
        _known(_ids(files), start, "--from")
        applied = [m for m in files if m.id <= start]
        if to is not None:
            if to not in {m.id for m in applied}:
                raise UnknownMigrationError(f"--to {to}: that migration is not applied")
            chosen = [m for m in applied if m.id > to]
        else:
            chosen = applied if everything else applied[-steps:]
        scripts = []
        for m in reversed(chosen):  # read and split every down file before writing anything
            text = m.read_down()
            no_transaction = asks_no_transaction(text)
            statements = migration_statements(
                text, m.down_filename, self.dialect, not no_transaction
            )
            scripts.append((m, statements, no_transaction))
        self._header(f"down: revert {len(chosen)} migration(s), newest first, from {start}")
        for m, statements, no_transaction in scripts:
            self._revert(m, statements, no_transaction)
        if not chosen:
            self._line("-- nothing to run")
        return "\n".join(self.lines) + "\n"

    # -- one migration ----------------------------------------------------------------------

    def _apply(self, m: MigrationFile, statements: list[Statement]) -> None:
        """Write one migration as ``Executor.apply`` runs it."""
        self._line("", f"-- {m.up_filename}")
        if self.dialect.transactional_ddl and not m.no_transaction:
            self._line(self.client.begin())
            self._statements(statements)
            self._line(self._insert(m, RowState.APPLIED, len(statements)))
            self._line(self.client.commit())
            return
        self._line(self._insert(m, RowState.RUNNING, 0))
        self._recorded(m.id, statements, RowState.RUNNING)
        self._line(self._set_state(m.id, RowState.APPLIED, len(statements)))

    def _revert(self, m: MigrationFile, statements: list[Statement], no_transaction: bool) -> None:
        """Write one revert as ``Executor.revert`` runs it."""
        self._line("", f"-- {m.down_filename}")
        delete = f"DELETE FROM {self.table} WHERE id = {self.client.word(m.id)};"
        if self.dialect.transactional_ddl and not no_transaction:
            self._line(self.client.begin())
            self._statements(statements)
            self._line(delete, self.client.commit())
            return
        self._line(self._set_state(m.id, RowState.REVERTING, 0))
        self._recorded(m.id, statements, RowState.REVERTING)
        self._line(delete)

    def _statements(self, statements: list[Statement]) -> None:
        for statement in statements:
            self._line(self.client.statement(statement.sql))

    def _recorded(self, migration_id: str, statements: list[Statement], state: RowState) -> None:
        """Write statements that cannot be rolled back, each followed by the progress made."""
        for done, statement in enumerate(statements, 1):
            self._line(self.client.statement(statement.sql))
            if done < len(statements):
                self._line(self._set_state(migration_id, state, done))

    # -- the tracking table -----------------------------------------------------------------

    def _insert(self, m: MigrationFile, state: RowState, statements_done: int) -> str:
        """Return the INSERT of the row ``TrackingTable.insert`` writes."""
        word, client = self.client.word, self.client
        values = (
            word(m.id),
            word(m.name),
            client.utc_now(),
            client.text(m.up_sql),
            word(m.checksum),
            word(state.value),
            str(statements_done),
        )
        return f"INSERT INTO {self.table} ({', '.join(ROW_COLUMNS)}) VALUES ({', '.join(values)});"

    def _set_state(self, migration_id: str, state: RowState, statements_done: int) -> str:
        """Return the UPDATE ``TrackingTable.set_state`` runs."""
        word = self.client.word
        return (
            f"UPDATE {self.table} SET state = {word(state.value)}, "
            f"statements_done = {statements_done}, error = NULL WHERE id = {word(migration_id)};"
        )

    # -- text --------------------------------------------------------------------------------

    def _header(self, what: str) -> None:
        self._line(
            f"-- Goofer {what} ({self.dialect.name}).",
            "-- Written offline: no lock is taken, so run it once, from one client, "
            "and stop at the first error.",
            *self.client.preamble,
            "",
        )

    def _line(self, *lines: str) -> None:
        self.lines.extend(lines)


def _ids(files: list[MigrationFile]) -> set[str]:
    return {m.id for m in files}


def _known(ids: set[str], migration_id: str | None, flag: str) -> None:
    """Raise naming ``flag`` when ``migration_id`` is given but not in the directory."""
    if migration_id is not None and migration_id not in ids:
        raise UnknownMigrationError(
            f"{flag} {migration_id}: no migration with that id in the directory"
        )


def offline_sql(
    directory: str,
    dialect: Dialect,
    table: str,
    *,
    start: str | None = None,
    to: str | None = None,
    down: bool = False,
    steps: int = 1,
    everything: bool = False,
    on_warning: Callable[[str], None] | None = None,
) -> str:
    """Return the SQL file for ``up`` (or ``down``) from ``start``; no database is touched."""
    files = load_migrations(folder_for(directory, dialect.name), True, on_warning)
    script = OfflineScript(dialect, check_table_name(table))
    if down:
        return script.down(files, start, to, steps, everything)
    return script.up(files, start, to)
