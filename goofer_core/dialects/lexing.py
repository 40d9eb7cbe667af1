"""What every dialect's statement splitting shares: the tokenizer base and the grouping loop.

Each dialect's ``lexer.py`` extends ``Lexer`` with its own quoting and comments and gives the rule
for where a statement whose body holds ';' ends (``SplitRules``); ``migrations/split.py`` puts them
together. Only significant tokens are kept. Whitespace and ordinary comments are skipped, so the
splitter can cut a statement from its first to its last significant token and keep the
comments inside it. Strings, quoted identifiers, dollar quotes and MySQL executable comments
are opaque tokens: a ';' inside them never ends a statement.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from goofer_core.errors import SqlSplitError

WORD = "word"  # identifier, keyword or number; value is the upper-cased text
QUOTED = "quoted"  # string, quoted identifier, dollar quote, MySQL executable comment
PUNCT = "punct"  # any other single character; value is the character
SEMI = "semi"  # ';' under the default delimiter: ends a statement unless a body is open
DELIM = "delim"  # a custom MySQL client delimiter: always ends a statement
COMMAND = "command"  # a MySQL client DELIMITER line: never sent; value is the new delimiter

SPACE_CHARS = " \t\n\r\f\v"
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
# Word characters are ASCII letters, digits, _ (and $ where allowed) plus every non-ASCII code
# point. Written as negated ASCII classes: the same sets as [A-Za-z0-9_$\x80-\U0010ffff], but a
# class spanning all of Unicode takes ~8 ms each to compile, paid at every run that applies.
WORD_PATTERN = re.compile(r"[^\x00-\x23\x25-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]+")
_QUOTE_OR_BACKSLASH = {q: re.compile("[\\\\" + q + "]") for q in "'\""}
_COMMENT_MARK = re.compile(r"/\*|\*/")


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

    word_pattern = WORD_PATTERN
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
            if char in SPACE_CHARS:
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


class Unclosed(NamedTuple):
    """A body or parenthesis still open where the input ends: where it opened, and what it is."""

    offset: int
    problem: str


EndFinder = Callable[[Sequence[Token], int, int], tuple[int, Unclosed | None]]


def keyword(tokens: Sequence[Token], i: int) -> str:
    """Return the upper-cased keyword at i, or "" (not a word, or a name after a '.')."""
    token = tokens[i]
    if token.kind != WORD or (i > 0 and tokens[i - 1].value == "."):
        return ""
    return token.value


def head_keywords(tokens: Sequence[Token], start: int, stop: int, count: int) -> list[str]:
    """Return the keywords of the first count tokens from start, padded with ""."""
    words = [keyword(tokens, i) for i in range(start, min(stop, start + count))]
    return words + [""] * (count - len(words))


def next_semi(tokens: Sequence[Token], start: int, stop: int) -> int:
    """Return the index of the first ';' from start, or stop."""
    for i in range(start, stop):
        if tokens[i].kind == SEMI:
            return i
    return stop


class SplitRules(NamedTuple):
    """How one dialect splits a script: its lexer, and where a statement at a token ends."""

    lexer: type[Lexer]
    statement_end: EndFinder

    def tokenize(self, text: str) -> list[Token]:
        """Return the significant tokens of ``text``."""
        return self.lexer(text).run()


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
