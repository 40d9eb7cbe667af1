"""Migration files on disk: discover, validate and read ``<id>_<name>.up/down.sql`` pairs.

This runs at every boot, so it imports only ``os`` up front: no ``re``, ``pathlib``,
``datetime`` or ``dataclasses``, each of which costs a few milliseconds of start-up that a no-op
``goofer up`` would otherwise spend importing; and ``hashlib`` (OpenSSL, 3.5 MiB of memory) only
once something is hashed, which a revert never does.
"""

from __future__ import annotations

import os

from .errors import ConfigurationError, MigrationFileError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

NO_TRANSACTION = "-- goofer:no-transaction"
_NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_"
_SUFFIXES = ((".up.sql", "up"), (".down.sql", "down"))
_CHUNK = 1 << 16


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
    return text.replace("\r\n", "\n") if "\r" in text else text


def checksum_of(text: str) -> str:
    """Return the MD5 hex digest of normalised file text, as stored in the tracking table."""
    return md5_hex(text.encode("utf-8"))


def md5_hex(data: bytes) -> str:
    """Return the MD5 hex digest of ``data`` (hashlib imported on first use)."""
    import hashlib

    return hashlib.md5(data).hexdigest()


def read_file(path: str) -> bytes:
    """Return a file's bytes.

    ``os.read`` in 64 KiB chunks costs about half of ``open(path, "rb").read()`` per small file
    (no buffered reader object, no 1 MiB buffer to shrink), and a boot reads every up file.
    """
    fd = os.open(path, os.O_RDONLY)
    try:
        data = os.read(fd, _CHUNK)
        if len(data) < _CHUNK:
            return data
        chunks = [data]
        while data:
            data = os.read(fd, _CHUNK)
            chunks.append(data)
        return b"".join(chunks)
    finally:
        os.close(fd)


class MigrationFile:
    """One migration: its id, name and both files; the up file is read on first use.

    ``load_migrations`` reads every up file at once (so a bad file is refused before the
    database is touched); a revert, which needs none of them, can skip that.
    """

    __slots__ = ("_checksum", "_up_sql", "directory", "id", "name")

    def __init__(self, id: str, name: str, directory: str | Path) -> None:
        self.id = id
        self.name = name
        self.directory = directory
        self._up_sql: str | None = None
        self._checksum: str | None = None

    def __repr__(self) -> str:
        return f"MigrationFile(id={self.id!r}, name={self.name!r}, directory={self.directory!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MigrationFile):
            return NotImplemented
        return (self.id, self.name, os.fspath(self.directory)) == (
            other.id, other.name, os.fspath(other.directory))

    def __hash__(self) -> int:
        return hash((self.id, self.name))

    @property
    def up_sql(self) -> str:
        """Return the up file's text, BOM dropped and CRLF read as LF (read once)."""
        if self._up_sql is None:
            raw = read_file(os.path.join(self.directory, self.up_filename))
            self._up_sql = normalise(raw, self.up_filename)
        return self._up_sql

    @property
    def checksum(self) -> str:
        """Return the MD5 hex of the up file's normalised text, as the tracking table keeps it."""
        if self._checksum is None:
            self._checksum = checksum_of(self.up_sql)
        return self._checksum

    def read_up(self) -> None:
        """Read, check and hash the up file now (``load_migrations`` does it for every file).

        When the file needs no normalising (no BOM, no CR) its bytes are the normalised text's
        UTF-8, so they are hashed as read instead of encoded again.
        """
        raw = read_file(os.path.join(self.directory, self.up_filename))
        self._up_sql = normalise(raw, self.up_filename)
        if raw.startswith(b"\xef\xbb\xbf") or b"\r" in raw:
            self._checksum = checksum_of(self._up_sql)
        else:
            self._checksum = md5_hex(raw)

    @property
    def label(self) -> str:
        """Return ``<id>_<name>``, how the migration is named in messages."""
        return f"{self.id}_{self.name}"

    @property
    def up_filename(self) -> str:
        """Return the up file's name, as messages name it."""
        return f"{self.id}_{self.name}.up.sql"

    @property
    def down_filename(self) -> str:
        """Return the down file's name."""
        return f"{self.id}_{self.name}.down.sql"

    # Paths are built on demand (and pathlib imported then): a boot never needs them.
    @property
    def up_path(self) -> Path:
        """Return the up file's path."""
        from pathlib import Path

        return Path(self.directory, self.up_filename)

    @property
    def down_path(self) -> Path:
        """Return the down file's path."""
        from pathlib import Path

        return Path(self.directory, self.down_filename)

    @property
    def no_transaction(self) -> bool:
        """Return whether the up file's first line asks to run outside a transaction."""
        return asks_no_transaction(self.up_sql)

    def read_down(self) -> str:
        """Read and normalise the down file (read only when a revert needs it)."""
        raw = read_file(os.path.join(self.directory, self.down_filename))
        return normalise(raw, self.down_filename)


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
    well_named = _well_named(filename)
    if well_named is not None and _valid_timestamp(well_named[0]):
        return well_named
    # Only a badly named file gets here, so the precise diagnosis may import re.
    import re

    match = re.match(r"([^_]*)_(.*)\.(up|down)\.sql\Z", filename, re.DOTALL)
    if match is None:
        raise MigrationFileError(
            filename,
            "not a migration file name: expected <YYYYMMDDHHMMSS>_<name>.up.sql or .down.sql",
        )
    mid, name, direction = match.groups()
    if not (len(mid) == 14 and mid.isascii() and mid.isdigit()) or not _valid_timestamp(mid):
        raise MigrationFileError(filename, f"id {mid!r} is not a 14-digit YYYYMMDDHHMMSS timestamp")
    if not name or name.strip(_NAME_CHARS):
        raise MigrationFileError(filename, f"name {name!r} must match [a-z0-9_]+")
    return mid, name, direction


