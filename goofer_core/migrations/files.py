"""Migration files on disk: discover, validate and read ``<id>_<name>.up/down.sql`` pairs.

This runs at every boot, so it imports only ``os`` and ``datetime`` up front (no ``re``,
``pathlib`` or ``dataclasses``, each a few milliseconds of start-up that a no-op ``goofer up``
would otherwise spend importing), and ``hashlib`` (OpenSSL, 3.5 MiB of memory) only once
something is hashed, which a revert never does.
"""

from __future__ import annotations

import os
from datetime import datetime
from functools import cache

from ..errors import ConfigurationError, MigrationFileError
from ..values import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

NO_TRANSACTION = "-- goofer:no-transaction"
#: ``-- goofer:only postgresql[,mysql]``: the migration belongs to those dialects' folders only.
ONLY = "-- goofer:only"
#: A down file that cannot revert its up (an imported up-only migration): ``down`` refuses it.
IRREVERSIBLE = "-- goofer:irreversible"
DIRECTIVE = "-- goofer:"
NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_"
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


def directives(text: str) -> list[str]:
    """Return a file's leading ``-- goofer:...`` lines, stripped and lowercased.

    Directives are the file's first lines (blank lines before them are allowed): the first line
    that is not one ends them, so a directive further down is an ordinary comment. A file
    without any, nearly every file at every boot, costs a look at its first ten characters.
    """
    if text.lstrip()[:10].lower() != DIRECTIVE:  # (lstrip returns the text itself, mostly)
        return []
    found: list[str] = []
    pos = len(text) - len(text.lstrip("\n"))
    while True:
        end = text.find("\n", pos)
        line = text[pos : end if end >= 0 else len(text)].strip().lower()
        if not line.startswith(DIRECTIVE):
            return found
        found.append(line)
        if end < 0:
            return found
        pos = end + 1


def is_irreversible(text: str) -> bool:
    """Return whether a down file starts with ``-- goofer:irreversible``.

    An imported up-only migration gets such a down: ``down`` must refuse it rather than drop
    the tracking row and report a revert that undid nothing.
    """
    return IRREVERSIBLE in directives(text.lstrip("\ufeff"))


def asks_no_transaction(text: str) -> bool:
    """Return whether a file's leading directives include ``-- goofer:no-transaction``."""
    return NO_TRANSACTION in directives(text)


def only_dialects(text: str, filename: str) -> tuple[str, ...]:
    """Return the dialects of a ``-- goofer:only a,b`` directive; () when there is none.

    Aliases (postgres, mariadb) count as their dialect; an unknown name is an error naming the
    file, so a typo never makes a migration run, or not run, where it was not meant to.
    """
    for line in directives(text):
        rest = line[len(ONLY) :]
        if not line.startswith(ONLY) or rest[:1] not in ("", " ", "\t"):
            continue
        from ..dialects import NAMES  # only for a marked file

        names = [name.strip() for name in rest.split(",") if name.strip()]
        unknown = [name for name in names if name not in NAMES]
        known = list(dict.fromkeys(NAMES.values()))  # sqlite, postgresql, mysql
        if not names or unknown:
            raise MigrationFileError(
                filename,
                f"'{line}': name the dialects it belongs to, comma-separated, from "
                f"{', '.join(known)}",
            )
        chosen = {NAMES[name] for name in names}
        return tuple(name for name in known if name in chosen)
    return ()


def refuse_other_dialects(migrations: list[MigrationFile], dialect: str, directory: str) -> None:
    """Raise for a migration marked ``-- goofer:only`` other dialects than ``dialect``.

    Such a file in this folder is misplaced: running it here is never what its mark says.
    """
    for migration in migrations:
        if migration.up_sql.lstrip()[:10].lower() != DIRECTIVE:  # at every boot: keep it cheap
            continue
        only = migration.only_dialects
        if only and dialect not in only:
            raise MigrationFileError(
                migration.up_filename,
                f"marked '{ONLY} {','.join(only)}' but it is in {directory}, run on {dialect}: "
                f"move the pair to the {' or '.join(only)} folder, or remove the mark",
            )


class MigrationFile(Record):
    """One migration: its id, name and directory, and its up file's text and checksum.

    ``load_migrations`` reads every up file (so a bad file is refused before the database is
    touched); with ``read_up=False``, for a revert, which needs none of them, ``up_sql`` and
    ``checksum`` stay empty.
    """

    id: str
    name: str
    directory: str
    up_sql: str = ""
    checksum: str = ""

    def read_up(self) -> MigrationFile:
        """Return this migration with its up file read, checked and hashed.

        When the file needs no normalising (no BOM, no CR) its bytes are the normalised text's
        UTF-8, so they are hashed as read instead of encoded again.
        """
        filename = f"{self.id}_{self.name}.up.sql"
        raw = self._read(filename)
        text = normalise(raw, filename)
        needs_encoding = raw.startswith(b"\xef\xbb\xbf") or b"\r" in raw
        checksum = checksum_of(text) if needs_encoding else md5_hex(raw)
        return MigrationFile(self.id, self.name, self.directory, text, checksum)

    def read_down(self) -> str:
        """Read and normalise the down file (read only when a revert needs it)."""
        raw = self._read(self.down_filename)
        return normalise(raw, self.down_filename)

    def _read(self, filename: str) -> bytes:
        try:
            return read_file(os.path.join(self.directory, filename))
        except OSError as exc:  # unreadable, a symbolic link loop, a directory...
            raise MigrationFileError(filename, f"cannot read it: {exc.strerror or exc}") from None

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
        """Return whether the up file's directives ask to run outside a transaction."""
        return asks_no_transaction(self.up_sql)

    @property
    def only_dialects(self) -> tuple[str, ...]:
        """Return the dialects the up file's ``-- goofer:only`` names; () for every dialect."""
        return only_dialects(self.up_sql, self.up_filename)


