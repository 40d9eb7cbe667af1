"""Read what SQLite's pragmas do not report from a CREATE TABLE text: checks and AUTOINCREMENT."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""\s+|--[^\n]*|/\*.*?(\*/|\Z)
    |(?P<string>'(?:[^']|'')*')
    |(?P<quoted>"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\])
    |(?P<word>[A-Za-z_][A-Za-z0-9_$]*)
    |(?P<punct>[(),])
    |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    """A token of SQL text with its position."""

    kind: str
    text: str
    start: int
    end: int

    @property
    def upper(self) -> str:
        """Return the token text upper-cased (for keywords)."""
        return self.text.upper()


@dataclass(frozen=True)
class CreateTableInfo:
    """What a CREATE TABLE says about checks and AUTOINCREMENT columns."""

    checks: tuple[tuple[str | None, str], ...]
    autoincrement_columns: tuple[str, ...]


def tokenize(sql: str) -> list[Token]:
    """Return the tokens of ``sql`` without whitespace and comments."""
    tokens = []
    for match in _TOKEN.finditer(sql):
        kind = match.lastgroup
        if kind is not None:
            tokens.append(Token(kind, match.group(kind), match.start(), match.end()))
    return tokens


def identifier(token: Token) -> str:
    """Return the name a (possibly quoted) identifier token stands for."""
    text = token.text
    if token.kind == "quoted":
        if text[0] == "[":
            return text[1:-1]
        return text[1:-1].replace(text[0] * 2, text[0])
    if token.kind == "string":
        return text[1:-1].replace("''", "'")
    return text


def _items(tokens: list[Token]) -> list[list[Token]]:
    """Split the tokens inside CREATE TABLE's outer parentheses at top-level commas."""
    start = next((i for i, t in enumerate(tokens) if t.text == "("), None)
    if start is None:
        return []
    items: list[list[Token]] = [[]]
    depth = 0
    for token in tokens[start + 1 :]:
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            if depth == 0:
                break
            depth -= 1
        elif token.text == "," and depth == 0:
            items.append([])
            continue
        items[-1].append(token)
    return [item for item in items if item]


def _parenthesised(sql: str, tokens: list[Token], open_index: int) -> str:
    """Return the text between the parenthesis at ``open_index`` and its match."""
    depth = 0
    for token in tokens[open_index:]:
        depth += {"(": 1, ")": -1}.get(token.text, 0)
        if depth == 0:
            return sql[tokens[open_index].end : token.start].strip()
    return sql[tokens[open_index].end :].strip()


def parse_create_table(sql: str) -> CreateTableInfo:
    """Return the checks (name, expression) and AUTOINCREMENT columns of a CREATE TABLE."""
    checks: list[tuple[str | None, str]] = []
    autoincrement: list[str] = []
    for item in _items(tokenize(sql)):
        is_column = item[0].upper not in ("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN")
        name: str | None = None
        for position, token in enumerate(item):
            if token.upper == "CONSTRAINT" and position + 1 < len(item):
                name = identifier(item[position + 1])
            elif (
                token.upper == "CHECK"
                and item[position + 1 : position + 2]
                and (item[position + 1].text == "(")
            ):
                checks.append((name, _parenthesised(sql, item, position + 1)))
                name = None
            elif token.upper == "AUTOINCREMENT" and is_column:
                autoincrement.append(identifier(item[0]))
            elif token.upper in ("PRIMARY", "UNIQUE", "NOT", "DEFAULT", "REFERENCES", "COLLATE"):
                name = None
    return CreateTableInfo(tuple(checks), tuple(autoincrement))
