"""Hostile input, property-based: SQL text, file names, file bytes and URLs built to break things.

tests/unit/test_splitter_properties.py checks that generated scripts split back into their
fragments and that any text splits or raises SqlSplitError. This module adds what it leaves out:

- the database agrees: hostile scripts are split by Goofer and run one statement per execute()
  on the real SQLite, PostgreSQL and MariaDB, and the rows they insert are exactly the values
  generated (a split inside a string, quoted identifier, comment, dollar quote or compound body,
  or a lost statement, shows up as a wrong row or a database error);
- nothing is dropped: between the statements of any text there is only whitespace, comments
  and ';' (text that would split into a statement of its own);
- file names: anything that parses names a 14-digit id and a [a-z0-9_]+ name, so never `..` or
  `/`; anything else is refused naming the file, before the database is touched;
- NUL bytes and invalid UTF-8 anywhere in any file: a clear error naming the file and line
  before any SQL is sent, for up files (at load) and down files (before the first revert);
- URLs: no parse error and no rendering ever contains the password, however malformed.

Identifiers with quotes, spaces or Unicode in *entities* belong to the schema generator and are
not tested here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goofer_core import Migrator
from goofer_core.errors import ConfigurationError, MigrationFileError, SqlSplitError
from goofer_core.migrations.files import parse_filename
from goofer_core.migrations.split import split_statements
from goofer_core.redaction import password_in
from goofer_core.url import DatabaseURL
from tests.helpers import make_database
from tests.torture.test_crash_points import recorded

Draw = Callable[[st.SearchStrategy[str]], str]

# -- the database agrees with the splitter ---------------------------------------------------

PIECES = [
    ";",
    "'",
    "''",
    '"',
    "`",
    "$$",
    "$a$",
    "$do$",
    "\\",
    "\\'",
    "--",
    "-- ",
    "/*",
    "*/",
    "#",
    "\n",
    "\r\n",
    "\t",
    "\nDELIMITER $$\n",
    "\ndelimiter ;\n",
    "BEGIN",
    "END;",
    "E'",
    "é",
    "—",
    "😀",
    "\x01",
    " ",
    "x",
    "0",
    "[",
    "]",
    "{a,b}",
    "%s",
    "%",
]
VALUES = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
COMMENT_TEXT = st.text(alphabet="ab ;'\"`$\\-#/é", max_size=12)  # no '*', no newline
COLUMNS = {  # a hostile quoted column name per dialect
    "sqlite": '"we;ird ""col"" -- x /* y $$"',
    "postgresql": '"we;ird ""col"" -- x /* y $$"',
    "mysql": "`we;ird ``col`` -- x /* y $$`",
}


def _standard(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _backslashed(value: str, quote: str = "'") -> str:
    return quote + value.replace("\\", "\\\\").replace(quote, "\\" + quote) + quote


@st.composite
def literal(
    draw: Draw, dialect: str, inside_do: bool = False, inside_comment: bool = False
) -> tuple[str, str]:
    """Return (value, a SQL literal for it) in one of the dialect's string syntaxes."""
    value = draw(VALUES)
    if inside_do:  # PostgreSQL, like the splitter, ends the DO body at the first $do$
        value = value.replace("$do$", "$d$")
    if inside_comment:  # MySQL ends an executable comment at the first */, even in a string
        value = value.replace("*/", "* /")
    forms = ["standard"]
    if dialect == "postgresql":
        forms += ["escape", "dollar"]
    elif dialect == "mysql":
        forms += ["backslash", "double", "introducer"]
    form = draw(st.sampled_from(forms))
    if form == "escape":
        return value, "E" + _backslashed(value)
    if form == "dollar":
        tag = draw(st.sampled_from(["", "a", "q1"] if inside_do else ["", "a", "do"]))
        quoted = f"${tag}${value}${tag}$"
        if quoted.find(f"${tag}$", len(tag) + 2) == len(quoted) - len(tag) - 2:
            return value, quoted
    if form == "backslash":
        return value, _backslashed(value)
    if form == "double":
        return value, _backslashed(value, '"')
    if form == "introducer":
        return value, "_utf8mb4" + _backslashed(value)
    if dialect == "mysql":  # a backslash escapes in every MySQL string
        return value, _standard(value.replace("\\", "\\\\"))
    return value, _standard(value)


