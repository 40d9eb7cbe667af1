"""Turn another tool's versions into Goofer migrations: ids, names, transactions, downs.

Ids keep the source's numeric order: a 14-digit version that is a real ``YYYYMMDDHHMMSS``
stays as it is; a 10-digit one is a Unix time and becomes its UTC timestamp; any other number
(``1``, ``000042``, ``100``) is a sequence number ``n`` and becomes 2000-01-01 00:00:00 UTC plus
``n`` seconds, so ``10`` and ``100`` stay apart and in order. The whole mapping is checked to
keep the numeric order; a set that mixes kinds so that it would not is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from ..dialects import CLASSES
from ..errors import GooferError
from ..migrations.files import IRREVERSIBLE, NO_TRANSACTION, asks_no_transaction
from ..migrations.split import split_statements, transaction_control
from .sources import ForeignMigration

#: Where sequence numbers start: ``1`` is 2000-01-01 00:00:01.
SEQUENCE_EPOCH = datetime(2000, 1, 1)
_NOT_NAME = re.compile(r"[^a-z0-9]+")
_CONCURRENTLY = re.compile(r"\bconcurrently\b", re.IGNORECASE)
_LINE_COMMENT = re.compile(r"--[^\n]*")


class ImportMappingError(GooferError):
    """The versions cannot be given 14-digit ids in their order."""


@dataclass
class Converted:
    """One Goofer migration made from one version of another tool's history."""

    version: int
    id: str
    name: str
    up_sql: str
    down_sql: str
    source: ForeignMigration
    changes: list[str] = field(default_factory=list)

    @property
    def stem(self) -> str:
        """Return ``<id>_<name>``, the start of both file names."""
        return f"{self.id}_{self.name}"


def map_version(version: int, digits: int) -> str | None:
    """Return the 14-digit id for a version written with ``digits`` digits (None: too large)."""
    text = str(version)
    if digits == 14 and len(text) == 14 and _is_timestamp(text):
        return text
    if digits == 10 and len(text) == 10:
        return datetime.fromtimestamp(version, timezone.utc).strftime("%Y%m%d%H%M%S")
    try:
        return (SEQUENCE_EPOCH + timedelta(seconds=version)).strftime("%Y%m%d%H%M%S")
    except OverflowError:
        return None


def _is_timestamp(text: str) -> bool:
    try:
        datetime.strptime(text, "%Y%m%d%H%M%S")
    except ValueError:
        return False
    return True


def _digits(migration: ForeignMigration) -> int:
    """Return how many digits the file name gives the version (``000042`` has 6)."""
    return len(re.match(r"[0-9]*", migration.up_file).group(0))  # type: ignore[union-attr]


def sanitise(title: str) -> str:
    """Return ``title`` as a Goofer name: lower case, runs of anything else as one ``_``."""
    return _NOT_NAME.sub("_", title.lower()).strip("_") or "migration"


def own_transaction_reason(text: str) -> str | None:
    """Return why a script must run outside Goofer's transaction, or None.

    BEGIN/COMMIT count when every dialect's lexer that can split the script finds them as
    statements of their own (a MySQL routine's ``BEGIN ... END`` is one statement to MySQL's
    lexer only, so it does not count); ``CONCURRENTLY`` counts anywhere outside a comment.
    """
    found: list[bool] = []
    concurrently = False
    for dialect in sorted(CLASSES):
        try:
            statements = split_statements(text, dialect)
        except GooferError:
            continue
        found.append(any(transaction_control(s) for s in statements))
        concurrently = concurrently or any(
            _CONCURRENTLY.search(_LINE_COMMENT.sub("", s.sql)) for s in statements
        )
    if found and all(found):
        return "it manages its own transaction (BEGIN/COMMIT)"
    if concurrently:
        return "it uses CONCURRENTLY"
    return None


def has_statements(text: str) -> bool:
    """Return whether a script holds any SQL statement (not only comments and blank lines)."""
    for dialect in sorted(CLASSES):
        try:
            return bool(split_statements(text, dialect))
        except GooferError:
            continue
    return True


def irreversible_down(tool: str, migration: ForeignMigration) -> str:
    """Return the down file of a version that had none: ``down`` refuses to run it."""
    return (
        f"{IRREVERSIBLE}\n"
        f"-- Imported from {tool}: version {migration.version} ({migration.up_file}) has no down "
        "SQL.\n"
        "-- 'goofer down' refuses to revert it. To make it reversible, write the SQL that undoes\n"
        "-- the up file here and remove the first line.\n"
    )


def convert(tool: str, migrations: list[ForeignMigration]) -> list[Converted]:
    """Return the Goofer migrations for ``migrations`` (in their order), each change noted."""
    converted: list[Converted] = []
    for migration in migrations:
        new_id = map_version(migration.version, _digits(migration))
        if new_id is None:
            raise ImportMappingError(
                f"{migration.up_file}: version {migration.version} is too large for a 14-digit id"
            )
        if converted and new_id <= converted[-1].id:
            before = converted[-1]
            raise ImportMappingError(
                f"{migration.up_file}: version {migration.version} would get id {new_id}, not "
                f"after {before.id} of {before.source.up_file}: the set mixes version kinds "
                "(sequence numbers, Unix times, timestamps) in an order Goofer cannot keep"
            )
        converted.append(_one(tool, migration, new_id))
    return converted


def _one(tool: str, migration: ForeignMigration, new_id: str) -> Converted:
    name = sanitise(migration.title)
    item = Converted(migration.version, new_id, name, migration.up_sql, "", migration)
    if name != migration.title:
        item.changes.append(f"name {migration.title!r} -> {name!r}")
    item.changes += migration.notes
    reason = "it was marked transaction:false" if migration.no_transaction else None
    reason = reason or own_transaction_reason(migration.up_sql)
    if reason and not asks_no_transaction(migration.up_sql):
        item.up_sql = f"{NO_TRANSACTION}\n{migration.up_sql}"
        item.changes.append(f"added '{NO_TRANSACTION}' to the up: {reason}")
    if migration.down_sql is None or not has_statements(migration.down_sql):
        item.down_sql = irreversible_down(tool, migration)
        what = "no down" if migration.down_sql is None else "an empty down"
        item.changes.append(f"{what}: wrote one that 'goofer down' refuses (irreversible)")
        return item
    item.down_sql = migration.down_sql
    down_reason = "it was marked transaction:false" if migration.down_no_transaction else None
    down_reason = down_reason or own_transaction_reason(migration.down_sql)
    if down_reason and not asks_no_transaction(migration.down_sql):
        item.down_sql = f"{NO_TRANSACTION}\n{migration.down_sql}"
        item.changes.append(f"added '{NO_TRANSACTION}' to the down: {down_reason}")
    return item
