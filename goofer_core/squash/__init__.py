"""``squash --to ID NAME``: replace the migrations up to ``ID`` by one that creates their schema.

The replaced up files are replayed into a scratch database (as ``generate`` and ``verify`` do,
on the base schema when there is one), and the dialect dumps what they built as DDL
(``Dialect.dump_schema``). Before anything is written the result is proved on that same
scratch database: the new down must take it back to the base, and the new up must then build
exactly the schema the history built (what ``verify`` compares). The new pair keeps the id of
the last replaced migration, so it sorts where they were, and its header names each of them
(``squashed.py``), so databases migrated before the squash see it as applied.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

from ..dialects import get_dialect
from ..errors import ConfigurationError, GooferError, UnknownMigrationError
from ..migrations.base import SchemaBase, run_script, stand_on
from ..migrations.files import NAME_CHARS, MigrationFile, load_migrations
from ..migrations.scratch import SHADOW_PREFIX, ShadowDatabaseError, replay, scratch_connection
from ..migrations.split import split_statements
from ..migrations.squashed import ALSO_REPLACES, also_for, entry_for
from ..schema.dump import SchemaDump
from ..url import DatabaseURL
from ..values import Record
from ..verify.snapshot import Difference, compare_snapshots, read_snapshot

#: Statements that change rows, not the schema: not carried by a squash.
_DATA_WORDS = ("insert", "update", "delete", "merge", "replace", "copy", "truncate", "load")
_CHECK_TABLE = "goofer_squash_check"  # never created: read_snapshot's table to leave out


class SquashError(GooferError):
    """The migrations cannot be squashed as asked."""


class Squash(Record):
    """What a squash writes and removes, and what it could not carry."""

    up_path: Path
    down_path: Path
    up_sql: str
    down_sql: str
    replaced: tuple[MigrationFile, ...]
    warnings: tuple[str, ...]

    def write(self) -> None:
        """Write the new pair, then delete the replaced files.

        The new files are written under hidden names first (a name starting with "." is not a
        migration), so a failed write loses nothing; they take their names once the replaced
        files are gone (the new up file may have the name of the last one).
        """
        pending = [(self.up_path, self.up_sql), (self.down_path, self.down_sql)]
        hidden = [(path.with_name(f".{path.name}.squash"), path) for path, _ in pending]
        for (temporary, _), (_, text) in zip(hidden, pending, strict=True):
            temporary.write_text(text, encoding="utf-8")
        for m in self.replaced:
            os.remove(m.up_path)
            os.remove(m.down_path)
        for temporary, path in hidden:
            os.replace(temporary, path)


def plan_squash(
    directory: str | Path,
    to: str,
    name: str,
    *,
    database_url: str | DatabaseURL | None,
    shadow_url: str | DatabaseURL | None = None,
    shadow_prefix: str | None = None,
    base: SchemaBase | None = None,
) -> Squash:
    """Return the squash of the migrations of ``directory`` up to ``to`` into one named ``name``.

    Nothing is written (``Squash.write`` does that). The dialect is the URL's; on PostgreSQL
    and MySQL the scratch database lives on the server of ``shadow_url``, else ``database_url``.
    """
    if not name or name.strip(NAME_CHARS):
        raise ConfigurationError(f"squash name {name!r}: must match [a-z0-9_]+")
    files = load_migrations(directory)
    if to not in {m.id for m in files}:
        raise UnknownMigrationError(f"--to {to}: no migration with that id in the directory")
    replaced = tuple(m for m in files if m.id <= to)
    server = _url(shadow_url) or _url(database_url)
    if server is None:
        raise ConfigurationError("squash needs the dialect: set --database-url")
    dialect = get_dialect(server.dialect)
    dump = _dump_and_prove(dialect.name, server, shadow_prefix or SHADOW_PREFIX, replaced, base)
    warnings = tuple(_data_warnings(replaced, dialect.name)) + tuple(
        f"not carried: {note}" for note in dump.notes
    )
    last = replaced[-1]
    stem = f"{last.id}_{name}"
    root = Path(directory)
    return Squash(
        root / f"{stem}.up.sql",
        root / f"{stem}.down.sql",
        _up_text(dialect.name, replaced, dump, warnings),
        _down_text(dialect.name, replaced, dump),
        replaced,
        warnings,
    )


def squash_migrations(
    directory: str | Path,
    to: str,
    name: str,
    *,
    database_url: str | DatabaseURL | None,
    shadow_url: str | DatabaseURL | None = None,
    shadow_prefix: str | None = None,
    base: SchemaBase | None = None,
    dialects: Sequence[str] = (),
    dry_run: bool = False,
    on_warning: Callable[[str], None] | None = None,
) -> list[Squash]:
    """Squash ``directory``, or each of its dialect folders, and (unless ``dry_run``) write.

    With a folder per dialect (``migrations/sqlite/``, ``migrations/postgresql/`` ...) every
    folder is squashed at the same id, each on a scratch database of its own dialect (SQLite in
    memory; the database URL serves its own dialect, the shadow URLs, one per dialect, the
    others), so the folders stay in step. Every folder is squashed and proved before any file
    is written.
    """
    from ..generate.several import SHADOW_HINT, server_urls
    from ..migrations.layout import layout_dialects

    folders = layout_dialects(directory, dialects)
    if not folders:
        plans = [
            plan_squash(
                directory,
                to,
                name,
                database_url=database_url,
                shadow_url=shadow_url,
                shadow_prefix=shadow_prefix,
                base=base,
            )
        ]
    else:
        servers = server_urls(shadow_url)
        own = _url(database_url)
        if own is not None:
            servers.setdefault(get_dialect(own.dialect).name, own)
        plans = []
        for dialect in folders:
            server = servers.get(dialect)
            if server is None and get_dialect(dialect).scratch_in_memory:
                server = DatabaseURL.parse("sqlite:///:memory:")
            if server is None:
                raise ConfigurationError(
                    f"{dialect}: squashing its folder needs a {dialect} server for a scratch "
                    f"database: add a {dialect}:// URL to {SHADOW_HINT} (several, separated by "
                    "spaces)"
                )
            plan = plan_squash(
                Path(directory) / dialect,
                to,
                name,
                database_url=None,
                shadow_url=server,
                shadow_prefix=shadow_prefix,
                base=base,
            )
            plans.append(plan._replace(warnings=tuple(f"{dialect}: {w}" for w in plan.warnings)))
    for plan in plans:
        for warning in plan.warnings:
            if on_warning is not None:
                on_warning(warning)
    if not dry_run:
        for plan in plans:
            plan.write()
    return plans


def _url(value: str | DatabaseURL | None) -> DatabaseURL | None:
    return DatabaseURL.parse(value) if isinstance(value, str) else value


def _dump_and_prove(
    dialect_name: str,
    server: DatabaseURL,
    prefix: str,
    replaced: Sequence[MigrationFile],
    base: SchemaBase | None,
) -> SchemaDump:
    """Replay, dump, then check on the same scratch database that down and up are exact."""
    dialect = get_dialect(dialect_name)
    with scratch_connection(dialect_name, server, prefix) as conn:
        stand_on(conn, dialect, base)
        empty = read_snapshot(dialect_name, conn, _CHECK_TABLE)
        base_dump = dialect.dump_schema(conn)
        replay(conn, dialect_name, replaced)
        history = read_snapshot(dialect_name, conn, _CHECK_TABLE)
        dump = dialect.dump_schema(conn).without(base_dump)
        _refuse_scratch_names(dump, prefix)
        label = f"the squashed {replaced[-1].id} migration"
        run_script(conn, dialect, _script(dump.down), f"{label}'s down", ShadowDatabaseError)
        _refuse_differences(
            compare_snapshots(empty, read_snapshot(dialect_name, conn, _CHECK_TABLE)),
            "its down does not drop everything its up creates",
        )
        run_script(conn, dialect, _script(dump.up), f"{label}'s up", ShadowDatabaseError)
        _refuse_differences(
            compare_snapshots(history, read_snapshot(dialect_name, conn, _CHECK_TABLE)),
            "its up does not build the schema the migrations build",
        )
    return dump


def _refuse_scratch_names(dump: SchemaDump, prefix: str) -> None:
    """Raise if a statement names the scratch database, which is dropped once the squash ends.

    The proof below runs on that same database, so it could not see such a name.
    """
    pattern = re.compile(re.escape(prefix) + "[0-9a-f]{12}")
    for statement in dump.up + dump.down:
        if pattern.search(statement):
            raise SquashError(
                "cannot squash: the database wrote the scratch database's name into "
                f"{statement.split(chr(10))[0][:80]!r}; nothing was written"
            )


def _refuse_differences(differences: Sequence[Difference], what: str) -> None:
    if differences:
        shown = "; ".join(d.describe("expected", "got") for d in differences[:3])
        raise SquashError(f"cannot squash: {what} ({shown}); nothing was written")


def _script(statements: Sequence[str]) -> str:
    return ";\n\n".join(statements) + ";\n" if statements else ""


def _data_warnings(replaced: Sequence[MigrationFile], dialect_name: str) -> list[str]:
    """Return one line per statement that changes rows: a squash carries the schema only."""
    warnings = []
    for m in replaced:
        for statement in split_statements(m.up_sql, dialect_name):
            word = statement.sql.split(None, 1)[0].lower() if statement.sql.strip() else ""
            if word in _DATA_WORDS or (word == "with" and _writes(statement.sql)):
                first = statement.sql.split("\n", 1)[0][:60]
                warnings.append(
                    f"{m.up_filename}: statement {statement.number} (line {statement.line}) "
                    f"changes rows, which the squashed migration does not carry: {first}"
                )
    return warnings


def _writes(sql: str) -> bool:
    lowered = sql.lower()
    return any(f" {word} " in lowered for word in ("insert", "update", "delete"))


def _header(replaced: Sequence[MigrationFile]) -> list[str]:
    """Return the header lines naming the replaced migrations (and what they replaced)."""
    also = [label for m in replaced for label in also_for(m)]
    return [entry_for(m).line() for m in replaced] + [f"{ALSO_REPLACES}{label}" for label in also]


def _up_text(
    dialect_name: str,
    replaced: Sequence[MigrationFile],
    dump: SchemaDump,
    warnings: Sequence[str],
) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    lines = [
        *_header(replaced),
        f"-- Squashed by goofer squash ({dialect_name}) on {stamp}: the schema that the "
        + (
            f"{len(replaced)} migrations above build."
            if len(replaced) > 1
            else "migration above builds."
        ),
        "-- A database that applied all of them counts this migration as applied; a new "
        "database runs it instead.",
    ]
    if warnings:
        lines.append("-- Not carried (the squash writes the schema, not rows):")
        lines += [f"--   {warning}" for warning in warnings]
    return "\n".join(lines) + "\n\n" + _script(dump.up)


def _down_text(dialect_name: str, replaced: Sequence[MigrationFile], dump: SchemaDump) -> str:
    lines = [
        f"-- Squashed by goofer squash ({dialect_name}): drops everything "
        f"{replaced[-1].label[:14]}'s up creates, in reverse order.",
    ]
    return "\n".join(lines) + "\n\n" + _script(dump.down)