@st.composite
def noise(draw: Draw, dialect: str) -> str:
    """Return whitespace or a comment holding ';', quotes and dollar signs."""
    kind = draw(st.sampled_from(["space", "space", "line", "block"]))
    if kind == "space":
        return draw(st.sampled_from([" ", "\n", "\t ", "  \n  "]))
    text = draw(COMMENT_TEXT)
    if kind == "block" and dialect == "postgresql" and draw(st.booleans()):
        return f" /* {text} /* {draw(COMMENT_TEXT)} */ {draw(COMMENT_TEXT)} */ "  # nested
    if kind == "block":
        return f" /* {text} */ "
    start = draw(st.sampled_from(["-- ", "# "] if dialect == "mysql" else ["-- ", "--"]))
    return f" {start}{text}\n"


@st.composite
def insert(
    draw: Draw, dialect: str, n: int, inside_do: bool = False, inside_comment: bool = False
) -> tuple[str, str]:
    """Return (value, INSERT statement) putting value in row n, with noise between tokens."""
    value, quoted = draw(literal(dialect, inside_do, inside_comment))
    gap = st.just(" ") if inside_comment else noise(dialect)
    sql = (
        f"INSERT INTO hostile{draw(gap)}(n,{draw(gap)}{COLUMNS[dialect]}){draw(gap)}VALUES"
        f"{draw(gap)}({n},{draw(gap)}{quoted}{draw(gap)})"
    )
    return value, sql


@st.composite
def hostile_script(draw: Draw, dialect: str) -> tuple[str, list[str], list[tuple[int, str]]]:
    """Return (script, the statements in it, the rows it inserts)."""
    statements: list[str] = []
    rows: list[tuple[int, str]] = []
    script = draw(st.sampled_from(["", "\n", ";\n", "-- lead; 'x\n"]))
    for _ in range(draw(st.integers(1, 5))):
        compound = dialect != "sqlite" and draw(st.integers(0, 3)) == 0
        if compound:  # a body whose ';' must not end the statement
            inner = []
            for _ in range(draw(st.integers(1, 2))):
                value, sql = draw(insert(dialect, len(rows) + 1, inside_do=True))
                rows.append((len(rows) + 1, value))
                inner.append(sql)
            body = "".join(f"{sql};{draw(noise(dialect))}" for sql in inner)
            text = (
                f"DO $do$ BEGIN {body}END $do$"
                if dialect == "postgresql"
                else f"BEGIN NOT ATOMIC {body}END"
            )
        elif dialect == "mysql" and draw(st.integers(0, 4)) == 0:
            # A statement that is all executable comment, as mysqldump writes them.
            value, text = draw(insert(dialect, len(rows) + 1, inside_comment=True))
            rows.append((len(rows) + 1, value))
            text = f"/*!40101 {text} */"
        else:
            value, text = draw(insert(dialect, len(rows) + 1))
            rows.append((len(rows) + 1, value))
        statements.append(text)
        script += text + draw(st.sampled_from([";", " ;", ";;", "\n;"]))
        script += draw(noise(dialect))
    if draw(st.booleans()):  # the last ';' is optional
        script = script.rstrip().rstrip(";") if not script.rstrip().endswith("\n") else script
    return script, statements, rows


