"""Group tokens into statements: which ';' ends a statement and which sits inside a body.

Each dialect has one rule for statements whose body holds ';':

- SQLite ``CREATE [TEMP] TRIGGER ... BEGIN ...; END;`` ends at a ';' that follows ``; END``,
  the rule of SQLite's own ``sqlite3_complete()``, so ``CASE ... END`` never ends the body.
- PostgreSQL follows psql: in ``CREATE [OR REPLACE] FUNCTION|PROCEDURE`` BEGIN opens a body
  (``BEGIN ATOMIC``), CASE nests inside it, END closes; a ';' inside parentheses (a rule's
  ``DO (...; ...)``) never ends a statement.
- MySQL/MariaDB, under the default delimiter, tracks BEGIN/CASE nesting in CREATE PROCEDURE,
  FUNCTION, TRIGGER and EVENT and in a top-level ``BEGIN NOT ATOMIC`` block.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from goofer_core._lexer import COMMAND, DELIM, PUNCT, QUOTED, SEMI, WORD, Token, line_at
from goofer_core.errors import SqlSplitError


class Unclosed(NamedTuple):
    """A body or parenthesis still open where the input ends: where it opened, and what it is."""

    offset: int
    problem: str


EndFinder = Callable[[Sequence[Token], int, int], tuple[int, Unclosed | None]]

_MYSQL_ROUTINES = frozenset({"PROCEDURE", "FUNCTION", "TRIGGER", "EVENT"})
_MYSQL_HEADER = frozenset(
    {"OR", "REPLACE", "DEFINER", "CURRENT_USER", "SQL", "SECURITY", "INVOKER", "AGGREGATE"}
)
_MYSQL_UNPUSHED = frozenset({"IF", "LOOP", "WHILE", "REPEAT", "FOR"})


def keyword(tokens: Sequence[Token], i: int) -> str:
    """Return the upper-cased keyword at i, or "" (not a word, or a name after a '.')."""
    token = tokens[i]
    if token.kind != WORD or (i > 0 and tokens[i - 1].value == "."):
        return ""
    return token.value


def _head(tokens: Sequence[Token], start: int, stop: int, count: int) -> list[str]:
    """Return the keywords of the first count tokens from start, padded with ""."""
    words = [keyword(tokens, i) for i in range(start, min(stop, start + count))]
    return words + [""] * (count - len(words))


def _next_semi(tokens: Sequence[Token], start: int, stop: int) -> int:
    """Return the index of the first ';' from start, or stop."""
    for i in range(start, stop):
        if tokens[i].kind == SEMI:
            return i
    return stop


def sqlite_end(tokens: Sequence[Token], start: int, stop: int) -> tuple[int, Unclosed | None]:
    """Return where the SQLite statement at start ends, keeping a trigger body whole."""
    head = _head(tokens, start, stop, 3)
    trigger = head[0] == "CREATE" and (
        head[1] == "TRIGGER" or (head[1] in ("TEMP", "TEMPORARY") and head[2] == "TRIGGER")
    )
    if not trigger:
        return _next_semi(tokens, start, stop), None
    begin = -1
    for i in range(start, stop):
        if begin < 0 and keyword(tokens, i) == "BEGIN":
            begin = i
        elif tokens[i].kind == SEMI and (begin < 0 or _trigger_done(tokens, begin, i)):
            return i, None
    if begin < 0 or _trigger_done(tokens, begin, stop):
        return stop, None
    return stop, Unclosed(tokens[begin].start, "unterminated CREATE TRIGGER body (BEGIN … END)")


def _trigger_done(tokens: Sequence[Token], begin: int, i: int) -> bool:
    """Tell whether the tokens before i end a trigger body: '; END' or 'BEGIN END'."""
    if i - 2 < begin or keyword(tokens, i - 1) != "END":
        return False
    return tokens[i - 2].kind == SEMI or i - 2 == begin


def postgres_end(tokens: Sequence[Token], start: int, stop: int) -> tuple[int, Unclosed | None]:
    """Return where the PostgreSQL statement at start ends, as psql decides it."""
    head = _head(tokens, start, stop, 4)
    routine = head[0] == "CREATE" and (
        head[1] in ("FUNCTION", "PROCEDURE")
        or (head[1:3] == ["OR", "REPLACE"] and head[3] in ("FUNCTION", "PROCEDURE"))
    )
    parens: list[int] = []
    depth, body, swallowed = 0, -1, False
    for i in range(start, stop):
        token = tokens[i]
        if token.kind == SEMI:
            if not parens and depth == 0:
                return i, None
            swallowed = True
        elif token.kind == PUNCT:
            if token.value == "(":
                parens.append(token.start)
            elif token.value == ")" and parens:
                parens.pop()
        elif routine and not parens:
            word = keyword(tokens, i)
            if word == "BEGIN" or (word == "CASE" and depth > 0):
                depth += 1
                body = token.start if depth == 1 else body
            elif word == "END" and depth > 0:
                depth -= 1
    if depth > 0:
        return stop, Unclosed(body, "unterminated BEGIN … END function body")
    if parens and swallowed:
        return stop, Unclosed(parens[0], "unclosed '(' (a ';' inside parentheses ends nothing)")
    return stop, None


def _mysql_routine(tokens: Sequence[Token], start: int, stop: int) -> bool:
    """Tell whether the statement at start is CREATE [DEFINER=...] PROCEDURE|FUNCTION|..."""
    if keyword(tokens, start) != "CREATE":
        return False
    for i in range(start + 1, min(stop, start + 16)):
        token = tokens[i]
        if (token.kind == PUNCT and token.value in "=@()") or token.kind == QUOTED:
            continue  # parts of DEFINER = 'user'@'host' or CURRENT_USER()
        if token.kind != WORD:
            return False
        if tokens[i - 1].value in ("=", "@"):
            continue  # a user or host name
        if token.value in _MYSQL_ROUTINES:
            return True
        if token.value not in _MYSQL_HEADER:
            return False
    return False


def _mysql_block(tokens: Sequence[Token], start: int, stop: int) -> bool:
    """Tell whether the statement at start is a BEGIN NOT ATOMIC block (MariaDB)."""
    return _head(tokens, start, stop, 3) == ["BEGIN", "NOT", "ATOMIC"]


def mysql_end(tokens: Sequence[Token], start: int, stop: int) -> tuple[int, Unclosed | None]:
    """Return where the MySQL statement at start ends, keeping a BEGIN … END body whole."""
    if not (_mysql_routine(tokens, start, stop) or _mysql_block(tokens, start, stop)):
        return _next_semi(tokens, start, stop), None
    depth, body, parens, i = 0, -1, 0, start
    while i < stop:
        token = tokens[i]
        word = keyword(tokens, i) if parens == 0 else ""
        if token.kind == SEMI and depth == 0:
            return i, None
        if token.kind == PUNCT and token.value in "()":
            parens = max(0, parens + (1 if token.value == "(" else -1))
        elif word in ("BEGIN", "CASE"):
            depth += 1
            body = token.start if depth == 1 else body
        elif word == "END" and depth > 0:
            after = keyword(tokens, i + 1) if i + 1 < stop else ""
            if after in _MYSQL_UNPUSHED:
                i += 1  # END IF/LOOP/WHILE/REPEAT/FOR closes a construct that was never pushed
            else:
                depth -= 1
                i += 1 if after == "CASE" else 0  # END CASE pops the CASE once
        i += 1
    if depth > 0:
        return stop, Unclosed(body, "unterminated BEGIN … END body")
    return stop, None


def statement_spans(
    text: str, tokens: Sequence[Token], find_end: EndFinder
) -> list[tuple[int, int]]:
    """Return (first, last) token indexes of each statement; raise on an unclosed body."""
    spans: list[tuple[int, int]] = []
    size, i, delimiter = len(tokens), 0, ";"
    hard = [j for j, token in enumerate(tokens) if token.kind in (DELIM, COMMAND)] + [size]
    next_hard = 0
    while i < size:
        token = tokens[i]
        while hard[next_hard] < i:
            next_hard += 1
        stop = hard[next_hard]
        if token.kind == COMMAND:
            delimiter = token.value
        if token.kind in (COMMAND, DELIM, SEMI):
            i += 1
            continue
        end, unclosed = find_end(tokens, i, stop) if delimiter == ";" else (stop, None)
        if unclosed is not None and end == size:
            raise SqlSplitError(line_at(text, unclosed.offset), unclosed.problem)
        if any(tokens[j].value != ";" for j in range(i, end)):
            spans.append((i, end - 1))
        i = end
    return spans
