"""Property tests of the SQL splitter: random scripts built from known statements split back.

Each script is made of statement fragments full of ';' hidden in strings, quoted identifiers,
comments, dollar quotes and bodies, joined by delimiters and random whitespace and comments.
The splitter must give back exactly those fragments, each on the line where it starts.
"""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goofer_core.dialects import get_dialect
from goofer_core.errors import SqlSplitError
from goofer_core.migrations.split import split_statements

Draw = st.DrawFn
EXAMPLES = settings(max_examples=50, deadline=None)

# Characters that trip naive splitters; no '*' (so no accidental '/*' or '*/') and no newline.
TRICKY = st.text(alphabet="ab ;'\"`$-#/\\[]é—", max_size=10)
WORDS = ["x", "col_1", "begin_date", "end_at", "t.begin", "t.end", "42", "3.5", "+", "=", ","]


def _sq(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _dq(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _bt(text: str) -> str:
    return "`" + text.replace("`", "``") + "`"


def _backslash_quoted(text: str, quote: str, doubled: bool) -> str:
    escaped = text.replace("\\", "\\\\").replace(quote, quote * 2 if doubled else "\\" + quote)
    return quote + escaped + quote


@st.composite
def _dollar(draw: Draw) -> str:
    """Return a PostgreSQL dollar quote, maybe holding another one with a different tag."""
    tag = draw(st.sampled_from(["", "body", "BODY", "x_1"]))
    body = draw(TRICKY)
    if draw(st.booleans()):
        inner = draw(st.sampled_from(["$q$", "$BODY$", "$$"]).filter(lambda t: t != f"${tag}$"))
        body += f" {inner}{draw(TRICKY).replace('$', '')}{inner}"
    quoted = f"${tag}$" + body + f"${tag}$"
    # The first closing tag must be the real one (a body ending in "$body" would close early).
    if quoted.find(f"${tag}$", len(tag) + 2) != len(quoted) - len(tag) - 2:
        return f"${tag}$ ${tag}$"
    return quoted


def _block_comment(dialect: str) -> st.SearchStrategy[str]:
    plain = TRICKY.map(lambda t: f"/* {t.replace('/', '')} */")
    if dialect != "postgresql":
        return plain
    return st.tuples(plain, plain).map(lambda p: f"/* {p[0]} {p[1]} */")  # nested


def _line_comment(dialect: str) -> st.SearchStrategy[str]:
    starts = ["-- ", "# "] if dialect == "mysql" else ["-- ", "--"]
    return st.tuples(st.sampled_from(starts), TRICKY).map(lambda p: p[0] + p[1] + "\n")


def _value(dialect: str) -> st.SearchStrategy[str]:
    """Return a strategy for one significant atom of dialect: a word, literal or quoted name."""
    common = [st.sampled_from(WORDS), st.just("CASE WHEN x THEN 'a;' END AS c")]
    if dialect == "sqlite":
        extra = [
            TRICKY.map(_sq),
            TRICKY.map(_dq),
            TRICKY.map(_bt),
            TRICKY.map(lambda t: "[" + t.replace("]", "") + "]"),
            st.just("x'3B'"),
            st.just("'C:\\'"),
        ]
    elif dialect == "postgresql":
        extra = [
            TRICKY.map(_sq),
            TRICKY.map(_dq),
            _dollar(),
            TRICKY.map(lambda t: "E" + _backslash_quoted(t, "'", doubled=False)),
            st.sampled_from(["$1", "#>> '{a,b}'", "->>", "::text[]", "@>", "B'101'", "'C:\\'"]),
            st.just("f(a, ';', (b))"),
        ]
    else:
        extra = [
            st.tuples(TRICKY, st.sampled_from("'\""), st.booleans()).map(
                lambda p: _backslash_quoted(*p)
            ),
            TRICKY.map(_bt),
            st.sampled_from(["1--1", "b'01'", "x'1F'", "_utf8mb4'a;'", "root@'localhost'"]),
            st.just("/*!50003 SQL_NO_CACHE */"),
            st.just("f(a, ';', (b))"),
        ]
    return st.one_of(*common, *extra)


@st.composite
def _fragment(draw: Draw, dialect: str, inner: bool = False) -> str:
    """Return one statement: significant atoms with comments and whitespace in between."""
    parts = [draw(st.sampled_from(["SELECT", "INSERT INTO t VALUES", "UPDATE t SET x ="]))]
    if not inner and draw(st.booleans()):
        parts = [draw(_value(dialect))]
    noise = st.one_of(_block_comment(dialect), _line_comment(dialect))
    for _ in range(draw(st.integers(0, 5))):
        if draw(st.integers(0, 3)) == 0:
            parts.append(draw(noise))
        parts.append(draw(_value(dialect)))
    spaces = st.sampled_from([" ", "\n", "  \n\t", "\r\n"])
    text = parts[0]
    for part in parts[1:]:
        text += ("" if text.endswith("\n") else draw(spaces)) + part
    return text


@st.composite
def _body_fragment(draw: Draw, dialect: str) -> str:
    """Return a statement whose body holds ';': a trigger, BEGIN ATOMIC or stored program."""
    inner = [draw(_fragment(dialect, inner=True)) for _ in range(draw(st.integers(1, 3)))]
    body = "".join(f"{stmt};\n" for stmt in inner)
    if dialect == "sqlite":
        head = draw(st.sampled_from(["CREATE TRIGGER", "create temp trigger if not exists"]))
        return f"{head} trg AFTER INSERT ON t\nBEGIN\n{body}END"
    if dialect == "postgresql":
        head = draw(st.sampled_from(["CREATE FUNCTION", "CREATE OR REPLACE PROCEDURE"]))
        return f"{head} f(begin int) LANGUAGE sql\nBEGIN ATOMIC\n{body}END"
    head = draw(
        st.sampled_from(
            [
                "CREATE PROCEDURE p(IN begin INT)",
                "CREATE DEFINER=root@'localhost' PROCEDURE p()",
                "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW",
                "CREATE OR REPLACE EVENT e ON SCHEDULE EVERY 1 DAY DO",
            ]
        )
    )
    if draw(st.booleans()):
        return f"BEGIN NOT ATOMIC\n{draw(_mysql_block(inner, 2))}END"
    return f"{head}\nlbl: BEGIN\n{draw(_mysql_block(inner, 2))}END lbl"


@st.composite
def _mysql_block(draw: Draw, inner: list[str], depth: int) -> str:
    """Return MySQL compound statements nesting IF, loops, CASE and BEGIN around inner."""
    out = ""
    for stmt in inner:
        shape = draw(st.integers(0, 6 if depth else 0))
        body = draw(_mysql_block([stmt], depth - 1)) if shape else ""
        out += [
            f"{stmt};\n",
            f"IF x THEN\n{body}ELSE SELECT 1;\nEND IF;\n",
            f"WHILE x DO\n{body}END WHILE;\n",
            f"l2: LOOP\n{body}LEAVE l2;\nEND LOOP l2;\n",
            f"REPEAT\n{body}UNTIL x END REPEAT;\n",
            f"CASE x WHEN 1 THEN\n{body}ELSE BEGIN END;\nEND CASE;\n",
            f"BEGIN\n{body}END;\n",
        ][shape]
    return out


def _gap(dialect: str, semicolons: bool) -> st.SearchStrategy[str]:
    """Return a strategy for text between statements: whitespace, comments, empty statements."""
    pieces = [st.sampled_from([" ", "\n", "\t", "\r\n", "\n\n"])]
    pieces += [_block_comment(dialect), _line_comment(dialect)]
    if semicolons:
        pieces.append(st.just(";"))
    return st.lists(st.one_of(*pieces), max_size=4).map(" ".join)


@st.composite
def _script(draw: Draw, dialect: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Return a script and the (index, line, sql) statements it is made of."""
    statement = st.one_of(_fragment(dialect), _body_fragment(dialect))
    script = draw(_gap(dialect, semicolons=True))
    expected = []
    count = draw(st.integers(1, 5))
    for index in range(1, count + 1):
        text = draw(statement)
        expected.append((index, script.count("\n") + 1, text))
        script += text
        if index < count or draw(st.booleans()):  # the last ';' is optional
            script += draw(st.sampled_from(["", " ", "\n", " /* ; */ "])) + ";"
        script += draw(_gap(dialect, semicolons=True))
    return script, expected


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql"])
@EXAMPLES
@given(data=st.data())
def test_split_gives_back_the_fragments(dialect: str, data: st.DataObject) -> None:
    script, expected = data.draw(_script(dialect), label="script")
    got = [(s.number, s.line, s.sql) for s in split_statements(script, dialect)]
    assert got == expected
    if dialect == "sqlite":  # SQLite's own sqlite3_complete() agrees each one is whole
        assert all(sqlite3.complete_statement(sql + ";") for _, _, sql in expected)


@st.composite
def _delimiter_script(draw: Draw) -> tuple[str, list[tuple[int, int, str]]]:
    """Return a MySQL script that switches DELIMITER between statements, and its statements."""
    script, delimiter, expected = draw(_gap("mysql", semicolons=False)), ";", []
    for index in range(1, draw(st.integers(1, 5)) + 1):
        wanted = draw(st.sampled_from([";", "$$", "//", ";;"]))
        if wanted != delimiter or draw(st.integers(0, 4)) == 0:
            keyword = draw(st.sampled_from(["DELIMITER", "delimiter"]))
            script += f"\n{keyword} {wanted}\n" + draw(_gap("mysql", semicolons=False))
            delimiter = wanted
        text = draw(_fragment("mysql") if delimiter == ";" else _body_fragment("mysql"))
        if delimiter != ";" and draw(st.booleans()):
            text += "; SELECT 2"  # a bare ';' is statement content under another delimiter
        expected.append((index, script.count("\n") + 1, text))
        script += text + draw(st.sampled_from(["", " ", "\n"])) + delimiter
        script += draw(_gap("mysql", semicolons=False))
    return script, expected


@settings(max_examples=35, deadline=None)
@given(data=st.data())
def test_mysql_delimiter_scripts(data: st.DataObject) -> None:
    script, expected = data.draw(_delimiter_script(), label="script")
    got = [(s.number, s.line, s.sql) for s in split_statements(script, "mysql")]
    assert got == expected


PIECES = [*"ab ;'\"`$-#/*\\[]():.!\n\t", "E'", "$$", "$a$", "/*!", "-- "]
PIECES += ["BEGIN", "END", "CASE", "ATOMIC", "NOT", "IF", "CREATE", "TRIGGER", "FUNCTION"]
PIECES += ["\nDELIMITER $$\n", "\ndelimiter ;\n", "\nDELIMITER //\n"]


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql"])
@settings(max_examples=200, deadline=None)
@given(text=st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_any_text_splits_or_raises_sql_split_error(dialect: str, text: str) -> None:
    try:
        statements = split_statements(text, dialect)
    except SqlSplitError as error:
        assert 1 <= error.line <= text.count("\n") + 1
        return
    assert [s.number for s in statements] == list(range(1, len(statements) + 1))
    lines = [s.line for s in statements]
    assert lines == sorted(lines)
    for statement in statements:
        assert statement.sql and statement.sql == statement.sql.strip()
        starts = [i for i in range(len(text)) if text.startswith(statement.sql, i)]
        assert any(_line_at(text, i) == statement.line for i in starts)


# -- the plain-statement shortcut -----------------------------------------------------------
# split_statements returns a script that is plainly one statement without lexing it. Whenever
# the shortcut answers, its answer must be the lexer's, on every dialect.

PLAIN_ALPHABET = "ab ;\t\n\r()_,=.*+'\"`$-#/\\[]éBbEeGgIiNnDdLlMmTtRr\x00"


@EXAMPLES
@given(st.text(alphabet=PLAIN_ALPHABET, max_size=40))
def test_plain_shortcut_agrees_with_the_lexer(text):
    from goofer_core.migrations.split import lex_statements, plain_statement

    plain = plain_statement(text)
    if plain is None:
        return
    for dialect in ("sqlite", "postgresql", "mysql"):
        assert lex_statements(text, get_dialect(dialect)) == [plain], (dialect, text)


@EXAMPLES
@given(
    st.lists(st.text(alphabet=PLAIN_ALPHABET.replace("\n", ""), max_size=12), max_size=3),
    st.text(alphabet=PLAIN_ALPHABET, max_size=30),
)
def test_plain_shortcut_agrees_after_leading_comments(comments, body):
    from goofer_core.migrations.split import lex_statements, plain_statement

    text = "".join(f"--{c}\n" for c in comments) + body
    plain = plain_statement(text)
    if plain is None:
        return
    for dialect in ("sqlite", "postgresql", "mysql"):
        assert lex_statements(text, get_dialect(dialect)) == [plain], (dialect, text)


@pytest.mark.parametrize(
    "text",
    [
        "CREATE TABLE t (id INTEGER PRIMARY KEY);",
        "\n\n  CREATE INDEX i ON t (a);\n",
        "-- 20240101000300: index t.created_at\nCREATE INDEX i ON t (created_at);\n",
        "-- goofer:no-transaction\n-- it's 'quoted'; and $$ here\n\nCREATE INDEX i ON t (a);",
        "ALTER TABLE t ADD COLUMN b INTEGER NOT NULL DEFAULT 0",
        "SELECT 1;  \n\t",
    ],
)
def test_plain_shortcut_takes_one_plain_statement(text):
    from goofer_core.migrations.split import lex_statements, plain_statement

    plain = plain_statement(text)
    assert plain is not None
    assert [plain] == lex_statements(text, get_dialect("postgresql"))


@pytest.mark.parametrize(
    "text",
    [
        "SELECT 1; SELECT 2;",  # two statements
        "SELECT ';';",  # a string
        "SELECT 1; -- done",  # a comment after the ';'
        "--x\nSELECT 1;",  # not a comment on MySQL
        "-- only a comment",
        "-- a\nSELECT 1 -- b\n;",  # a comment inside the statement
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;",
        "DELIMITER |\nCREATE PROCEDURE p() SELECT 1 |\nDELIMITER ;",
        "SELECT $$a$$;",
        "SELECT 'é';",
        ";",
        "",
    ],
)
def test_plain_shortcut_leaves_anything_else_to_the_lexer(text):
    from goofer_core.migrations.split import plain_statement

    assert plain_statement(text) is None