@pytest.fixture(scope="module", params=["sqlite", "postgresql", "mysql"])
def live(request, tmp_path_factory) -> Iterator:
    """A database with a table `hostile` whose text column has a hostile quoted name."""
    for db in make_database(request.param, tmp_path_factory.mktemp("hostile")):
        conn = db.connect()
        column_type = "LONGTEXT" if db.dialect_name == "mysql" else "TEXT"
        suffix = " DEFAULT CHARSET=utf8mb4" if db.dialect_name == "mysql" else ""
        conn.cursor().execute(
            f"CREATE TABLE hostile (n INTEGER PRIMARY KEY, "
            f"{COLUMNS[db.dialect_name]} {column_type}){suffix}"
        )
        yield db, conn
        conn.close()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_database_agrees_with_every_split(live, data) -> None:
    db, conn = live
    script, statements, rows = data.draw(hostile_script(db.dialect_name), label="script")
    split = split_statements(script, db.dialect_name)
    assert [s.sql for s in split] == statements
    cur = conn.cursor()
    cur.execute("DELETE FROM hostile")
    for statement in split:  # one statement per execute(): a bad split is a database error
        db.dialect.run_statement(cur, statement.sql)
    cur.execute(f"SELECT n, {COLUMNS[db.dialect_name]} FROM hostile ORDER BY n")
    assert [(int(n), v) for n, v in cur.fetchall()] == rows


# -- nothing is dropped between statements ---------------------------------------------------

TEXT_PIECES = [
    *"ab ;'\"`$-#/*\\[]():\n",
    "E'",
    "$$",
    "$a$",
    "/*!",
    "*/",
    "/*!40101 x */",
    "-- ",
    "BEGIN",
    "END",
    "CASE",
    "ATOMIC",
    "CREATE ",
    "TRIGGER",
    "FUNCTION",
    "DROP TABLE t",
]


def _splits_to_nothing(text: str, dialect: str) -> bool:
    try:
        return split_statements(text, dialect) == []
    except SqlSplitError:
        return False


def _gaps_hold_nothing(text: str, statements: list, dialect: str, pos: int = 0) -> bool:
    """Return whether the statements occur in order from pos, each on its line, with nothing
    that would run before, between or after them (every place a statement occurs is tried)."""
    if not statements:
        return _splits_to_nothing(text[pos:], dialect)
    first, rest = statements[0], statements[1:]
    start = text.find(first.sql, pos)
    while start >= 0:
        if (
            text.count("\n", 0, start) + 1 == first.line
            and _splits_to_nothing(text[pos:start], dialect)
            and _gaps_hold_nothing(text, rest, dialect, start + len(first.sql))
        ):
            return True
        start = text.find(first.sql, start + 1)
    return False


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql"])
@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(TEXT_PIECES), max_size=30).map("".join))
def test_between_statements_there_is_nothing_to_run(dialect, text) -> None:
    try:
        statements = split_statements(text, dialect)
    except SqlSplitError:
        return
    assert _gaps_hold_nothing(text, statements, dialect), (text, statements)


# -- file names ------------------------------------------------------------------------------

HOSTILE_NAME_PARTS = [
    "..",
    "/",
    "\\",
    ".",
    "_",
    "-",
    " ",
    "\n",
    "\x00",
    "a",
    "z",
    "0",
    "9",
    "A",
    "é",
    "ſ",
    "K",
    "١",
    "０",
    "up",
    "down",
    "sql",
    ".up.sql",
    ".down.sql",
]


@st.composite
def file_name(draw: Draw) -> str:
    """Return a file name near the migration pattern, often broken in a hostile way."""
    mid = draw(
        st.one_of(
            st.just("20240101120000"),
            st.sampled_from(
                [
                    "2024010112000",
                    "202401011200000",
                    "20241301120000",
                    "20240230000000",
                    "２０２４０１０１１２００００",
                    "2024010112000٠",
                    "../20240101120000",
                ]
            ),
        )
    )
    name = draw(st.lists(st.sampled_from(HOSTILE_NAME_PARTS), min_size=1, max_size=5).map("".join))
    direction = draw(st.sampled_from([".up.sql", ".down.sql", ".sql", ".up.sql.bak"]))
    return f"{mid}_{name}{direction}"