def _well_named(filename: str) -> tuple[str, str, str] | None:
    """Return (id, name, direction) if ``filename`` has the shape of a migration, else None.

    The shape only (14 ASCII digits, ``_``, a name of ``[a-z0-9_]+``, the suffix); whether the
    id is a real timestamp is checked once per id by the caller.
    """
    for suffix, direction in _SUFFIXES:
        if filename.endswith(suffix):
            mid, sep, name = filename[:14], filename[14:15], filename[15 : -len(suffix)]
            if (sep == "_" and name and mid.isascii() and mid.isdigit()
                    and not name.strip(_NAME_CHARS)):
                return mid, name, direction
            return None
    return None


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid_timestamp(mid: str) -> bool:
    """Return whether 14 ASCII digits are a real YYYYMMDDHHMMSS time (as ``datetime`` accepts).

    Checked with string comparisons and three ``int`` calls: this runs for every id at every boot.
    """
    year, month, day = int(mid[:4]), int(mid[4:6]), int(mid[6:8])
    if not (year and 1 <= month <= 12 and day >= 1) or mid[8:10] > "23" or mid[10:12] > "59" \
            or mid[12:14] > "59":
        return False
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return day <= 29
    return day <= _MONTH_DAYS[month]


def load_migrations(directory: str | Path, read_up: bool = True) -> list[MigrationFile]:
    """Read and validate every migration in ``directory``, sorted by id.

    Every naming, pairing, encoding and duplicate problem is raised here, before any database
    is touched.
    """
    root = os.fspath(directory)
    if not os.path.isdir(root):
        raise ConfigurationError(f"migrations directory {root!r} does not exist")
    # scandir knows each entry's type without a stat call: this runs at every boot.
    with os.scandir(root) as scan:
        entries = sorted(e.name for e in scan if e.is_file())
    names: dict[str, str] = {}
    directions: dict[str, set[str]] = {}
    for filename in entries:
        # _well_named, inlined: this loop runs for every file at every boot.
        if filename.endswith(".up.sql"):
            direction, stem = "up", filename[:-7]
        elif filename.endswith(".down.sql"):
            direction, stem = "down", filename[:-9]
        else:
            stem = ""
        mid, name = stem[:14], stem[15:]
        if not (stem[14:15] == "_" and name and mid.isdigit() and mid.isascii()
                and not name.strip(_NAME_CHARS)):
            parsed = parse_filename(filename)  # None for other files; raises for a bad name
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
            migration.read_up()
        migrations.append(migration)
    return migrations
