"""How SQLite scripts split into statements: [bracketed] and `backtick` names, trigger bodies.

``CREATE [TEMP] TRIGGER ... BEGIN ...; END;`` ends at a ';' that follows ``; END``, the rule of
SQLite's own ``sqlite3_complete()``, so ``CASE ... END`` never ends the body.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..lexing import (
    QUOTED,
    SEMI,
    Lexer,
    SplitRules,
    Token,
    Unclosed,
    head_keywords,
    keyword,
    next_semi,
)


class SqliteLexer(Lexer):
    """Add SQLite's [bracketed] and `backtick` identifiers."""

    special_chars = "[`"

    def lex_dialect(self) -> bool:
        """Lex a bracketed or backtick identifier at pos."""
        char = self.text[self.pos]
        if char == "[":
            end = self.text.find("]", self.pos + 1)
            if end < 0:
                raise self.unterminated(self.pos, "bracketed identifier")
            self.emit(QUOTED, self.pos, end + 1, "")
        elif char == "`":
            self.lex_quoted("`", False, "quoted identifier")
        else:
            return False
        return True


def sqlite_end(tokens: Sequence[Token], start: int, stop: int) -> tuple[int, Unclosed | None]:
    """Return where the SQLite statement at start ends, keeping a trigger body whole."""
    head = head_keywords(tokens, start, stop, 3)
    trigger = head[0] == "CREATE" and (
        head[1] == "TRIGGER" or (head[1] in ("TEMP", "TEMPORARY") and head[2] == "TRIGGER")
    )
    if not trigger:
        return next_semi(tokens, start, stop), None
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


RULES = SplitRules(SqliteLexer, sqlite_end)
