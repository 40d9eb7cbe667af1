"""Table-driven tests of the SQL splitter: tricky scripts and the statements they must give.

Items S1-S16 refer to the table "Splitting into statements" in shared/LESSONS.md.
Each case lists (line, sql) per expected statement; the index is the position in that list.
"""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from goofer_core.errors import ConfigurationError, SqlSplitError
from goofer_core.migrations.split import Statement, split_statements

DIALECTS = ("sqlite", "postgresql", "mysql")


def case(name: str, dialect: str, script: str, *expected: tuple[int, str]) -> Any:
    """Return a pytest param: script (dedented) in dialect must split into expected."""
    return pytest.param(dialect, textwrap.dedent(script), list(expected), id=f"{dialect}-{name}")


# fmt: off
COMMON: list[tuple[Any, ...]] = [
    ("two-statements", "SELECT 1;\nSELECT 2;\n", (1, "SELECT 1"), (2, "SELECT 2")),
    ("S13-last-without-semicolon", "SELECT 1;\nSELECT 2\n", (1, "SELECT 1"), (2, "SELECT 2")),
    ("S13-last-then-comment", "SELECT 1\n-- the end\n", (1, "SELECT 1")),
    ("empty-chunks-dropped", ";\n ; -- c;\n/* d; */ ;\nSELECT 1;;", (4, "SELECT 1")),
    ("comment-only-script", "-- nothing; here\n/* 'nor' here */\n"),
    ("empty-script", ""),
    ("leading-comment-not-in-sql", "-- intro; it's\n\n/* more */ SELECT 1;", (3, "SELECT 1")),
    ("comment-inside-kept", "SELECT 1 -- one;\n + 2;", (1, "SELECT 1 -- one;\n + 2")),
    ("trailing-comment-dropped", "SELECT 1 /* x */ ;-- y\n", (1, "SELECT 1")),
    ("S7-semicolon-quote-in-comments", "SELECT 1; -- don't; \"\nSELECT 2 /* ' ; */ + 1;",
     (1, "SELECT 1"), (2, "SELECT 2 /* ' ; */ + 1")),
    ("string-with-doubled-quote", "SELECT 'it''s; ok';SELECT 2",
     (1, "SELECT 'it''s; ok'"), (1, "SELECT 2")),
    ("S6-dashes-in-string", "SELECT '-->'; SELECT '/*';\nSELECT 3;",
     (1, "SELECT '-->'"), (1, "SELECT '/*'"), (2, "SELECT 3")),
    ("double-quotes-doubled", 'SELECT "a;""b" FROM t;\nSELECT 2;',
     (1, 'SELECT "a;""b" FROM t'), (2, "SELECT 2")),
    ("multi-line-string", "SELECT 'a;\n\n-- b;\n';\nSELECT 2;",
     (1, "SELECT 'a;\n\n-- b;\n'"), (5, "SELECT 2")),
    ("crlf", "SELECT 1;\r\nSELECT 2;\r\n", (1, "SELECT 1"), (2, "SELECT 2")),
    ("bom-skipped", "\ufeffSELECT 1;", (1, "SELECT 1")),
    ("non-ascii", "SELECT 'café — ☃;';\nSELECT 2", (1, "SELECT 'café — ☃;'"), (2, "SELECT 2")),
    ("keywords-are-whole-words", "SELECT begin_date, end_date FROM t;\nSELECT 2;",
     (1, "SELECT begin_date, end_date FROM t"), (2, "SELECT 2")),
    ("case-end-outside-bodies", "SELECT CASE WHEN a THEN 1 END FROM t; SELECT 2",
     (1, "SELECT CASE WHEN a THEN 1 END FROM t"), (1, "SELECT 2")),
]