@settings(max_examples=400, deadline=None)
@given(name=file_name())
def test_file_names_parse_to_safe_ids_and_names_or_are_refused(name) -> None:
    try:
        parsed = parse_filename(name)
    except MigrationFileError as error:
        shown = name if name.isprintable() else repr(name)  # one line, whatever the name
        assert str(error).startswith(f"{shown}: ") and "\n" not in str(error)
        assert error.filename == name
        return
    if parsed is None:  # not a migration: not .sql, or hidden (editor files)
        assert not name.endswith(".sql") or name.startswith(".")
        return
    mid, migration, direction = parsed
    assert f"{mid}_{migration}.{direction}.sql" == name
    assert len(mid) == 14 and mid.isascii() and mid.isdigit()
    assert migration.isascii() and set(migration) <= set("abcdefghijklmnopqrstuvwxyz0123456789_")
    assert ".." not in migration and "/" not in migration


@pytest.mark.parametrize(
    "name",
    [
        "20240101000000_a..b.up.sql",
        "20240101000000_...up.sql",
        "20240101000000_a.b.up.sql",
        "20240101000000_a\\b.up.sql",
        "20240101000000_a\nb.up.sql",
        "20240101000000_é.up.sql",
        os.fsdecode(b"20240101000000_caf\xe9.up.sql"),
    ],
)
def test_hostile_file_names_on_disk_stop_every_command_before_the_database(db, cli, tmp_path, name):
    migrations = tmp_path / "m"
    migrations.mkdir()
    (migrations / "20230101000000_fine.up.sql").write_text("CREATE TABLE fine (id INTEGER);\n")
    (migrations / "20230101000000_fine.down.sql").write_text("DROP TABLE fine;\n")
    (migrations / name).write_text("CREATE TABLE hostile (id INTEGER);\n")
    for command in (["up"], ["status"], ["sql"], ["check"]):
        result = cli(db.url, migrations, *command)
        assert result.exit_code == 1, (command, result)
        assert result.stderr.startswith(("error: 20240101000000_", "error: '20240101000000_"))
        assert "must match [a-z0-9_]+" in result.stderr
        assert result.stderr.count("\n") == 1, result.stderr  # a newline in the name is escaped
    assert db.tables() == set()


def test_a_tampered_tracking_row_never_becomes_a_path(db, cli, tmp_path):
    """File paths come from listing the directory, never from the table's name column."""
    migrations = tmp_path / "m"
    migrations.mkdir()
    (migrations / "20240101000000_users.up.sql").write_text("CREATE TABLE users (id INTEGER);\n")
    (migrations / "20240101000000_users.down.sql").write_text("DROP TABLE users;\n")
    assert cli(db.url, migrations, "up").exit_code == 0
    # A row naming a file outside the directory, whose down file would drop users.
    (tmp_path / "20240102000000_evil.down.sql").write_text("DROP TABLE users;\n")
    db.query(
        "INSERT INTO migrations (id, name, applied_at, script, checksum) VALUES "
        "('20240102000000', '../20240102000000_evil', '2030-01-01 00:00:00', '', 'x')"
    )
    status = cli(db.url, migrations, "status")
    assert status.exit_code == 0 and "missing" in status.stdout
    result = cli(db.url, migrations, "down")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: 20240102000000_../20240102000000_evil: cannot revert, its "
        "files are missing from the directory\n"
    )
    assert "users" in db.tables()


@pytest.mark.parametrize(
    "table", ["../x", "a/b", 'm"; DROP TABLE users; --', "m`", "m]", "m x", "é", "a" * 64]
)
def test_hostile_tracking_table_names_are_refused(db, cli, tmp_path, table):
    migrations = tmp_path / "m"
    migrations.mkdir()
    result = cli(db.url, migrations, "--table", table, "up")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: tracking table name {table!r}: use letters"), result
    assert db.tables() == set()


# -- NUL bytes and invalid UTF-8 -------------------------------------------------------------

BAD_BYTES = {
    b"\x00": "contains a NUL byte",
    b"\xff": "is not valid UTF-8",
    b"\xc3": "is not valid UTF-8",  # a truncated two-byte sequence
    b"\xc0\xaf": "is not valid UTF-8",  # an overlong '/'
    b"\xed\xa0\x80": "is not valid UTF-8",  # an encoded surrogate
    b"\xf4\x90\x80\x80": "is not valid UTF-8",  # beyond U+10FFFF
}
GOOD = [
    "CREATE TABLE t_{i} (id INTEGER PRIMARY KEY, note VARCHAR(50));\n",
    "-- é — 😀 in a comment\n",
    "INSERT INTO t_{i} (id, note) VALUES (1, 'caf\u00e9; ok');\n",
]


