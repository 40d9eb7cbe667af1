"""How PostgreSQL scripts split into statements, as psql splits them.

Dollar quotes, E'' strings and nested block comments are opaque. In ``CREATE [OR REPLACE]
FUNCTION|PROCEDURE`` BEGIN opens a body (``BEGIN ATOMIC``), CASE nests inside it, END closes; a
';' inside parentheses (a rule's ``DO (...; ...)``) never ends a statement.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..lexing import (
    PUNCT,
    QUOTED,
    SEMI,
    Lexer,
    SplitRules,
    Token,
    Unclosed,
    head_keywords,
    keyword,
    quoted_end,
)

_WORD = re.compile(
    r"[^\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f][^\x00-\x23\x25-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]*"
)
_DOLLAR_TAG = re.compile(
    r"\$(?:[^\x00-\x40\x5b-\x5e\x60\x7b-\x7f][^\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]*)?\$"
)


class PostgresLexer(Lexer):
    """Add dollar quotes, E'' strings and nested block comments."""

    word_pattern = _WORD
    special_chars = "$"
    nested_comments = True

    def lex_dialect(self) -> bool:
        """Lex a dollar quote (or a lone '$', as in the parameter $1) at pos."""
        text, pos = self.text, self.pos
        if text[pos] != "$":
            return False
        match = _DOLLAR_TAG.match(text, pos)
        if match is None:
            self.emit(PUNCT, pos, pos + 1, "$")
            return True
        tag = match.group()
        close = text.find(tag, match.end())
        if close < 0:
            raise self.unterminated(pos, f"dollar-quoted string {tag}")
        self.emit(QUOTED, pos, close + len(tag), "")
        return True

    def lex_word(self, start: int, end: int) -> None:
        """Emit the word, or the E'...' string (backslash escapes) it prefixes."""
        text = self.text
        if end - start == 1 and text[start] in "eE" and text.startswith("'", end):
            close = quoted_end(text, end, "'", backslash=True)
            if close < 0:
                raise self.unterminated(start, "string literal E'...'")
            self.emit(QUOTED, start, close, "")
        else:
            super().lex_word(start, end)


def postgres_end(tokens: Sequence[Token], start: int, stop: int) -> tuple[int, Unclosed | None]:
    """Return where the PostgreSQL statement at start ends, as psql decides it."""
    head = head_keywords(tokens, start, stop, 4)
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


RULES = SplitRules(PostgresLexer, postgres_end)
