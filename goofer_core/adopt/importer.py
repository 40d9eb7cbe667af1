"""``import``: write a Goofer copy of golang-migrate's or dbmate's migrations, and baseline.

The copy goes into the migrations directory with ``goofer-import.json`` beside it: the tool,
the source, and each source version with the id it was given (``.json``: never taken for a
migration). Importing the same set again changes nothing; a directory that already holds
other migrations is refused unless ``force``, which replaces the files of the previous import.
With a database URL, the other tool's tracking table says how far the database got, and
the matching Goofer migrations are recorded as applied (none run).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import ConfigurationError, GooferError
from ..migrations.files import parse_filename
from .convert import Converted, convert
from .history import ForeignHistory, read_history
from .sources import ForeignMigration, read_dbmate, read_golang_migrate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..migrations.migrator import Migrator

MAPPING_FILE = "goofer-import.json"
READERS: dict[str, Callable[[Path], list[ForeignMigration]]] = {
    "golang-migrate": read_golang_migrate,
    "dbmate": read_dbmate,
}


class ImportResult(NamedTuple):
    """What ``import`` did: the migrations, where the mapping is, and what was recorded."""

    migrations: list[Converted]
    mapping: Path
    unchanged: bool  # the same import was already there: nothing written
    applied: tuple[str, ...] = ()  # ids recorded as applied on the database
    failed: str | None = None  # the id recorded as failed (golang-migrate's dirty version)
    history: ForeignHistory | None = None  # what the other tool's table said


def import_history(
    tool: str,
    source: str | Path,
    directory: str | Path,
    *,
    force: bool = False,
    database: Migrator | None = None,
    from_table: str = "schema_migrations",
) -> ImportResult:
    """Convert ``source`` into ``directory``; with ``database``, baseline to its history.

    ``database`` is the Migrator of the database (and of ``directory``): the other tool's
    table is read on its connection, and its ``baseline`` records what that table lists.
    """
    if tool not in READERS:
        raise ConfigurationError(f"--from {tool}: expected one of {', '.join(READERS)}")
    migrations = convert(tool, READERS[tool](Path(source)))
    history, record = None, None
    if database is not None:
        with database.session() as conn:
            history = read_history(tool, database.dialect, conn, from_table)
        record = _to_record(tool, history, migrations, from_table)  # before writing anything
    target = Path(directory)
    mapping = _mapping(tool, source, migrations)
    unchanged = _prepare(target, mapping, migrations, force)
    if not unchanged:
        for m in migrations:
            (target / f"{m.stem}.up.sql").write_bytes(m.up_sql.encode("utf-8"))
            (target / f"{m.stem}.down.sql").write_bytes(m.down_sql.encode("utf-8"))
        (target / MAPPING_FILE).write_text(json.dumps(mapping, indent=2) + "\n", encoding="utf-8")
    result = ImportResult(migrations, target / MAPPING_FILE, unchanged, history=history)
    if database is None or history is None or record is None:
        return result
    applied, failed = record
    error = f"golang-migrate marked version {history.dirty} dirty" if failed else None
    recorded = database.baseline(None, only=applied, failed=failed, failed_error=error)
    return result._replace(applied=tuple(m.id for m in recorded), failed=failed)


def _mapping(tool: str, source: str | Path, migrations: list[Converted]) -> dict[str, Any]:
    return {
        "tool": tool,
        "source": os.fspath(source),
        "versions": {str(m.version): m.id for m in migrations},
        "files": {m.source.up_file: [f"{m.stem}.up.sql", f"{m.stem}.down.sql"] for m in migrations},
    }


def _prepare(
    target: Path, mapping: dict[str, Any], migrations: list[Converted], force: bool
) -> bool:
    """Make ``target`` ready; return True when it already holds exactly this import."""
    if target.exists() and not target.is_dir():
        raise ConfigurationError(
            f"migrations directory {target} (--dir / GOOFER_MIGRATIONS_DIR): not a directory"
        )
    target.mkdir(parents=True, exist_ok=True)
    previous = _previous(target)
    if (
        previous is not None
        and previous.get("versions") == mapping["versions"]
        and all(_same(target / f"{m.stem}.up.sql", m.up_sql) for m in migrations)
        and all(_same(target / f"{m.stem}.down.sql", m.down_sql) for m in migrations)
    ):
        return True
    existing = sorted(name for name in os.listdir(target) if _is_migration(name))
    if not existing and previous is None:
        return False
    if not force:
        if previous is None:
            raise GooferError(
                f"migrations directory {target} (--dir / GOOFER_MIGRATIONS_DIR): already holds "
                f"{len(existing)} migration files; import into "
                "an empty directory, or pass --force to write the import beside them"
            )
        raise GooferError(
            f"migrations directory {target} (--dir / GOOFER_MIGRATIONS_DIR): already holds a "
            "different import; pass --force to replace the "
            "files of the previous import"
        )
    for names in (previous or {}).get("files", {}).values():
        for name in names:
            if _is_migration(name):
                (target / name).unlink(missing_ok=True)
    return False


def _previous(target: Path) -> dict[str, Any] | None:
    path = target / MAPPING_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GooferError(f"{path}: cannot read the previous import's mapping: {exc}") from None
    return data if isinstance(data, dict) else None


def _same(path: Path, text: str) -> bool:
    return path.exists() and path.read_bytes() == text.encode("utf-8")


def _is_migration(name: str) -> bool:
    try:
        return parse_filename(name) is not None
    except GooferError:
        return name.endswith(".sql")


def _to_record(
    tool: str, history: ForeignHistory, migrations: list[Converted], table: str
) -> tuple[list[str], str | None]:
    """Return the ids to record as applied (and the failed one) from the other tool's table."""
    by_version = {m.version: m.id for m in migrations}
    wanted = set(history.applied)
    if history.up_to is not None:
        if history.up_to not in by_version:
            raise GooferError(
                f"{tool} tracking table {table}: version {history.up_to} has no migration in "
                "the source directory"
            )
        wanted = {v for v in by_version if v <= history.up_to}
    unknown = sorted(wanted - by_version.keys())
    if unknown:
        raise GooferError(
            f"{tool} tracking table {table}: version {unknown[0]} is applied but has no "
            "migration in the source directory"
        )
    failed = by_version[history.dirty] if history.dirty is not None else None
    return [by_version[v] for v in sorted(wanted)], failed
