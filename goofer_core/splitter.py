"""Split a SQL script into the statements the database would see, one per execute().

A real lexer per dialect (``_lexer``) skips strings, quoted identifiers, comments and
PostgreSQL dollar quotes, and the grouping rules (``_bodies``) keep bodies that contain
';' whole: SQLite trigger bodies, PostgreSQL ``BEGIN ATOMIC`` bodies, MySQL stored programs.
MySQL's client command ``DELIMITER`` is honoured and never sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from goofer_core._bodies import EndFinder, mysql_end, postgres_end, sqlite_end, statement_spans
from goofer_core._lexer import DIALECTS, line_at, tokenize
from goofer_core.errors import SqlSplitError

_END_FINDERS: dict[str, EndFinder] = {
    "sqlite": sqlite_end,
    "postgresql": postgres_end,
    "mysql": mysql_end,
}


@dataclass(frozen=True)
class Statement:
    """One statement of a script, as it is sent to the database."""

    index: int  # 1-based position of the statement in the script
    line: int  # 1-based line (in the whole script) of the statement's first significant character
    sql: str  # the text to send: no terminating delimiter, no leading or trailing comments


def split_statements(text: str, dialect: str) -> list[Statement]:
    """Split a SQL script into the statements the database would see, one per execute()."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown SQL dialect {dialect!r}: expected one of {', '.join(DIALECTS)}")
    nul = text.find("\x00")
    if nul >= 0:
        # libpq treats the query as a C string and silently drops everything after a NUL.
        raise SqlSplitError(line_at(text, nul), "NUL byte in the SQL text")
    tokens = tokenize(text, dialect)
    statements: list[Statement] = []
    line, offset = 1, 0
    for first, last in statement_spans(text, tokens, _END_FINDERS[dialect]):
        start = tokens[first].start
        line += text.count("\n", offset, start)
        offset = start
        sql = text[start : tokens[last].end]
        statements.append(Statement(len(statements) + 1, line, sql))
    return statements