def parse_filename(filename: str) -> tuple[str, str, str] | None:
    """Return (id, name, direction) of a migration file name; None for a file that is not SQL.

    Every ``.sql`` file must be ``<YYYYMMDDHHMMSS>_<name>.up.sql`` or ``.down.sql``, with a name
    of ``[a-z0-9_]+``, and so must a name that is one but for its case (``X.UP.SQL``: surely
    meant to run, it would otherwise be skipped): a MigrationFileError names the file and what
    is wrong with it. Other files (README.md, .gitkeep, editor files starting with ".") are not
    migrations. This runs for every file at every boot: a well-named file takes the first path.
    """
    if filename.endswith(".up.sql"):
        stem, direction = filename[:-7], "up"
    elif filename.endswith(".down.sql"):
        stem, direction = filename[:-9], "down"
    else:
        _refuse_other_sql(filename)
        return None
    mid, name = stem[:14], stem[15:]
    if (
        stem[14:15] == "_"
        and name
        and mid.isdigit()
        and mid.isascii()
        and not name.strip(NAME_CHARS)
        and _is_timestamp(mid)
    ):
        return mid, name, direction
    if filename.startswith("."):
        return None
    mid, sep, name = stem.partition("_")  # what is wrong with it, precisely
    if not sep:
        raise _not_a_migration(filename)
    if not (len(mid) == 14 and mid.isascii() and mid.isdigit() and _is_timestamp(mid)):
        raise MigrationFileError(filename, f"id {mid!r} is not a 14-digit YYYYMMDDHHMMSS timestamp")
    raise MigrationFileError(filename, f"name {name!r} must match [a-z0-9_]+")


def _refuse_other_sql(filename: str) -> None:
    """Raise for a file that is not .up.sql or .down.sql but .sql, or one but for its case."""
    if filename.startswith("."):
        return
    if filename.lower().endswith((".up.sql", ".down.sql")):
        raise MigrationFileError(
            filename,
            "not a migration file name: the suffix must be .up.sql or .down.sql, in lowercase",
        )
    if filename.endswith(".sql"):
        raise _not_a_migration(filename)


def _not_a_migration(filename: str) -> MigrationFileError:
    return MigrationFileError(
        filename, "not a migration file name: expected <YYYYMMDDHHMMSS>_<name>.up.sql or .down.sql"
    )


@cache
def _is_timestamp(mid: str) -> bool:
    """Return whether 14 digits are a real UTC time, YYYYMMDDHHMMSS (once per id: up and down)."""
    try:
        datetime(int(mid[:4]), int(mid[4:6]), int(mid[6:8]),
                 int(mid[8:10]), int(mid[10:12]), int(mid[12:14]))  # fmt: skip
    except ValueError:
        return False
    return True


def copy_warning(filename: str) -> str | None:
    """Return a warning for a copy of a migration (``X.up.sql.bak``, ``X.up.sql~``), else None.

    Editors and merges leave such files: they are ignored, but never without a word.
    """
    lowered = filename.lower()
    if filename.startswith(".") or not (".up.sql" in lowered or ".down.sql" in lowered):
        return None
    return f"{filename}: ignored: it looks like a copy of a migration, not one (*.up.sql)"


def _is_file(entry: os.DirEntry[str]) -> bool:
    """Return whether ``entry`` is a file; a migration that cannot be looked at is an error."""
    try:
        return entry.is_file()
    except OSError as exc:  # a symbolic link loop: ELOOP
        if not entry.name.lower().endswith(".sql"):
            return False  # not a migration: none of Goofer's business
        raise MigrationFileError(entry.name, f"cannot read it: {exc.strerror or exc}") from None


def load_migrations(
    directory: str | Path, read_up: bool = True, on_warning: Callable[[str], None] | None = None
) -> list[MigrationFile]:
    """Read and validate every migration in ``directory``, sorted by id.

    Every naming, pairing, encoding and duplicate problem is raised here, before any database
    is touched; files that only look like migrations go to ``on_warning``.
    """
    root = os.fspath(directory)
    if not os.path.isdir(root):
        raise ConfigurationError(f"migrations directory {root!r} does not exist")
    # scandir knows each entry's type without a stat call: this runs at every boot.
    with os.scandir(root) as scan:
        entries = sorted(e.name for e in scan if _is_file(e))
    names: dict[str, str] = {}
    directions: dict[str, set[str]] = {}
    for filename in entries:
        parsed = parse_filename(filename)
        if parsed is None:
            warning = copy_warning(filename)
            if warning is not None and on_warning is not None:
                on_warning(warning)
            continue
        mid, name, direction = parsed
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
        migrations.append(migration.read_up() if read_up else migration)
    return migrations
