"""How MySQL/MariaDB scripts split into statements, as the mysql client splits them.

Backslash escapes in strings, `backtick` names, # and '-- ' comments, /*! */ executable comments
and the client's ``DELIMITER`` lines (never sent). Under the default delimiter, BEGIN/CASE
nesting is tracked in CREATE PROCEDURE, FUNCTION, TRIGGER and EVENT and in a top-level
``BEGIN NOT ATOMIC`` block.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...errors import SqlSplitError
from ..lexing import (
    COMMAND,
    DELIM,
    PUNCT,
    QUOTED,
    SEMI,
    WORD,
    Lexer,
    SplitRules,
    Token,
    Unclosed,
    head_keywords,
    keyword,
    line_at,
    next_semi,
)

_DELIMITER_LINE = re.compile(r"(?i:delimiter)[ \t]+(\S+)[^\n]*")

_MYSQL_ROUTINES = frozenset({"PROCEDURE", "FUNCTION", "TRIGGER", "EVENT"})
_MYSQL_HEADER = frozenset(
    {"OR", "REPLACE", "DEFINER", "CURRENT_USER", "SQL", "SECURITY", "INVOKER", "AGGREGATE"}
)
_MYSQL_UNPUSHED = frozenset({"IF", "LOOP", "WHILE", "REPEAT", "FOR"})


_MYSQL_SPECIAL = "dD;#`-/"


class MysqlLexer(Lexer):
    """Add backslash escapes, `backtick` identifiers, # and '-- ' comments, /*! */ and DELIMITER."""

    backslash_strings = True
    double_quote_kind = "string literal"

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.delimiter = ";"
        self.special_chars = _MYSQL_SPECIAL

    def lex_dialect(self) -> bool:
        """Lex a DELIMITER line, the delimiter or a MySQL-only construct at pos."""
        text, pos = self.text, self.pos
        char = text[pos]
        if self.line_start and char in "dD" and self.lex_delimiter_command():
            return True
        if self.delimiter != ";" and text.startswith(self.delimiter, pos):
            self.emit(DELIM, pos, pos + len(self.delimiter), self.delimiter)
        elif char == ";" and self.delimiter != ";":
            self.emit(PUNCT, pos, pos + 1, ";")
        elif char == "#":
            self.skip_line_comment()
        elif char == "`":
            self.lex_quoted("`", False, "quoted identifier")
        elif text.startswith("--", pos):
            # '--' starts a comment only before whitespace: SELECT 1--1 is arithmetic.
            after = text[pos + 2 : pos + 3]
            if after and after > " ":
                self.emit(PUNCT, pos, pos + 1, "-")
            else:
                self.skip_line_comment()
        elif text.startswith(("/*!", "/*M!"), pos):
            end = text.find("*/", pos + 3)
            if end < 0:
                raise self.unterminated(pos, "executable comment /*!")
            self.emit(QUOTED, pos, end + 2, "")
        else:
            return False
        return True

    def lex_delimiter_command(self) -> bool:
        """Lex the client command DELIMITER <new delimiter> that fills the line at pos."""
        match = _DELIMITER_LINE.match(self.text, self.pos)
        if match is None:
            return False
        delimiter = match.group(1)
        if len(delimiter) > 1 and delimiter[0] in "'\"`" and delimiter[-1] == delimiter[0]:
            delimiter = delimiter[1:-1]
        if not delimiter or "\\" in delimiter:
            raise SqlSplitError(
                line_at(self.text, self.pos),
                f"invalid DELIMITER {match.group(1)}: a delimiter cannot contain a backslash"
                if delimiter
                else "DELIMITER needs a non-empty delimiter",
            )
        self.delimiter = delimiter
        self.special_chars = _MYSQL_SPECIAL + delimiter[0]
        self.emit(COMMAND, self.pos, match.end(), delimiter)
        return True

    def lex_word(self, start: int, end: int) -> None:
        """Emit the word, cut where a custom delimiter starts inside it (END$$)."""
        if self.delimiter != ";":
            cut = self.text.find(self.delimiter, start + 1, end + len(self.delimiter) - 1)
            if cut > 0:
                end = cut
        super().lex_word(start, end)


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
    return head_keywords(tokens, start, stop, 3) == ["BEGIN", "NOT", "ATOMIC"]


def mysql_end(tokens: Sequence[Token], start: int, stop: int) -> tuple[int, Unclosed | None]:
    """Return where the MySQL statement at start ends, keeping a BEGIN … END body whole."""
    if not (_mysql_routine(tokens, start, stop) or _mysql_block(tokens, start, stop)):
        return next_semi(tokens, start, stop), None
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


RULES = SplitRules(MysqlLexer, mysql_end)
