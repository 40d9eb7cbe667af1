"""Migration files on disk: discover, validate and read ``<id>_<name>.up/down.sql`` pairs."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path

from .errors import ConfigurationError, MigrationFileError

NO_TRANSACTION = "-- goofer:no-transaction"

_FILE = re.compile(r"(?P<id>[^_]*)_(?P<name>.*)\.(?P<direction>up|down)\.sql\Z", re.DOTALL)
_ID = re.compile(r"[0-9]{14}\Z")
_NAME = re.compile(r"[a-z0-9_]+\Z")
# The shape of a well-named file, matched first: the precise checks of parse_filename only run
# for a file that fails it, and each id's timestamp is checked once, not once per file.
_WELL_NAMED = re.compile(r"([0-9]{14})_([a-z0-9_]+)\.(up|down)\.sql\Z")


def normalise(raw: bytes, filename: str) -> str:
    """Return the file's text with a leading BOM dropped and CRLF as LF; reject NUL and bad UTF-8.

    A NUL byte would silently truncate the statement in libpq, so it is refused before any SQL is
    sent (see LESSONS.md, "NUL byte").
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise MigrationFileError(filename, f"contains a NUL byte (line {line})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise MigrationFileError(filename, f"is not valid UTF-8 (line {line})") from None
    return text.replace("\r\n", "\n")


def checksum_of(text: str) -> str:
    """Return the MD5 hex digest of normalised file text, as stored in the tracking table."""
    return hashlib.md5(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class MigrationFile:
    """One migration: its id, name and both files; the up file is read on first use.

    ``load_migrations`` reads every up file at once (so a bad file is refused before the
    database is touched); a revert, which needs none of them, can skip that.
    """

    id: str
    name: str
    directory: Path

    @cached_property
    def up_sql(self) -> str:
        """Return the up file's text, BOM dropped and CRLF read as LF (read once)."""
        with open(os.path.join(os.fspath(self.directory), self.up_filename), "rb") as up:
            return normalise(up.read(), self.up_filename)

    @cached_property
    def checksum(self) -> str:
        """Return the MD5 hex of the up file's normalised text, as the tracking table keeps it."""
        return checksum_of(self.up_sql)

    @property
    def label(self) -> str:
        """Return ``<id>_<name>``, how the migration is named in messages."""
        return f"{self.id}_{self.name}"

    # Paths are built on demand: a boot with nothing pending never needs them, and building
    # 2,000 Path objects costs more than reading the files they name.
    @property
    def up_filename(self) -> str:
        """Return the up file's name, as messages name it."""
        return f"{self.id}_{self.name}.up.sql"

    @property
    def down_filename(self) -> str:
        """Return the down file's name."""
        return f"{self.id}_{self.name}.down.sql"

    @property
    def up_path(self) -> Path:
        """Return the up file's path."""
        return self.directory / self.up_filename

    @property
    def down_path(self) -> Path:
        """Return the down file's path."""
        return self.directory / self.down_filename

    @property
    def no_transaction(self) -> bool:
        """Return whether the up file's first line asks to run outside a transaction."""
        return asks_no_transaction(self.up_sql)

    def read_down(self) -> str:
        """Read and normalise the down file (read only when a revert needs it)."""
        return normalise(self.down_path.read_bytes(), self.down_filename)


def asks_no_transaction(text: str) -> bool:
    """Return whether a file's first line is ``-- goofer:no-transaction``."""
    first = text.lstrip("\n").split("\n", 1)[0]
    return first.strip().lower() == NO_TRANSACTION


def parse_filename(filename: str) -> tuple[str, str, str] | None:
    """Return (id, name, direction) for a migration file name; None if it is not a .sql file.

    Raises MigrationFileError for a ``.sql`` file that breaks the naming rules.
    """
    if not filename.endswith(".sql") or filename.startswith("."):
        return None
    match = _FILE.match(filename)
    if match is None:
        raise MigrationFileError(
            filename,
            "not a migration file name: expected <YYYYMMDDHHMMSS>_<name>.up.sql or .down.sql",
        )
    mid, name, direction = match["id"], match["name"], match["direction"]
    if not _ID.match(mid) or not _valid_timestamp(mid):
        raise MigrationFileError(filename, f"id {mid!r} is not a 14-digit YYYYMMDDHHMMSS timestamp")
    if not _NAME.match(name):
        raise MigrationFileError(filename, f"name {name!r} must match [a-z0-9_]+")
    return mid, name, direction


def _valid_timestamp(mid: str) -> bool:
    # datetime() rather than strptime(): this runs for every file at every boot.
    try:
        datetime(int(mid[:4]), int(mid[4:6]), int(mid[6:8]),
                 int(mid[8:10]), int(mid[10:12]), int(mid[12:14]))
    except ValueError:
        return False
    return True


def load_migrations(directory: str | Path, read_up: bool = True) -> list[MigrationFile]:
    """Read and validate every migration in ``directory``, sorted by id.

    Every naming, pairing, encoding and duplicate problem is raised here, before any database
    is touched.
    """
    root = Path(directory)
    if not root.is_dir():
        raise ConfigurationError(f"migrations directory {str(root)!r} does not exist")
    # scandir knows each entry's type without a stat call: this runs at every boot.
    with os.scandir(root) as scan:
        entries = sorted(e.name for e in scan if e.is_file())
    names: dict[str, str] = {}
    directions: dict[str, set[str]] = {}
    for filename in entries:
        match = _WELL_NAMED.match(filename)
        parsed = match.groups() if match else parse_filename(filename)
        if parsed is None:
            continue
        mid, name, direction = parsed
        if mid not in names and not _valid_timestamp(mid):
            parse_filename(filename)  # raises, naming the file and the bad id
        if names.setdefault(mid, name) != name:
            raise MigrationFileError(
                filename, f"duplicate id {mid}: also used by {mid}_{names[mid]}"
            )
        directions.setdefault(mid, set()).add(direction)
    migrations = []
    for mid in sorted(names):
        stem = f"{mid}_{names[mid]}"
        for have, need in (("up", "down"), ("down", "up")):
            if need not in directions[mid]:
                raise MigrationFileError(f"{stem}.{have}.sql", f"has no matching {stem}.{need}.sql")
        migration = MigrationFile(mid, names[mid], root)
        if read_up:
            migration.checksum  # noqa: B018 - reads, checks and hashes the up file now
        migrations.append(migration)
    return migrations