def _write_three(directory: Path) -> list[Path]:
    directory.mkdir()
    paths = []
    for i in range(3):
        stem = directory / f"2024010100000{i}_t_{i}"
        up, down = Path(f"{stem}.up.sql"), Path(f"{stem}.down.sql")
        up.write_text("".join(GOOD).format(i=i))
        down.write_text(f"DROP TABLE t_{i};\n")
        paths += [up, down]
    return paths


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_bad_bytes_anywhere_are_refused_before_any_sql(tmp_path_factory, data) -> None:
    directory = tmp_path_factory.mktemp("bytes") / "m"
    paths = _write_three(directory)
    target = data.draw(st.sampled_from(paths), label="file")
    bad, problem = data.draw(st.sampled_from(sorted(BAD_BYTES.items())), label="bytes")
    raw = target.read_bytes()
    cut = data.draw(st.integers(0, len(raw)), label="offset")
    while 0 < cut < len(raw) and (raw[cut] & 0xC0) == 0x80:
        cut -= 1  # insert between characters, so the problem is the inserted bytes
    target.write_bytes(raw[:cut] + bad + raw[cut:])
    line = raw.count(b"\n", 0, cut) + 1
    url = f"sqlite:///{directory.parent / 'db.sqlite'}"
    migrator = Migrator(url, None, directory)
    if target.name.endswith(".up.sql"):
        with pytest.raises(MigrationFileError) as info:
            migrator.up()
        assert not (directory.parent / "db.sqlite").exists()  # not even opened
    else:
        assert len(migrator.up()) == 3  # down files are read only when reverting
        with pytest.raises(MigrationFileError) as info:
            migrator.revert(everything=True)
        assert len(migrator.status()) == 3  # nothing was reverted, not even the newer ones
        assert all(s.state == "applied" for s in migrator.status())
    assert str(info.value) == f"{target.name}: {problem} (line {line})"


def test_bad_bytes_in_a_down_file_stop_the_revert_before_any_sql(db, tmp_path, cli):
    migrations = tmp_path / "m"
    paths = _write_three(migrations)
    assert cli(db.url, migrations, "up").exit_code == 0
    oldest_down = paths[1]
    oldest_down.write_bytes(b"DROP TABLE t_0;\n\x00\n")
    result = cli(db.url, migrations, "down", "--all")
    assert result.exit_code == 1
    assert result.stderr == f"error: {oldest_down.name}: contains a NUL byte (line 2)\n"
    assert recorded(db) == dict.fromkeys(
        ["20240101000000", "20240101000001", "20240101000002"], "applied"
    )
    assert {"t_0", "t_1", "t_2"} <= db.tables()


def test_an_unsplittable_later_file_stops_the_run_before_its_first_migration(db, tmp_path, cli):
    migrations = tmp_path / "m"
    paths = _write_three(migrations)
    paths[4].write_text("CREATE TABLE t_2 (id INTEGER);\nSELECT 'never closed;\n")
    result = cli(db.url, migrations, "up")
    assert result.exit_code == 1
    assert result.stderr == (f"error: {paths[4].name}: line 2: unterminated string literal\n")
    assert recorded(db) == {}
    assert not {"t_0", "t_1", "t_2"} & db.tables()


# -- URLs ------------------------------------------------------------------------------------

MARK = "Kq7Zx"  # in every generated password, and nowhere else in the URL
SECRET_CHARS = st.sampled_from([*"ab9 :@?#%&=+[]'\"\\;é😀", "%40", "%2F", "%zz", "%", "@@"])


