"""Migration files on disk: discover, validate and read ``<id>_<name>.up/down.sql`` pairs."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .errors import ConfigurationError, MigrationFileError

NO_TRANSACTION = "-- goofer:no-transaction"

_FILE = re.compile(r"(?P<id>[^_]*)_(?P<name>.*)\.(?P<direction>up|down)\.sql\Z", re.DOTALL)
_ID = re.compile(r"[0-9]{14}\Z")
_NAME = re.compile(r"[a-z0-9_]+\Z")


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
    """One migration: its id, name and both files; the up text is read when loaded."""

    id: str
    name: str
    up_path: Path
    down_path: Path
    up_sql: str = field(repr=False)
    checksum: str

    @property
    def label(self) -> str:
        """Return ``<id>_<name>``, how the migration is named in messages."""
        return f"{self.id}_{self.name}"

    @property
    def no_transaction(self) -> bool:
        """Return whether the first line asks to run outside a transaction."""
        first = self.up_sql.lstrip("\n").split("\n", 1)[0]
        return first.strip().lower() == NO_TRANSACTION

    def read_down(self) -> str:
        """Read and normalise the down file (read only when a revert needs it)."""
        return normalise(self.down_path.read_bytes(), self.down_path.name)


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
    try:
        datetime.strptime(mid, "%Y%m%d%H%M%S")
    except ValueError:
        return False
    return True


def load_migrations(directory: str | Path) -> list[MigrationFile]:
    """Read and validate every migration in ``directory``, sorted by id.

    Every naming, pairing, encoding and duplicate problem is raised here, before any database
    is touched.
    """
    root = Path(directory)
    if not root.is_dir():
        raise ConfigurationError(f"migrations directory {str(root)!r} does not exist")
    pairs: dict[str, dict[str, Path]] = {}
    names: dict[str, str] = {}
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        parsed = parse_filename(entry.name)
        if parsed is None or not entry.is_file():
            continue
        mid, name, direction = parsed
        if names.setdefault(mid, name) != name:
            raise MigrationFileError(
                entry.name, f"duplicate id {mid}: also used by {mid}_{names[mid]}"
            )
        pairs.setdefault(mid, {})[direction] = entry
    migrations = []
    for mid in sorted(pairs):
        files = pairs[mid]
        for have, need in (("up", "down"), ("down", "up")):
            if need not in files:
                raise MigrationFileError(
                    files[have].name, f"has no matching {mid}_{names[mid]}.{need}.sql"
                )
        up = files["up"]
        text = normalise(up.read_bytes(), up.name)
        checksum = checksum_of(text)
        migrations.append(MigrationFile(mid, names[mid], up, files["down"], text, checksum))
    return migrations
