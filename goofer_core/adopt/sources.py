"""Read another tool's migrations directory: golang-migrate's file pairs, dbmate's single files.

Each tool's own rules decide what is a migration, so that the import sees the set the tool
would run: golang-migrate takes ``<digits>_<title>.(up|down).<ext>`` and orders by the number
(``100`` after ``10``); dbmate takes ``<digits><anything>.sql`` with ``-- migrate:up`` and
``-- migrate:down`` sections. Other files are ignored, as the tools ignore them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigurationError, GooferError
from ..migrations.files import normalise

#: golang-migrate's own pattern (source/parse.go): version, title, direction, extension.
_GOLANG = re.compile(r"^([0-9]+)_(.*)\.(down|up)\.(.*)$")
#: dbmate's: a file name starting with digits and ending in .sql.
_DBMATE = re.compile(r"^([0-9]+)(.*)\.sql$")
#: A dbmate section line and its options: ``-- migrate:up transaction:false``.
_SECTION = re.compile(r"^--\s*migrate:(up|down)\b(.*)$", re.MULTILINE)


class ImportSourceError(GooferError):
    """The other tool's directory cannot be read as that tool would read it."""


@dataclass
class ForeignMigration:
    """One version of another tool's history, as that tool would run it."""

    version: int
    title: str  # as written in the file name
    up_file: str
    up_sql: str
    down_file: str | None = None
    down_sql: str | None = None  # None: there is no down at all
    no_transaction: bool = False  # the tool was told to run its up outside a transaction
    down_no_transaction: bool = False
    notes: list[str] = field(default_factory=list)


def _read(path: Path) -> str:
    try:
        return normalise(path.read_bytes(), path.name)
    except OSError as exc:
        raise ImportSourceError(f"{path}: cannot read it: {exc.strerror or exc}") from None


def _files(source: Path) -> list[Path]:
    if not source.is_dir():
        raise ConfigurationError(f"import source {str(source)!r} is not a directory")
    return sorted(p for p in source.iterdir() if p.is_file() and not p.name.startswith("."))


def read_golang_migrate(source: Path) -> list[ForeignMigration]:
    """Return golang-migrate's migrations in ``source``, in its (numeric) order."""
    found: dict[int, ForeignMigration] = {}
    downs: dict[int, tuple[str, str, str]] = {}
    for path in _files(source):
        match = _GOLANG.match(path.name)
        if not match:
            continue
        version, title, direction = int(match.group(1)), match.group(2), match.group(3)
        if direction == "down":
            if version in downs:
                raise ImportSourceError(
                    f"{path.name}: duplicate down migration for version {version} "
                    f"(also {downs[version][0]})"
                )
            downs[version] = (path.name, title, _read(path))
            continue
        if version in found:
            raise ImportSourceError(
                f"{path.name}: duplicate up migration for version {version} "
                f"(also {found[version].up_file})"
            )
        found[version] = ForeignMigration(version, title, path.name, _read(path))
    for version, (name, title, text) in downs.items():
        migration = found.get(version)
        if migration is None:
            raise ImportSourceError(f"{name}: a down migration without an up for version {version}")
        migration.down_file, migration.down_sql = name, text
        if title != migration.title:
            migration.notes.append(f"down file {name} has another name: paired by version")
    return [found[v] for v in sorted(found)]


def read_dbmate(source: Path) -> list[ForeignMigration]:
    """Return dbmate's migrations in ``source``, each file split into its up and down."""
    found: dict[int, ForeignMigration] = {}
    for path in _files(source):
        match = _DBMATE.match(path.name)
        if not match:
            continue
        version = int(match.group(1))
        if version in found:
            raise ImportSourceError(
                f"{path.name}: duplicate version {match.group(1)} (also {found[version].up_file})"
            )
        found[version] = _split_dbmate(path.name, version, match.group(2), _read(path))
    return [found[v] for v in sorted(found)]


def _split_dbmate(filename: str, version: int, rest: str, text: str) -> ForeignMigration:
    """Split a dbmate file at its ``-- migrate:up`` / ``-- migrate:down`` lines."""
    sections = list(_SECTION.finditer(text))
    kinds = [s.group(1) for s in sections]
    if kinds.count("up") != 1 or kinds.count("down") > 1:
        raise ImportSourceError(
            f"{filename}: expected one '-- migrate:up' line (and at most one '-- migrate:down')"
        )
    bodies: dict[str, str] = {}
    options: dict[str, bool] = {}
    for index, section in enumerate(sections):
        end = sections[index + 1].start() if index + 1 < len(sections) else len(text)
        body = text[section.end() : end]  # starts with the directive line's own newline
        bodies[section.group(1)] = body[1:].strip("\n") + "\n"
        options[section.group(1)] = "transaction:false" in section.group(2).replace(" ", "")
    down = bodies.get("down")
    return ForeignMigration(
        version,
        rest.lstrip("_"),
        filename,
        bodies["up"],
        filename if down is not None else None,
        down,
        no_transaction=options["up"],
        down_no_transaction=options.get("down", False),
    )