SQLITE = [
    case("S11-trigger-body", "sqlite", """\
        CREATE TABLE t (id INTEGER);
        CREATE TRIGGER trg AFTER INSERT ON t
        BEGIN
          INSERT INTO log VALUES (new.id);
          DELETE FROM old_log;
        END;
        SELECT 1;
        """,
        (1, "CREATE TABLE t (id INTEGER)"),
        (2, "CREATE TRIGGER trg AFTER INSERT ON t\nBEGIN\n  INSERT INTO log VALUES (new.id);\n"
            "  DELETE FROM old_log;\nEND"),
        (7, "SELECT 1")),
    case("trigger-case-end-inside", "sqlite",
        "CREATE TRIGGER trg AFTER UPDATE ON t BEGIN UPDATE t SET x = CASE WHEN new.x THEN 1 END;"
        " SELECT CASE 1 WHEN 1 THEN 2 END; END; SELECT 2;",
        (1, "CREATE TRIGGER trg AFTER UPDATE ON t BEGIN UPDATE t SET x = CASE WHEN new.x THEN 1"
            " END; SELECT CASE 1 WHEN 1 THEN 2 END; END"),
        (1, "SELECT 2")),
    case("temp-trigger-if-not-exists", "sqlite",
        "create temp trigger if not exists trg before delete on t begin select 1; end;\n"
        "CREATE TEMPORARY TRIGGER t2 AFTER INSERT ON t WHEN new.x > 0 BEGIN SELECT 2; END",
        (1, "create temp trigger if not exists trg before delete on t begin select 1; end"),
        (2, "CREATE TEMPORARY TRIGGER t2 AFTER INSERT ON t WHEN new.x > 0 BEGIN SELECT 2; END")),
    case("trigger-end-with-comment-before-semicolon", "sqlite",
        "CREATE TRIGGER trg AFTER INSERT ON t BEGIN SELECT 1; END -- done\n; SELECT 2",
        (1, "CREATE TRIGGER trg AFTER INSERT ON t BEGIN SELECT 1; END"), (2, "SELECT 2")),
    case("trigger-quoted-end-column", "sqlite",
        'CREATE TRIGGER trg AFTER INSERT ON t BEGIN UPDATE t SET "end" = new."end"; END;',
        (1, 'CREATE TRIGGER trg AFTER INSERT ON t BEGIN UPDATE t SET "end" = new."end"; END')),
    case("begin-transaction-is-plain", "sqlite",
        "BEGIN;\nBEGIN TRANSACTION;\nBEGIN IMMEDIATE;\nEND TRANSACTION;\nEND;\nCOMMIT;",
        (1, "BEGIN"), (2, "BEGIN TRANSACTION"), (3, "BEGIN IMMEDIATE"), (4, "END TRANSACTION"),
        (5, "END"), (6, "COMMIT")),
    case("bracket-and-backtick-identifiers", "sqlite",
        "SELECT [a;b], `c;``d` FROM [t'x];\nSELECT 2;",
        (1, "SELECT [a;b], `c;``d` FROM [t'x]"), (2, "SELECT 2")),
    case("S10-backslash-is-literal", "sqlite", r"SELECT 'C:\'; SELECT 2",
        (1, r"SELECT 'C:\'"), (1, "SELECT 2")),
    case("blob-literal", "sqlite", "SELECT x'3B';SELECT 2", (1, "SELECT x'3B'"), (1, "SELECT 2")),
]

