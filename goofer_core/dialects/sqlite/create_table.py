"""Read what SQLite's pragmas do not report from a CREATE TABLE text.

That is: check constraints, AUTOINCREMENT columns and which foreign keys are DEFERRABLE
INITIALLY DEFERRED.
"""

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
    """What a CREATE TABLE says about checks, AUTOINCREMENT and deferred foreign keys."""

    checks: tuple[tuple[str | None, str], ...]
    autoincrement_columns: tuple[str, ...]
    deferred_foreign_keys: tuple[tuple[str, ...], ...] = ()  # their referencing columns


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
    deferred: list[tuple[str, ...]] = []
    for item in _items(tokenize(sql)):
        is_column = item[0].upper not in ("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN")
        if _defers_a_foreign_key(item):
            deferred.append(_referencing_columns(item, is_column))
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
    return CreateTableInfo(tuple(checks), tuple(autoincrement), tuple(deferred))


def _defers_a_foreign_key(item: list[Token]) -> bool:
    """Say whether a column or table constraint ends in DEFERRABLE INITIALLY DEFERRED."""
    words = [t.upper for t in item]
    for at in range(len(words) - 2):
        if words[at : at + 3] == ["DEFERRABLE", "INITIALLY", "DEFERRED"]:
            return "REFERENCES" in words[:at] and (at == 0 or words[at - 1] != "NOT")
    return False


def _referencing_columns(item: list[Token], is_column: bool) -> tuple[str, ...]:
    """Return the column a REFERENCES clause is on, or a FOREIGN KEY's column list."""
    if is_column:
        return (identifier(item[0]),)
    start = next(i for i, t in enumerate(item) if t.upper == "FOREIGN") + 2  # FOREIGN KEY (
    columns = []
    for token in item[start + 1 :]:
        if token.text == ")":
            break
        if token.text != ",":
            columns.append(identifier(token))
    return tuple(columns)
