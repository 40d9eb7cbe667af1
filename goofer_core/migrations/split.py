"""Split a SQL script into the statements the database would see, one per execute().

A real lexer per dialect (``dialects/<name>/lexer.py``) skips strings, quoted identifiers,
comments and PostgreSQL dollar quotes, and its grouping rule keeps bodies that contain ';'
whole: SQLite trigger bodies, PostgreSQL ``BEGIN ATOMIC`` bodies, MySQL stored programs.
MySQL's client command ``DELIMITER`` is honoured and never sent.

Most migrations are one plain statement, perhaps after a few comment lines. A script with at
most one ``;``, at its end, and after its leading ``--`` lines none of the characters or words
that start a string, identifier quote, comment, dollar quote, body or ``DELIMITER`` is that
statement, whatever the dialect: it is returned without lexing (and without importing the lexer
and compiling its patterns), the same as the lexer would return.
"""

from __future__ import annotations

from ..dialects import Dialect, get_dialect
from ..errors import GooferError, MigrationFileError, SqlSplitError
from ..values import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .files import MigrationFile

_SPACE_CHARS = " \t\n\r\f\v"  # what the lexer skips as whitespace
# Anything that may make the lexer read the text differently from "words up to the ';'".
_LEXED_MARKS = ("'", '"', "`", "[", "$", "\\", "--", "/*", "#", "\x00")
_LEXED_WORDS = ("begin", "delimiter")


class Statement(Record):
    """One statement of a script, as it is sent to the database."""

    number: int  # 1-based position of the statement in the script
    line: int  # 1-based line of the statement's first significant character
    sql: str  # the text to send: no terminating delimiter, no leading or trailing comments


def split_statements(text: str, dialect: str | Dialect) -> list[Statement]:
    """Split a SQL script into the statements the database would see, one per execute()."""
    if isinstance(dialect, str):
        dialect = get_dialect(dialect)
    plain = plain_statement(text)
    if plain is not None:
        return [plain]
    return lex_statements(text, dialect)


def plain_statement(text: str) -> Statement | None:
    """Return the script as its one statement if it is plainly one (see above), else None.

    Whole-line ``--`` comments before the statement are skipped, as the lexer does (only those
    with a space after the dashes, which every dialect, MySQL included, reads as a comment).
    """
    start, size = 0, len(text)
    while True:
        while start < size and text[start] in _SPACE_CHARS:
            start += 1
        if not (
            text.startswith("--", start) and start + 2 < size and text[start + 2] in _SPACE_CHARS
        ):
            break
        end_of_line = text.find("\n", start)
        if end_of_line < 0:
            return None
        start = end_of_line + 1
    body = text[start:]
    semi = body.find(";")
    if semi >= 0 and (body.find(";", semi + 1) >= 0 or body[semi + 1 :].strip(_SPACE_CHARS)):
        return None
    if not body.isascii() or any(mark in body for mark in _LEXED_MARKS):
        return None
    lowered = body.lower()
    if any(word in lowered for word in _LEXED_WORDS):
        return None
    sql = (body if semi < 0 else body[:semi]).rstrip(_SPACE_CHARS)
    if not sql:
        return None
    return Statement(1, text.count("\n", 0, start) + 1, sql)


def lex_statements(text: str, dialect: Dialect) -> list[Statement]:
    """Split ``text`` with the dialect's lexer (``split_statements`` past its shortcut)."""
    # Imported here: the lexer compiles its patterns on import, and most scripts never need it.
    from ..dialects.lexing import line_at, statement_spans

    nul = text.find("\x00")
    if nul >= 0:
        # libpq treats the query as a C string and silently drops everything after a NUL.
        raise SqlSplitError(line_at(text, nul), "NUL byte in the SQL text")
    rules = dialect.split_rules()
    tokens = rules.tokenize(text)
    statements: list[Statement] = []
    line, offset = 1, 0
    for first, last in statement_spans(text, tokens, rules.statement_end):
        start = tokens[first].start
        line += text.count("\n", offset, start)
        offset = start
        sql = text[start : tokens[last].end]
        statements.append(Statement(len(statements) + 1, line, sql))
    return statements


# First words of the statements that start, end or undo a transaction.
_TRANSACTION_CONTROL = frozenset({"begin", "start", "commit", "end", "rollback", "abort"})


def transaction_control(statement: Statement) -> str | None:
    """Return ``COMMIT``, ``BEGIN``... when the statement starts or ends a transaction, else None.

    ``ROLLBACK TO SAVEPOINT`` stays inside the transaction, and ``START`` is a transaction only
    as ``START TRANSACTION``. (MariaDB's ``BEGIN NOT ATOMIC`` block is one too, but MySQL
    migrations do not run in a transaction, so nothing asks there.)
    """
    words = statement.sql.split(None, 2)
    first = words[0].lower() if words else ""
    second = words[1].lower() if len(words) > 1 else ""
    if first not in _TRANSACTION_CONTROL:
        return None
    if (first, second) == ("rollback", "to") or (first == "start" and second != "transaction"):
        return None
    return first.upper()


def migration_statements(
    text: str, filename: str, dialect: Dialect, in_transaction: bool
) -> list[Statement]:
    """Return a migration file's statements; refuse transaction control where Goofer holds one.

    Where a migration runs in Goofer's transaction, a COMMIT in it would commit part of the
    migration without its tracking row (and, on SQLite, let go of the run lock). ``up``,
    ``down``, ``sql`` and ``sql --offline`` all split through here, so they refuse alike.
    """
    try:
        statements = split_statements(text, dialect)
    except GooferError as exc:
        raise GooferError(f"{filename}: {exc}") from None
    if in_transaction and dialect.transactional_ddl:
        for statement in statements:
            word = transaction_control(statement)
            if word is not None:
                raise MigrationFileError(
                    filename,
                    f"statement {statement.number} (line {statement.line}): {word} inside a "
                    "migration that Goofer runs in a transaction would commit part of it "
                    "without its tracking row: remove it, or make '-- goofer:no-transaction' "
                    "the file's first line",
                )
    return statements


def up_statements(m: MigrationFile, dialect: Dialect) -> list[Statement]:
    """Return the up file's statements; refuse a file with none (an unedited --empty)."""
    statements = migration_statements(m.up_sql, m.up_filename, dialect, not m.no_transaction)
    if not statements:
        raise MigrationFileError(
            m.up_filename,
            "has no SQL statement, only comments or blank lines: write the migration, "
            "or delete the pair",
        )
    return statements