POSTGRES = [
    case("S1-dollar-body", "postgresql", """\
        CREATE FUNCTION f() RETURNS int AS $$
        BEGIN
          RETURN 1;
        END;
        $$ LANGUAGE plpgsql;
        SELECT f();
        """,
        (1, "CREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$ LANGUAGE plpgsql"),
        (6, "SELECT f()")),
    case("S1-tagged-body", "postgresql",
        "CREATE FUNCTION f() RETURNS trigger AS $BODY$ BEGIN NEW.x := 1; RETURN NEW; END $BODY$"
        " LANGUAGE plpgsql; SELECT 2;",
        (1, "CREATE FUNCTION f() RETURNS trigger AS $BODY$ BEGIN NEW.x := 1; RETURN NEW; END"
            " $BODY$ LANGUAGE plpgsql"),
        (1, "SELECT 2")),
    case("S2-nested-dollar-tags", "postgresql",
        "DO $$ BEGIN EXECUTE $BODY$ SELECT ';' $BODY$; END $$; SELECT $a$ $$; $a$;",
        (1, "DO $$ BEGIN EXECUTE $BODY$ SELECT ';' $BODY$; END $$"), (1, "SELECT $a$ $$; $a$")),
    case("S3-dollar-language-without-space", "postgresql",
        "CREATE FUNCTION f() RETURNS int AS $$SELECT 1;$$LANGUAGE sql;\nSELECT 2",
        (1, "CREATE FUNCTION f() RETURNS int AS $$SELECT 1;$$LANGUAGE sql"), (2, "SELECT 2")),
    case("S4-escape-string-then-function", "postgresql",
        r"SELECT E'it\'s; \\';" "\n"
        r"CREATE FUNCTION f() RETURNS varbit AS $$ SELECT x'1ff'; $$ LANGUAGE sql;",
        (1, r"SELECT E'it\'s; \\'"),
        (2, r"CREATE FUNCTION f() RETURNS varbit AS $$ SELECT x'1ff'; $$ LANGUAGE sql")),
    case("S5-begin-atomic", "postgresql", """\
        CREATE OR REPLACE FUNCTION add_one(i int) RETURNS int LANGUAGE sql
        BEGIN ATOMIC
          SELECT CASE WHEN i > 0 THEN i + 1 ELSE 0 END;
          SELECT 2;
        END;
        CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END;
        BEGIN;
        COMMIT;
        """,
        (1, "CREATE OR REPLACE FUNCTION add_one(i int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n"
            "  SELECT CASE WHEN i > 0 THEN i + 1 ELSE 0 END;\n  SELECT 2;\nEND"),
        (6, "CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END"),
        (7, "BEGIN"), (8, "COMMIT")),
    case("return-case-without-body", "postgresql",
        "CREATE FUNCTION f(begin int) RETURNS int LANGUAGE sql RETURN CASE WHEN begin > 0"
        " THEN 1 END; SELECT 2",
        (1, "CREATE FUNCTION f(begin int) RETURNS int LANGUAGE sql RETURN CASE WHEN begin > 0"
            " THEN 1 END"),
        (1, "SELECT 2")),
    case("S10-backslash-literal-in-standard-string", "postgresql", r"SELECT 'C:\'; SELECT 2",
        (1, r"SELECT 'C:\'"), (1, "SELECT 2")),
    case("S12-operators", "postgresql",
        "SELECT data #>> '{a,b}', data->>'k', a::text[], b @> '[1]' FROM t; SELECT 2",
        (1, "SELECT data #>> '{a,b}', data->>'k', a::text[], b @> '[1]' FROM t"),
        (1, "SELECT 2")),
    case("S14-em-dash-in-escape-string", "postgresql", "SELECT E'a — b;';\nSELECT 2;",
        (1, "SELECT E'a — b;'"), (2, "SELECT 2")),
    case("S15-escape-string-blank-and-comment-lines", "postgresql",
        "INSERT INTO t VALUES (E'one;\n\n-- two;\nthree\\n');\nSELECT 2;",
        (1, "INSERT INTO t VALUES (E'one;\n\n-- two;\nthree\\n')"), (5, "SELECT 2")),
    case("S16-old-style-quoted-body", "postgresql",
        "CREATE FUNCTION f() RETURNS text AS 'SELECT ''a;b''::text; ' LANGUAGE sql;\nSELECT f();",
        (1, "CREATE FUNCTION f() RETURNS text AS 'SELECT ''a;b''::text; ' LANGUAGE sql"),
        (2, "SELECT f()")),
    case("dollar-parameter-is-not-a-quote", "postgresql",
        "PREPARE q AS SELECT $1::int, $2; EXECUTE q(1, 2);",
        (1, "PREPARE q AS SELECT $1::int, $2"), (1, "EXECUTE q(1, 2)")),
    case("dollar-inside-identifier", "postgresql", "SELECT 1 AS a$$b; SELECT 2",
        (1, "SELECT 1 AS a$$b"), (1, "SELECT 2")),
    case("bit-hex-unicode-prefixes", "postgresql",
        r"SELECT B'101', X'1F', U&'d\0061t;'; SELECT 2",
        (1, r"SELECT B'101', X'1F', U&'d\0061t;'"), (1, "SELECT 2")),
    case("nested-block-comment", "postgresql", "/* a /* b; */ c; */ SELECT 1; /* x */ SELECT 2",
        (1, "SELECT 1"), (1, "SELECT 2")),
    case("rule-with-parenthesised-actions", "postgresql",
        "CREATE RULE r AS ON DELETE TO t DO ALSO (INSERT INTO l VALUES (1); DELETE FROM m);\n"
        "SELECT 2;",
        (1, "CREATE RULE r AS ON DELETE TO t DO ALSO (INSERT INTO l VALUES (1); DELETE FROM m)"),
        (2, "SELECT 2")),
    case("hash-is-an-operator", "postgresql", "SELECT 5 # 3;\nSELECT 2",
        (1, "SELECT 5 # 3"), (2, "SELECT 2")),
]

