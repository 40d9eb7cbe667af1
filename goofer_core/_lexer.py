"""Tokenise SQL text for the statement splitter: one pass over the characters, per dialect.

Only significant tokens are kept. Whitespace and ordinary comments are skipped, so the
splitter can cut a statement from its first to its last significant token and keep the
comments inside it. Strings, quoted identifiers, dollar quotes and MySQL executable comments
are opaque tokens: a ';' inside them never ends a statement.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from goofer_core.errors import SqlSplitError

WORD = "word"  # identifier, keyword or number; value is the upper-cased text
QUOTED = "quoted"  # string, quoted identifier, dollar quote, MySQL executable comment
PUNCT = "punct"  # any other single character; value is the character
SEMI = "semi"  # ';' under the default delimiter: ends a statement unless a body is open
DELIM = "delim"  # a custom MySQL client delimiter: always ends a statement
COMMAND = "command"  # a MySQL client DELIMITER line: never sent; value is the new delimiter

_SPACE_CHARS = " \t\n\r\f\v"
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
# Word characters are ASCII letters, digits, _ (and $ where allowed) plus every non-ASCII code
# point. Written as negated ASCII classes: the same sets as [A-Za-z0-9_$\x80-\U0010ffff], but a
# class spanning all of Unicode takes ~8 ms each to compile, paid at every run that applies.
_WORD = re.compile(r"[^\x00-\x23\x25-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]+")
_PG_WORD = re.compile(
    r"[^\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f][^\x00-\x23\x25-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]*"
)
_DOLLAR_TAG = re.compile(
    r"\$(?:[^\x00-\x40\x5b-\x5e\x60\x7b-\x7f][^\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]*)?\$"
)
_QUOTE_OR_BACKSLASH = {q: re.compile("[\\\\" + q + "]") for q in "'\""}
_COMMENT_MARK = re.compile(r"/\*|\*/")
_DELIMITER_LINE = re.compile(r"(?i:delimiter)[ \t]+(\S+)[^\n]*")


class Token(NamedTuple):
    """One significant token: its kind, its span in the text and its value."""

    kind: str
    start: int
    end: int
    value: str


def line_at(text: str, offset: int) -> int:
    """Return the 1-based line number of offset in text."""
    return text.count("\n", 0, offset) + 1


def quoted_end(text: str, start: int, quote: str, backslash: bool) -> int:
    """Return the end of the run quoted by text[start], or -1 if it is unterminated.

    A doubled quote stands for one quote; with backslash, a backslash escapes the next
    character (MySQL strings, PostgreSQL E'' strings).
    """
    i = start + 1
    while True:
        if backslash:
            match = _QUOTE_OR_BACKSLASH[quote].search(text, i)
            j = match.start() if match else -1
        else:
            j = text.find(quote, i)
        if j < 0:
            return -1
        if text[j] == "\\" or text.startswith(quote, j + 1):
            i = j + 2
            continue
        return j + 1


def block_comment_end(text: str, start: int, nested: bool) -> int:
    """Return the end of the block comment opening at start, or -1 if it is unterminated."""
    if not nested:
        j = text.find("*/", start + 2)
        return -1 if j < 0 else j + 2
    depth, i = 0, start
    while True:
        match = _COMMENT_MARK.search(text, i)
        if match is None:
            return -1
        depth += 1 if match.group() == "/*" else -1
        i = match.end()
        if depth == 0:
            return i


class Lexer:
    """Tokenise the parts every dialect shares: ';', '', "", --, /* */ and words."""

    word_pattern = _WORD
    special_chars = ""  # the characters at which lex_dialect() may find something
    nested_comments = False
    backslash_strings = False
    double_quote_kind = "quoted identifier"

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 1 if text.startswith("\ufeff") else 0
        self.line_start = True
        self.tokens: list[Token] = []

    def run(self) -> list[Token]:
        """Return the significant tokens of the whole text."""
        text, size = self.text, len(self.text)
        while self.pos < size:
            char = text[self.pos]
            if char in _SPACE_CHARS:
                self.skip_spaces()
            elif not (char in self.special_chars and self.lex_dialect()):
                self.lex_common()
        return self.tokens

    def skip_spaces(self) -> None:
        """Skip the whitespace at pos, noting whether it ends a line."""
        spaces = _SPACES.match(self.text, self.pos)
        end = spaces.end() if spaces else self.pos + 1
        if self.text.find("\n", self.pos, end) >= 0:
            self.line_start = True
        self.pos = end

    def lex_dialect(self) -> bool:
        """Lex a construct only this dialect has at pos; return False if there is none."""
        return False

    def lex_common(self) -> None:
        """Lex the construct at pos that every dialect shares."""
        text, pos = self.text, self.pos
        char = text[pos]
        if char == ";":
            self.emit(SEMI, pos, pos + 1, ";")
        elif char == "'":
            self.lex_quoted("'", self.backslash_strings, "string literal")
        elif char == '"':
            self.lex_quoted('"', self.backslash_strings, self.double_quote_kind)
        elif text.startswith("--", pos):
            self.skip_line_comment()
        elif text.startswith("/*", pos):
            end = block_comment_end(text, pos, self.nested_comments)
            if end < 0:
                raise self.unterminated(pos, "block comment")
            self.skip_to(end)
        else:
            match = self.word_pattern.match(text, pos)
            if match is None:
                self.emit(PUNCT, pos, pos + 1, char)
            else:
                self.lex_word(pos, match.end())

    def lex_word(self, start: int, end: int) -> None:
        """Emit the word text[start:end]."""
        self.emit(WORD, start, end, self.text[start:end].upper())

    def lex_quoted(self, quote: str, backslash: bool, kind: str) -> None:
        """Emit the run quoted by the quote character at pos."""
        end = quoted_end(self.text, self.pos, quote, backslash)
        if end < 0:
            raise self.unterminated(self.pos, kind)
        self.emit(QUOTED, self.pos, end, "")

    def skip_line_comment(self) -> None:
        """Skip the line comment at pos, up to the end of its line."""
        end = self.text.find("\n", self.pos)
        self.skip_to(len(self.text) if end < 0 else end)

    def skip_to(self, end: int) -> None:
        """Skip a comment that ends at end."""
        self.pos = end
        self.line_start = False

    def emit(self, kind: str, start: int, end: int, value: str) -> None:
        """Record a significant token and move past it."""
        self.tokens.append(Token(kind, start, end, value))
        self.pos = end
        self.line_start = False

    def unterminated(self, start: int, what: str) -> SqlSplitError:
        """Return the error for a construct opened at start and never closed."""
        return SqlSplitError(line_at(self.text, start), f"unterminated {what}")


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


class PostgresLexer(Lexer):
    """Add dollar quotes, E'' strings and nested block comments."""

    word_pattern = _PG_WORD
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


_LEXERS: dict[str, type[Lexer]] = {
    "sqlite": SqliteLexer,
    "postgresql": PostgresLexer,
    "mysql": MysqlLexer,
}
DIALECTS = tuple(_LEXERS)


def tokenize(text: str, dialect: str) -> list[Token]:
    """Return the significant tokens of text, lexed by the rules of dialect."""
    return _LEXERS[dialect](text).run()
