"""Which tables of a Django database are Goofer's: those its migrations create.

Django's flush empties only the tables of managed models, so a test that commits rows into a
table created by a Goofer migration would leave them behind. The tables a Goofer directory owns
are read from its up files: every ``CREATE TABLE`` (temporary tables aside), followed through
``ALTER TABLE ... RENAME TO``. Only those that exist in the database count, the tracking table
never does, and they are listed in the order the migrations create them.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from goofer_core.dialects import get_dialect
from goofer_core.dialects.lexing import QUOTED, WORD, Token, keyword
from goofer_core.migrations.files import load_migrations

_CREATE_MODIFIERS = frozenset({"GLOBAL", "LOCAL", "UNLOGGED", "OR", "REPLACE"})
_TEMPORARY = frozenset({"TEMP", "TEMPORARY"})


@functools.lru_cache(maxsize=16)
def created_tables(directory: str, dialect: str) -> tuple[str, ...]:
    """Return the tables the up files of ``directory`` create (after renames), in file order.

    Read once per process: every transactional test's flush asks, and the files do not change
    during a test run.
    """
    rules = get_dialect(dialect).split_rules()
    tables: list[str] = []
    for migration in load_migrations(directory, True, lambda *_: None):
        tokens = rules.tokenize(migration.up_sql)
        text = migration.up_sql
        for i in range(len(tokens)):
            word = keyword(tokens, i)
            if word == "CREATE":
                name = _created_name(text, tokens, i + 1)
                if name and name.lower() not in {t.lower() for t in tables}:
                    tables.append(name)
            elif word == "ALTER":
                _follow_rename(text, tokens, i + 1, tables)
    return tuple(tables)


def _created_name(text: str, tokens: Sequence[Token], i: int) -> str | None:
    """Return the table named by ``CREATE [modifiers] TABLE [IF NOT EXISTS] name`` at i."""
    while i < len(tokens) and keyword(tokens, i) in _CREATE_MODIFIERS:
        i += 1
    if i < len(tokens) and keyword(tokens, i) in _TEMPORARY:
        return None
    if i >= len(tokens) or keyword(tokens, i) != "TABLE":
        return None
    i += 1
    if [keyword(tokens, j) for j in range(i, min(i + 3, len(tokens)))] == ["IF", "NOT", "EXISTS"]:
        i += 3
    return _qualified_name(text, tokens, i)[0]


def _follow_rename(text: str, tokens: Sequence[Token], i: int, tables: list[str]) -> None:
    """Apply ``ALTER TABLE [IF EXISTS] [ONLY] old RENAME TO new`` at i to ``tables``."""
    if i >= len(tokens) or keyword(tokens, i) != "TABLE":
        return
    i += 1
    while i < len(tokens) and keyword(tokens, i) in {"IF", "EXISTS", "ONLY"}:
        i += 1
    old, i = _qualified_name(text, tokens, i)
    if old is None or [keyword(tokens, j) for j in (i, i + 1) if j < len(tokens)] != [
        "RENAME",
        "TO",
    ]:
        return
    new = _qualified_name(text, tokens, i + 2)[0]
    for index, table in enumerate(tables):
        if new and table.lower() == old.lower():
            tables[index] = new


def _qualified_name(text: str, tokens: Sequence[Token], i: int) -> tuple[str | None, int]:
    """Return the last part of ``a.b.c`` at i (quotes removed) and the index after it."""
    name = None
    while i < len(tokens):
        token = tokens[i]
        if token.kind == WORD:
            name = text[token.start : token.end]
        elif token.kind == QUOTED and text[token.start] in '"`':
            quote = text[token.start]
            name = text[token.start + 1 : token.end - 1].replace(quote * 2, quote)
        else:
            break
        i += 1
        if i < len(tokens) and tokens[i].value == ".":
            i += 1
            continue
        break
    return name, i


def goofer_tables(connection: Any, directory: str, dialect: str, tracking: str) -> list[str]:
    """Return the tables of ``directory`` that exist on a Django connection, tracking table aside.

    Nothing when the tracking table does not exist there: Goofer has never run on it.
    """
    existing = {
        name.lower(): name for name in connection.introspection.table_names(include_views=False)
    }
    if tracking.lower() not in existing:
        return []
    found = (existing.get(name.lower()) for name in created_tables(directory, dialect))
    return [name for name in found if name is not None and name.lower() != tracking.lower()]
