"""Connection problems and secrets: one line, exit 1, and never the password."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from goofer_core.url import DatabaseURL
from tests.conformance.test_concurrency import hold_lock
from tests.helpers import SERVERS, make_database, require_server, run_goofer

CANARY = "Canary-Pw-7f3a9"


def assert_no_canary(result: subprocess.CompletedProcess[str]) -> None:
    assert CANARY not in result.stdout
    assert CANARY not in result.stderr


def with_password(url: str, password: str = CANARY) -> str:
    parsed = DatabaseURL.parse(url)
    return parsed.__class__(
        parsed.dialect,
        parsed.database,
        parsed.host,
        parsed.port,
        parsed.user or "root",
        password,
        parsed.query,
    ).render(True)


def test_unknown_scheme_lists_the_supported_ones(tmp_path):
    result = run_goofer(
        "--database-url", f"oracle://u:{CANARY}@h/db", "--dir", str(tmp_path), "status"
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: database URL: unsupported scheme 'oracle'; supported: sqlite://, "
        "postgresql://, postgres://, mysql://, mariadb://"
    )
    assert_no_canary(result)


def test_no_database_url_names_the_setting(tmp_path):
    result = run_goofer("--dir", str(tmp_path), "status")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: no database URL: set --database-url or GOOFER_DATABASE_URL"
    )


@pytest.mark.parametrize("scheme", ["postgresql", "mysql"])
def test_unreachable_server_fails_fast_in_one_line(scheme, tmp_path):
    start = time.monotonic()
    result = run_goofer(
        "--database-url",
        f"{scheme}://u:{CANARY}@127.0.0.1:1/db",
        "--dir",
        str(tmp_path),
        "--verbose",
        "status",
    )
    assert time.monotonic() - start < 15
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"error: cannot connect to {scheme}://u:***@127.0.0.1:1/db: ")
    assert_no_canary(result)


def test_malformed_url_never_echoes_the_password(tmp_path):
    result = run_goofer(
        "--database-url",
        f"postgresql://u:{CANARY}@host:port/db",
        "--verbose",
        "--dir",
        str(tmp_path),
        "status",
    )
    assert result.returncode == 1
    assert "the port must be a number" in result.stderr
    assert_no_canary(result)


@pytest.fixture(params=["postgresql", "mysql"])
def url_with_password(request, tmp_path):
    """A fresh server database and a URL to it whose password is the canary."""
    for db in make_database(request.param, tmp_path):
        if request.param == "mysql":
            user = "goofer_canary"
            db.query(f"DROP USER IF EXISTS '{user}'@'%'")
            db.query(f"CREATE USER '{user}'@'%' IDENTIFIED BY '{CANARY}'")
            name = DatabaseURL.parse(db.url).database
            db.query(f"GRANT ALL ON {name}.* TO '{user}'@'%'")
            parsed = DatabaseURL.parse(db.url)
            url = parsed.__class__("mysql", name, parsed.host, parsed.port, user, CANARY)
            url = url.render(show_password=True)
        else:  # trust auth accepts any password, so the run gets as far as the SQL
            url = with_password(db.url)
        yield db, url
        if request.param == "mysql":
            db.query(f"DROP USER IF EXISTS '{user}'@'%'")


def test_failing_sql_and_lock_timeout_never_show_the_password(url_with_password, tmp_path):
    db, url = url_with_password
    migrations = tmp_path / "m"
    migrations.mkdir()
    # Each statement makes the server quote the canary back in its error message.
    echo = {
        "postgresql": f"SELECT CAST('{CANARY}' AS integer);",
        "mysql": f"SELECT * FROM `{CANARY}`;",
    }[db.dialect_name]
    (migrations / "20240101000000_bad.up.sql").write_text(echo + "\n")
    (migrations / "20240101000000_bad.down.sql").write_text("SELECT 1;\n")
    result = run_goofer("--database-url", url, "--dir", str(migrations), "--verbose", "up")
    assert result.returncode == 1
    assert "20240101000000_bad.up.sql: statement 1 (line 1)" in result.stderr
    assert "***" in result.stderr  # the statement echoed the canary: redacted
    assert_no_canary(result)

    release = hold_lock(db)
    try:
        result = run_goofer(
            "--database-url",
            url,
            "--dir",
            str(migrations),
            "--verbose",
            "--lock-timeout",
            "1",
            "resolve",
            "20240101000000",
            "--applied",
        )
    finally:
        release()
    assert result.returncode == 1
    assert "could not take" in result.stderr
    assert_no_canary(result)


def test_mysql_wrong_password_is_not_echoed(tmp_path):
    require_server("mysql")
    url = with_password(SERVERS["mysql"])
    result = run_goofer("--database-url", url, "--dir", str(tmp_path), "--verbose", "status")
    assert result.returncode == 1
    assert "Access denied" in result.stderr
    assert_no_canary(result)


def test_missing_driver_names_the_extra(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "psycopg.py").write_text("raise ImportError('blocked for this test')\n")
    env = {**os.environ, "PYTHONPATH": str(blocker)}
    code = (
        "import sys; from goofer_core.cli.click_app import main; "
        "sys.argv=['goofer','--database-url','postgresql://h/db','--dir','.','status']; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: the postgresql driver (psycopg) is not installed: pip install 'goofer[postgres]'"
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("foo=bar", "query parameter foo: not a PyMySQL connection option (known: "),
        ("connect_timeout=abc", "query parameter connect_timeout: 'abc' is not a number"),
        ("read_timeout=abc", "query parameter read_timeout: 'abc' is not a number"),
        ("read_timeout=0", "query parameter read_timeout: '0': must be more than 0 seconds"),
        ("sslpassword=Canary-Pw-7f3a9", "query parameter sslpassword: not a PyMySQL connection"),
        ("ssl_verify_cert=maybe", "query parameter ssl_verify_cert: 'maybe' is not true or false"),
        ("charset=bogus", "query parameter charset: 'bogus' is not a character set PyMySQL knows"),
    ],
)
def test_a_mysql_query_parameter_pymysql_rejects_is_named_in_one_line(tmp_path, query, expected):
    require_server("mysql")
    server = SERVERS["mysql"].replace("mysql://root@", "mysql://root:Canary-Pw-7f3a9@", 1)
    result = run_goofer("--database-url", f"{server}?{query}", "--dir", str(tmp_path), "status")
    assert result.returncode == 1, result
    assert result.stderr.startswith(f"error: database URL: {expected}"), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "Canary-Pw-7f3a9" not in result.stdout + result.stderr


def test_mysql_query_parameters_reach_pymysql_as_their_types(tmp_path):
    require_server("mysql")
    query = "read_timeout=2.5&write_timeout=30&local_infile=false&charset=utf8mb4"
    result = run_goofer(
        "--database-url", f"{SERVERS['mysql']}?{query}", "--dir", str(tmp_path), "status"
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "No migrations.\n", "")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("autocommit=1", "query parameter autocommit: Goofer sets the connection's autocommit "),
        ("row_factory=x", "query parameter row_factory: Goofer sets the connection's row_factory"),
        ("prepare_threshold=abc", "query parameter prepare_threshold: 'abc' is not a number"),
        ("prepare_threshold=-1", "query parameter prepare_threshold: '-1' is not a number"),
    ],
)
def test_a_postgresql_query_parameter_psycopg_would_choke_on_is_one_line(tmp_path, query, expected):
    require_server("postgresql")
    url = f"{SERVERS['postgresql']}?{query}"
    result = run_goofer("--database-url", url, "--dir", str(tmp_path), "status")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith(f"error: database URL: {expected}"), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("threshold", ["none", "0", "3"])
def test_postgresql_prepare_threshold_reaches_psycopg(tmp_path, threshold):
    require_server("postgresql")
    migrations = Path(__file__).resolve().parents[1] / "fixtures" / "migrations" / "basic"
    made = make_database("postgresql", tmp_path)
    db = next(made)
    try:
        url = f"{db.url}?prepare_threshold={threshold}"
        for command in ("up", "status", "down", "up"):
            result = run_goofer("--database-url", url, "--dir", str(migrations), command)
            assert result.returncode == 0, (command, result.stderr)
        assert len(db.tracking_ids()) >= 1
    finally:
        made.close()


def test_a_mysql_password_outside_latin_1_connects(tmp_path):
    """PyMySQL encodes a str password as Latin-1; Goofer sends UTF-8, as the mysql client does."""
    require_server("mysql")
    made = make_database("mysql", tmp_path)
    db = next(made)
    user, password = f"goofer_pw_{os.getpid()}", "p€ss-Ünï-Canary"
    hosts = ("localhost", "127.0.0.1", "%")
    try:
        for host in hosts:
            db.query(f"CREATE USER '{user}'@'{host}' IDENTIFIED BY '{password}'")
            db.query(f"GRANT ALL ON {DatabaseURL.parse(db.url).database}.* TO '{user}'@'{host}'")
        url = DatabaseURL.parse(db.url)._replace(user=user, password=password)
        result = run_goofer(
            "--database-url", url.render(show_password=True), "--dir", str(tmp_path), "status"
        )
        assert (result.returncode, result.stdout, result.stderr) == (0, "No migrations.\n", "")
        wrong = url._replace(password="p€ss-wrong").render(show_password=True)
        refused = run_goofer("--database-url", wrong, "--dir", str(tmp_path), "status")
        assert refused.returncode == 1 and "(1045) Access denied" in refused.stderr
        assert "p€ss" not in refused.stdout + refused.stderr
    finally:
        for host in hosts:
            db.query(f"DROP USER IF EXISTS '{user}'@'{host}'")
        made.close()


def test_a_mysql_url_to_a_listener_that_never_greets_fails_in_time(tmp_path):
    """PyMySQL's connect_timeout covered the TCP connect only: a silent listener hung forever."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    try:
        url = f"mysql://root:Canary-Pw-7f3a9@127.0.0.1:{port}/test?connect_timeout=2"
        started = time.monotonic()
        result = run_goofer("--database-url", url, "--dir", str(tmp_path), "status")
        waited = time.monotonic() - started
    finally:
        listener.close()
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith(f"error: cannot connect to mysql://root:***@127.0.0.1:{port}")
    assert result.stderr.count("\n") == 1 and "Canary-Pw-7f3a9" not in result.stderr
    assert waited < 15