MYSQL = [
    case("S8-delimiter-dollars", "mysql", """\
        DELIMITER $$
        CREATE PROCEDURE p()
        BEGIN
          SELECT 1;
        END$$
        DELIMITER ;
        CALL p();
        """,
        (2, "CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\nEND"), (7, "CALL p()")),
    case("S8-two-delimiter-lines-in-a-row", "mysql",
        "DELIMITER $$\ndelimiter //\nCREATE PROCEDURE p() BEGIN SELECT 1; END //\n"
        "SELECT 2//\nDELIMITER ;\nSELECT 3;",
        (3, "CREATE PROCEDURE p() BEGIN SELECT 1; END"), (4, "SELECT 2"), (6, "SELECT 3")),
    case("S8-double-semicolon-delimiter", "mysql",
        "DELIMITER ;;\n"
        "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = 1; END;;\n"
        "DELIMITER ;\nSELECT 2;",
        (2, "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = 1; END"),
        (4, "SELECT 2")),
    case("S8-comment-right-before-delimiter", "mysql",
        "# switch it\nDELIMITER //\n-- and again\n  DELIMITER ;\nSELECT 1;", (5, "SELECT 1")),
    case("S8-delimiter-hash-vs-hash-comment", "mysql",
        "DELIMITER #\nSELECT 1#\nSELECT 2 #\nDELIMITER ;\nSELECT 3; # a comment",
        (2, "SELECT 1"), (3, "SELECT 2"), (5, "SELECT 3")),
    case("S8-delimiter-in-block-comment-or-string", "mysql",
        "/*\nDELIMITER $$\n*/\nSELECT 'x\nDELIMITER $$\n';\nSELECT 2;",
        (4, "SELECT 'x\nDELIMITER $$\n'"), (7, "SELECT 2")),
    case("S8-delimiter-flushes-unterminated-statement", "mysql",
        "SELECT 1\nDELIMITER $$\nSELECT 2$$", (1, "SELECT 1"), (3, "SELECT 2")),
    case("S8-quoted-delimiter-argument", "mysql",
        "DELIMITER '//'\nSELECT 1//\nDELIMITER ;\nSELECT 2;", (2, "SELECT 1"), (4, "SELECT 2")),
    case("semicolon-inside-custom-delimiter-statement", "mysql",
        "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END;//\nDELIMITER ;",
        (2, "CREATE PROCEDURE p() BEGIN SELECT 1; END;")),
    case("S9-backslash-and-prefixed-literals", "mysql",
        r"SELECT 'C:\\', 'it\'s;', b'01', x'1F', _utf8mb4'x;';" "\nSELECT 2;",
        (1, r"SELECT 'C:\\', 'it\'s;', b'01', x'1F', _utf8mb4'x;'"), (2, "SELECT 2")),
    case("S10-backslash-escapes-quote", "mysql", "SELECT 'C:\\'; SELECT 2';\nSELECT 3;",
        (1, "SELECT 'C:\\'; SELECT 2'"), (2, "SELECT 3")),
    case("double-quoted-string-backslash", "mysql", r'SELECT "a\";b"; SELECT 2',
        (1, r'SELECT "a\";b"'), (1, "SELECT 2")),
    case("backtick-doubled", "mysql", "SELECT `a;``b` FROM t; SELECT 2",
        (1, "SELECT `a;``b` FROM t"), (1, "SELECT 2")),
    case("S6-arrow-in-table-comment", "mysql",
        "CREATE TABLE t (id INT) COMMENT='Look at this cool arrow -->';\nSELECT 2;",
        (1, "CREATE TABLE t (id INT) COMMENT='Look at this cool arrow -->'"), (2, "SELECT 2")),
    case("S7-quotes-in-hash-comments", "mysql", "# it's \"here\";\nSELECT 1; # don't\nSELECT 2",
        (2, "SELECT 1"), (3, "SELECT 2")),
    case("double-dash-needs-whitespace", "mysql",
        "SELECT 1--1;\nSELECT 2 --\tc;\n;SELECT 3 --\n;",
        (1, "SELECT 1--1"), (2, "SELECT 2"), (3, "SELECT 3")),
    case("executable-comments-are-content", "mysql",
        "/*!40101 SET @a = 1 */;\n/*M!100100 SET @b = 2 */;\n/*!50003 SET @c = ';' */;"
        "/* plain */;",
        (1, "/*!40101 SET @a = 1 */"), (2, "/*M!100100 SET @b = 2 */"),
        (3, "/*!50003 SET @c = ';' */")),
    case("procedure-without-delimiter", "mysql", """\
        CREATE DEFINER=root@'localhost' PROCEDURE p(IN begin INT, n INT)
        lbl: BEGIN
          DECLARE CONTINUE HANDLER FOR SQLEXCEPTION BEGIN SET @e = 1; END;
          IF n > 0 THEN SELECT 1; ELSE SELECT 2; END IF;
          WHILE 0 DO SELECT 3; END WHILE;
          r: REPEAT SELECT 4; UNTIL 1 END REPEAT r;
          l: LOOP LEAVE l; END LOOP l;
          CASE n WHEN 1 THEN SELECT 5; ELSE SELECT CASE WHEN 1 THEN 6 END; END CASE;
          SELECT t.end FROM t; SELECT t.begin FROM t;
        END lbl;
        CALL p(1, 1);
        """,
        (1, "CREATE DEFINER=root@'localhost' PROCEDURE p(IN begin INT, n INT)\nlbl: BEGIN\n"
            "  DECLARE CONTINUE HANDLER FOR SQLEXCEPTION BEGIN SET @e = 1; END;\n"
            "  IF n > 0 THEN SELECT 1; ELSE SELECT 2; END IF;\n"
            "  WHILE 0 DO SELECT 3; END WHILE;\n  r: REPEAT SELECT 4; UNTIL 1 END REPEAT r;\n"
            "  l: LOOP LEAVE l; END LOOP l;\n"
            "  CASE n WHEN 1 THEN SELECT 5; ELSE SELECT CASE WHEN 1 THEN 6 END; END CASE;\n"
            "  SELECT t.end FROM t; SELECT t.begin FROM t;\nEND lbl"),
        (11, "CALL p(1, 1)")),
    case("trigger-function-event-without-delimiter", "mysql",
        "CREATE OR REPLACE DEFINER=`root`@`%` TRIGGER t AFTER INSERT ON x FOR EACH ROW\n"
        "BEGIN INSERT INTO log VALUES (NEW.id); END;\n"
        "CREATE FUNCTION f(x INT) RETURNS INT RETURN CASE WHEN x THEN 1 END;\n"
        "CREATE DEFINER = CURRENT_USER() EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN"
        " DELETE FROM a; DELETE FROM b; END;\n"
        "CREATE TABLE procs (event INT, begin INT);",
        (1, "CREATE OR REPLACE DEFINER=`root`@`%` TRIGGER t AFTER INSERT ON x FOR EACH ROW\n"
            "BEGIN INSERT INTO log VALUES (NEW.id); END"),
        (3, "CREATE FUNCTION f(x INT) RETURNS INT RETURN CASE WHEN x THEN 1 END"),
        (4, "CREATE DEFINER = CURRENT_USER() EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN"
            " DELETE FROM a; DELETE FROM b; END"),
        (5, "CREATE TABLE procs (event INT, begin INT)")),
    case("begin-not-atomic-block", "mysql",
        "BEGIN NOT ATOMIC DECLARE v INT; SET v = 1; END;\n"
        "begin not atomic blk: begin select 1; end blk; end;\nBEGIN;\nBEGIN WORK;\nCOMMIT;",
        (1, "BEGIN NOT ATOMIC DECLARE v INT; SET v = 1; END"),
        (2, "begin not atomic blk: begin select 1; end blk; end"), (3, "BEGIN"),
        (4, "BEGIN WORK"), (5, "COMMIT")),
    case("definer-with-quoted-host", "mysql",
        "CREATE DEFINER='admin'@'%' SQL SECURITY INVOKER VIEW v AS SELECT 1; SELECT 2",
        (1, "CREATE DEFINER='admin'@'%' SQL SECURITY INVOKER VIEW v AS SELECT 1"),
        (1, "SELECT 2")),
]

