"""Several dialects from one history: a migrations directory with one folder per dialect.

``migrations/sqlite/``, ``migrations/postgresql/``, ``migrations/mysql/`` (the canonical names
of ``goofer_core.dialects.NAMES``) each hold that dialect's files, with the same ids. A
directory that holds any such folder is laid out this way: a database runs the folder of its
own dialect (``folder_for``), and ``check`` compares the folders (``folder_differences``).

``folder_for`` runs at every boot: it costs a stat or two, and imports nothing.
"""

from __future__ import annotations

import os

from ..errors import ConfigurationError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path

#: The folder names, in the order messages list them.
DIALECT_FOLDERS = ("sqlite", "postgresql", "mysql")


def dialect_folders(directory: str | Path) -> list[str]:
    """Return the dialects that have a folder in ``directory`` (none: a single-folder project)."""
    root = os.fspath(directory)
    return [name for name in DIALECT_FOLDERS if os.path.isdir(os.path.join(root, name))]


def folder_for(directory: str | Path, dialect: str) -> str:
    """Return where ``dialect``'s migrations are: ``directory/<dialect>``, or ``directory``.

    A directory without dialect folders is a single-folder project and is returned as is. One
    with folders for other dialects only is an error: running its (absent) top-level files
    would find nothing to do and say so, which is worse than saying why.
    """
    root = os.fspath(directory)
    own = os.path.join(root, dialect)
    if os.path.isdir(own):
        refuse_top_level_files(root)
        return own
    others = dialect_folders(root)
    if others:
        raise ConfigurationError(
            f"migrations directory {root!r} has folders for {', '.join(others)} but none for "
            f"{dialect} ({own}): add it, with the other folders' migrations written for {dialect}"
        )
    return root


def refuse_top_level_files(root: str) -> None:
    """Raise for a migration file beside the dialect folders: no database would ever run it."""
    with os.scandir(root) as scan:
        stray = sorted(e.name for e in scan if e.name.endswith((".up.sql", ".down.sql")))
    if stray:
        raise ConfigurationError(
            f"{stray[0]}: a migration file in {root}, beside its dialect folders, would never "
            "run: move it into the folder of its dialect"
        )


def layout_dialects(directory: str | Path, configured: Iterable[str] = ()) -> list[str]:
    """Return the dialects a history is written for: configured ones plus existing folders.

    Empty for a single-folder project. Aliases count as their dialect (``postgres``).
    """
    from ..dialects import dialect_name

    wanted = {dialect_name(name) for name in configured}
    wanted.update(dialect_folders(directory))
    return [name for name in DIALECT_FOLDERS if name in wanted]


def folder_differences(directory: str | Path, dialects: Sequence[str]) -> list[str]:
    """Return one line per way the dialect folders are out of step (empty when they agree).

    Every migration is in every folder, with the same name, unless both its files in each
    copy say ``-- goofer:only`` which dialects it belongs to: then it is in exactly those.
    A copy in a folder its mark excludes is an error (raised when the folder is loaded).
    """
    from .files import load_migrations, only_dialects, refuse_other_dialects

    root = os.fspath(directory)
    if os.path.isdir(root):
        refuse_top_level_files(root)
    copies: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {}
    reasons = []
    for dialect in dialects:
        folder = os.path.join(root, dialect)
        migrations = load_migrations(folder) if os.path.isdir(folder) else []
        refuse_other_dialects(migrations, dialect, folder)
        for m in migrations:
            marks = m.only_dialects
            down = only_dialects(m.read_down(), m.down_filename)
            if down != marks:
                reasons.append(
                    f"{m.label}: in {folder}, the up file is marked for "
                    f"{_dialects_text(marks)} but the down file for {_dialects_text(down)}"
                )
            copies.setdefault(m.id, {})[dialect] = (m.name, marks)
    for mid in sorted(copies):
        reasons += _copy_differences(root, mid, copies[mid], dialects)
    return reasons


def _copy_differences(
    root: str, mid: str, copies: dict[str, tuple[str, tuple[str, ...]]], dialects: Sequence[str]
) -> list[str]:
    """Return what is wrong with one id's copies across the dialect folders."""
    names = sorted({name for name, _ in copies.values()})
    label = f"{mid}_{names[0]}"
    if len(names) > 1:
        where = ", ".join(f"{name} in {d}" for d, (name, _) in copies.items())
        return [f"{mid}: named differently in the dialect folders ({where})"]
    marks = {m for _, m in copies.values()}
    if len(marks) > 1:
        where = ", ".join(f"{_dialects_text(m)} in {d}" for d, (_, m) in copies.items())
        return [f"{label}: marked differently in the dialect folders ({where})"]
    mark = marks.pop()
    expected = mark or tuple(dialects)
    present = ", ".join(copies)
    hint = (
        ""
        if mark
        else f"; if it belongs to {present} only, make '-- goofer:only {present.replace(' ', '')}'"
        " the first line of each of its files"
    )
    return [
        f"{label}: missing from {os.path.join(root, d)} (it is in {present}{hint})"
        for d in expected
        if d not in copies and d in dialects
    ]


def _dialects_text(marks: tuple[str, ...]) -> str:
    return ",".join(marks) if marks else "every dialect"