@st.composite
def hostile_url(draw: Draw) -> tuple[str, str]:
    """Return (url text, the password as written in it), often malformed."""
    before = draw(st.lists(SECRET_CHARS, max_size=3).map("".join))
    after = draw(st.lists(SECRET_CHARS, max_size=3).map("".join))
    written = before + MARK + after
    scheme = draw(
        st.sampled_from(
            [
                "postgresql",
                "postgres",
                "mysql",
                "mariadb",
                "mysql+pymysql",
                "oracle",
                "sqlite",
                "POSTGRESQL",
                "",
            ]
        )
    )
    host = draw(st.sampled_from(["127.0.0.1", "[::1]", "[::1", "h:port", "h:99999", "", "h:"]))
    port = draw(st.sampled_from(["", ":1", ":0", ":x", ":65536"]))
    path = draw(st.sampled_from(["/db", "/", "", "/d%20b", "/db?sslmode=x", "//db"]))
    user = draw(st.sampled_from(["u", "", "u@x", "u%40x"]))
    sep = draw(st.sampled_from(["://", ":/", "//", "://"]))
    return f"{scheme}{sep}{user}:{written}@{host}{port}{path}", written


def _forms(written: str) -> set[str]:
    from urllib.parse import quote, unquote

    decoded = unquote(written)
    return {written, decoded, quote(decoded, safe=""), MARK}


@settings(max_examples=400, deadline=None)
@given(case=hostile_url())
def test_no_url_error_or_rendering_contains_the_password(case) -> None:
    text, written = case
    try:
        url = DatabaseURL.parse(text)
    except ConfigurationError as error:
        shown = [str(error), repr(error)]
    else:
        shown = [str(url), repr(url), url.render()]
        # What the CLI redacts from every line covers the password the driver will be given.
        found = password_in(text)
        assert url.password is None or (found and url.password in (found, written)), text
    for form in _forms(written):
        assert all(form not in s for s in shown), (form, shown)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e308", "1e12", "-1", "soon"])
def test_an_impossible_lock_timeout_is_one_line_naming_it(tmp_path, value) -> None:
    from tests.helpers import run_goofer

    url = f"sqlite:///{tmp_path / 'app.db'}"
    for args, env in (
        (("--lock-timeout", value), None),
        ((), {"GOOFER_LOCK_TIMEOUT": value}),
    ):
        result = run_goofer("--database-url", url, "--dir", str(tmp_path), *args, "up", env=env)
        assert (result.returncode, result.stdout) == (1, ""), result.stderr
        assert result.stderr == (
            f"error: lock timeout {value!r} (--lock-timeout / GOOFER_LOCK_TIMEOUT): "
            "expected 0 to 604800 seconds\n"
        )
    with pytest.raises(ConfigurationError, match="expected 0 to 604800 seconds"):
        Migrator(url, "sqlite", tmp_path, lock_timeout=float(value) if value != "soon" else -1)


@pytest.mark.parametrize("flag", ["--table", "--dir", "--database-url", "--entities"])
def test_an_empty_flag_is_refused_not_read_as_the_default(tmp_path, flag) -> None:
    from tests.helpers import run_goofer

    result = run_goofer("--database-url", f"sqlite:///{tmp_path / 'app.db'}", flag, "", "status")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"error: {flag} '': empty; leave the option out for the default\n"
    assert not (tmp_path / "app.db").exists()


def test_a_symbolic_link_loop_is_one_line_naming_the_file(tmp_path) -> None:
    from tests.helpers import run_goofer

    migrations = tmp_path / "m"
    migrations.mkdir()
    (migrations / "20240101000000_loop.up.sql").symlink_to(migrations / "20240101000000_x.sql")
    (migrations / "20240101000000_x.sql").symlink_to(migrations / "20240101000000_loop.up.sql")
    (migrations / "20240101000000_loop.down.sql").write_text("SELECT 1;\n")
    (migrations / "notes").symlink_to(migrations / "notes")  # not a migration: ignored
    url = f"sqlite:///{tmp_path / 'app.db'}"
    for command in ("status", "up"):
        result = run_goofer("--database-url", url, "--dir", str(migrations), command)
        assert (result.returncode, result.stdout) == (1, "")
        assert result.stderr.startswith("error: 20240101000000_")
        assert result.stderr.endswith(": cannot read it: Too many levels of symbolic links\n")