# fmt: on


def _common_cases() -> list[Any]:
    """Return the COMMON scripts as params for every dialect."""
    return [
        case(name, dialect, script, *expected)
        for dialect in DIALECTS
        for name, script, *expected in COMMON
    ]


CASES = _common_cases() + SQLITE + POSTGRES + MYSQL


@pytest.mark.parametrize(("dialect", "script", "expected"), CASES)
def test_split(dialect: str, script: str, expected: list[tuple[int, str]]) -> None:
    got = [(s.number, s.line, s.sql) for s in split_statements(script, dialect)]
    assert got == [(index, line, sql) for index, (line, sql) in enumerate(expected, 1)]


# fmt: off
ERRORS = [
    case("single-quote", "sqlite", "SELECT 1;\nSELECT 'abc;\n", (2, "unterminated string literal")),
    case("double-quote", "sqlite", 'SELECT "a;', (1, "unterminated quoted identifier")),
    case("bracket", "sqlite", "SELECT 1;\n\nSELECT [a;", (3, "unterminated bracketed identifier")),
    case("backtick", "sqlite", "SELECT `a``;", (1, "unterminated quoted identifier")),
    case("block-comment", "sqlite", "SELECT 1; /* a\n*", (1, "unterminated block comment")),
    case("trigger-body", "sqlite",
        "SELECT 1;\nCREATE TRIGGER t AFTER INSERT ON x\nBEGIN\n SELECT 1;\nSELECT 2;",
        (3, "unterminated CREATE TRIGGER body (BEGIN … END)")),
    case("dollar-quote", "postgresql", "SELECT 1;\nDO $body$ BEGIN; END; $$;\n",
        (2, "unterminated dollar-quoted string $body$")),
    case("escape-string", "postgresql", "SELECT E'it\\';",
        (1, "unterminated string literal E'...'")),
    case("standard-string", "postgresql", "SELECT 'a''", (1, "unterminated string literal")),
    case("quoted-identifier", "postgresql", 'SELECT 1 AS "a""',
        (1, "unterminated quoted identifier")),
    case("nested-block-comment", "postgresql", "/* a /* b */ SELECT 1;",
        (1, "unterminated block comment")),
    case("begin-atomic", "postgresql",
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n SELECT 1;\n",
        (2, "unterminated BEGIN … END function body")),
    case("unclosed-parenthesis", "postgresql", "SELECT 1;\nINSERT INTO t VALUES (1;\nSELECT 2;",
        (2, "unclosed '(' (a ';' inside parentheses ends nothing)")),
    case("S10-backslash-quote", "mysql", "SELECT 'C:\\';\nSELECT 2;",
        (1, "unterminated string literal")),
    case("double-quoted-string", "mysql", 'SELECT "a', (1, "unterminated string literal")),
    case("backtick", "mysql", "SELECT\n`a", (2, "unterminated quoted identifier")),
    case("executable-comment", "mysql", "/*!40101 SET @a = 1;",
        (1, "unterminated executable comment /*!")),
    case("block-comment", "mysql", "SELECT 1 /* ; */ /* ;\n", (1, "unterminated block comment")),
    case("procedure-body", "mysql",
        "CREATE PROCEDURE p()\nBEGIN\n  IF 1 THEN SELECT 1; END IF;\n",
        (2, "unterminated BEGIN … END body")),
    case("delimiter-with-backslash", "mysql", "SELECT 1;\nDELIMITER \\\\\n",
        (2, "invalid DELIMITER \\\\: a delimiter cannot contain a backslash")),
    case("empty-delimiter", "mysql", "DELIMITER ''\n",
        (1, "DELIMITER needs a non-empty delimiter")),
    case("nul-byte", "postgresql", "SELECT 1;\nSELECT '\x00';", (2, "NUL byte in the SQL text")),
]

# fmt: on


@pytest.mark.parametrize(("dialect", "script", "expected"), ERRORS)
def test_unterminated(dialect: str, script: str, expected: list[tuple[int, str]]) -> None:
    [(line, problem)] = expected
    with pytest.raises(SqlSplitError) as caught:
        split_statements(script, dialect)
    assert (caught.value.line, caught.value.problem) == (line, problem)
    assert str(caught.value) == f"line {line}: {problem}"


def test_unknown_dialect_is_refused_with_the_choices() -> None:
    with pytest.raises(
        ConfigurationError, match=r"'oracle' is not supported; use one of: .*sqlite"
    ):
        split_statements("SELECT 1", "oracle")


def test_statement_is_a_frozen_value() -> None:
    statement = split_statements("SELECT 1", "sqlite")[0]
    assert statement == Statement(number=1, line=1, sql="SELECT 1")
    with pytest.raises(AttributeError):
        statement.sql = "DROP TABLE t"  # type: ignore[misc]
