"""Secrets: a canary password in the URL never shows, from any command, however it fails.

tests/conformance/test_connections.py covers `status` on an unreachable server, a malformed
URL, failing SQL on `up` and a lock timeout on `resolve`. This module runs every command (up,
down, status, sql, check, resolve), with and without --verbose, through every failure: connect
refused, wrong password, malformed URL, SQL whose error echoes the password, a lock timeout,
and a migration that failed part-way with such an error. It also looks where a Python user
would: exception str() and repr(), the full chained traceback, and `logging` output from the
Migrator API. A few real processes check that nothing reaches a terminal that in-process
runs miss.
"""

from __future__ import annotations

import logging
import subprocess
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

from goofer_core import GooferError, Migrator
from goofer_core.url import DatabaseURL
from tests.conformance.test_concurrency import hold_lock
from tests.helpers import SERVERS, goofer_command, make_database, require_server
from tests.torture.test_crash_points import goofer_env, spawn

CANARY = "Cnry-T0rture-5xQ"
COMMANDS = [
    ["up"],
    ["down"],
    ["status"],
    ["sql"],
    ["check"],
    ["resolve", "20240101000000", "--applied"],
    ["baseline", "20240101000000"],
    ["baseline", "20240101000000", "--verify-schema"],
    ["squash", "--to", "20240101000000", "squashed", "--dry-run"],
]
#: Tenant runs: one ``TENANT: error: ...`` line each and a summary, instead of one ``error:``.
TENANT_COMMANDS = [
    ["up", "--schemas", "tenant_a,tenant_b"],
    ["status", "--json", "--schemas", "tenant_a"],
    ["check", "--schemas", "tenant_a"],
]
VERBOSITY = [[], ["--verbose"]]
UNREACHABLE = {
    "postgresql": f"postgresql://app:{CANARY}@127.0.0.1:1/app",
    "mysql": f"mysql://app:{CANARY}@127.0.0.1:1/app",
}
MALFORMED = [
    f"postgresql://app:{CANARY}@host:port/app",  # port is not a number
    f"mysql://app:{CANARY}@h:99999/app",  # port out of range
    f"postgresql://app:{CANARY}@h/",  # no database
    f"oracle://app:{CANARY}@h/app",  # unknown scheme
    f"mariadb://app:{CANARY}@[::1/app",  # unterminated [
    f"app:{CANARY}@h/app",  # no scheme at all
    f"postgresql://app:{CANARY}%zz@h:x/app",  # a broken %-escape
]
# The server echoes the canary back in its error message for these statements.
ECHO = {
    "postgresql": f"SELECT CAST('{CANARY}' AS integer);\n",
    "mysql": f"SELECT * FROM `{CANARY}`;\n",
}


def assert_hidden(*texts: str) -> None:
    """The canary is in none of the texts, raw or percent-encoded."""
    for text in texts:
        assert CANARY not in text, text
        assert CANARY.replace("-", "%2D") not in text, text


def shown_by(exc: BaseException) -> list[str]:
    """Return everything a Python program could print about an exception and its chain."""
    shown = ["".join(traceback.format_exception(exc))]
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        shown += [str(current), repr(current), repr(current.args)]
        current = current.__cause__ or current.__context__
    return shown


def write_migrations(
    directory: Path, up: str = "CREATE TABLE a (id INTEGER);\n", down: str = "DROP TABLE a;\n"
) -> Path:
    """One migration, 20240101000000_a, with the given SQL."""
    directory.mkdir(exist_ok=True)
    (directory / "20240101000000_a.up.sql").write_text(up)
    (directory / "20240101000000_a.down.sql").write_text(down)
    return directory


@pytest.fixture(params=["postgresql", "mysql"])
def secret_db(request, tmp_path) -> Iterator:
    """A fresh server database and a URL to it whose password is the canary."""
    for db in make_database(request.param, tmp_path):
        parsed = DatabaseURL.parse(db.url)
        user = parsed.user or "root"
        if request.param == "mysql":  # a real account with the canary as its password
            user = "goofer_torture"
            db.query(f"DROP USER IF EXISTS '{user}'@'%'")
            db.query(f"CREATE USER '{user}'@'%' IDENTIFIED BY '{CANARY}'")
            db.query(f"GRANT ALL ON {parsed.database}.* TO '{user}'@'%'")
        # PostgreSQL here trusts local logins, so any password gets as far as the SQL.
        url = DatabaseURL(
            parsed.dialect, parsed.database, parsed.host, parsed.port, user, CANARY, parsed.query
        ).render(show_password=True)
        yield db, url
        if request.param == "mysql":
            db.query(f"DROP USER IF EXISTS '{user}'@'%'")


# -- every command, every way to fail, in-process --------------------------------------------


@pytest.mark.parametrize("verbose", VERBOSITY, ids=["quiet", "verbose"])
@pytest.mark.parametrize("url", [*UNREACHABLE.values(), *MALFORMED])
def test_connect_failures_and_malformed_urls(cli, tmp_path, url, verbose):
    migrations = write_migrations(tmp_path / "m")
    for command in COMMANDS:
        result = cli(url, migrations, *verbose, *command)
        assert result.exit_code == 1, (command, result)
        assert result.stderr.strip().splitlines()[-1].startswith("error: ")
        assert_hidden(result.stdout, result.stderr)


def test_wrong_password_every_command(cli, tmp_path):
    require_server("mysql")
    server = DatabaseURL.parse(SERVERS["mysql"])
    url = DatabaseURL(
        "mysql", server.database, server.host, server.port, "goofer_nobody", CANARY
    ).render(show_password=True)
    migrations = write_migrations(tmp_path / "m")
    for verbose in VERBOSITY:
        for command in COMMANDS:
            result = cli(url, migrations, *verbose, *command)
            assert result.exit_code == 1 and "Access denied" in result.stderr, result
            assert_hidden(result.stdout, result.stderr)


def test_sql_that_echoes_the_password_in_up_and_down(secret_db, cli, tmp_path):
    db, url = secret_db
    failing_up = write_migrations(tmp_path / "up", up=ECHO[db.dialect_name])
    failing_down = write_migrations(tmp_path / "down", down=ECHO[db.dialect_name])
    for verbose in VERBOSITY:
        result = cli(url, failing_up, *verbose, "up")
        assert result.exit_code == 1 and "statement 1 (line 1)" in result.stderr, result
        assert "***" in result.stderr  # it was echoed, and masked
        assert_hidden(result.stdout, result.stderr)
        # Nothing ran (even on MySQL): nothing is recorded, the next up simply tries again.
        assert db.tracking_ids() == []
    assert cli(url, failing_down, "up").exit_code == 0
    for verbose in VERBOSITY:
        result = cli(url, failing_down, *verbose, "down")
        assert result.exit_code == 1 and "***" in result.stderr, result
        assert_hidden(result.stdout, result.stderr)
        assert db.tracking_ids() == ["20240101000000"]  # still applied: the down changed nothing


def test_lock_timeout_every_command(secret_db, cli, tmp_path):
    db, url = secret_db
    migrations = write_migrations(tmp_path / "m")
    (migrations / "20240102000000_b.up.sql").write_text("CREATE TABLE b (id INTEGER);\n")
    (migrations / "20240102000000_b.down.sql").write_text("DROP TABLE b;\n")
    assert cli(url, migrations, "up", "--to", "20240101000000").exit_code == 0
    release = hold_lock(db)
    try:
        results = {
            (tuple(v), tuple(c)): cli(url, migrations, "--lock-timeout", "0", *v, *c)
            for v in VERBOSITY
            for c in COMMANDS
        }
    finally:
        release()
    for (_, command), result in results.items():
        if command[0] in ("up", "down", "resolve"):  # these wait for the lock
            assert result.exit_code == 1 and "could not take the " in result.stderr, result
        assert_hidden(result.stdout, result.stderr)


@pytest.mark.parametrize("command", [pytest.param(c, id=c[0]) for c in COMMANDS])
def test_every_command_after_a_part_way_failure_that_echoed_the_password(
    secret_db, cli, tmp_path, command
):
    db, url = secret_db
    # Non-transactional, so the failure is recorded with the server's message on every dialect.
    migrations = write_migrations(
        tmp_path / "m",
        up="-- goofer:no-transaction\nCREATE TABLE a (id INTEGER);\n" + ECHO[db.dialect_name],
    )
    failed = cli(url, migrations, "up")
    assert failed.exit_code == 1 and "could not be rolled back" in failed.stderr, failed
    assert_hidden(failed.stdout, failed.stderr)
    for verbose in VERBOSITY:
        result = cli(url, migrations, *verbose, *command)
        assert_hidden(result.stdout, result.stderr)


@pytest.mark.parametrize("url", [*UNREACHABLE.values(), *MALFORMED[:2]])
def test_tenant_runs_name_each_tenant_without_the_password(cli, tmp_path, url):
    migrations = write_migrations(tmp_path / "m")
    for verbose in VERBOSITY:
        for command in TENANT_COMMANDS:
            result = cli(url, migrations, *verbose, *command)
            assert result.exit_code == 1, result
            assert_hidden(result.stdout, result.stderr)
            if verbose:
                continue
            lines = result.stderr.splitlines()
            if url in MALFORMED:  # refused once, before any tenant
                assert len(lines) == 1 and lines[0].startswith("error: "), lines
            else:
                tenants = command[command.index("--schemas") + 1].split(",")
                assert sorted(line.split(":")[0] for line in lines[:-1]) == sorted(tenants)
                assert all(": error: cannot connect" in line for line in lines[:-1]), lines
                assert lines[-1].endswith(f"failed: {', '.join(tenants)}"), lines


# -- the Python API --------------------------------------------------------------------------


@pytest.mark.parametrize("url", [*UNREACHABLE.values(), *MALFORMED])
def test_api_exceptions_and_logs_never_hold_the_password(caplog, tmp_path, url):
    caplog.set_level(logging.DEBUG)  # every logger, the drivers' included
    migrations = write_migrations(tmp_path / "m")
    calls = [
        lambda m: m.up(),
        lambda m: m.revert(),
        lambda m: m.status(),
        lambda m: m.check(),
        lambda m: m.plan_sql(),
        lambda m: m.resolve("20240101000000", True),
    ]
    for call in calls:
        with pytest.raises(GooferError) as info:
            call(Migrator(url, None, migrations))
        logging.getLogger("app").exception("migrations failed")  # what an app would log
        assert_hidden(*shown_by(info.value))
    assert_hidden(caplog.text, *(logging.Formatter().format(r) for r in caplog.records))


def test_api_urls_and_migrators_print_masked():
    for url in UNREACHABLE.values():
        migrator = Migrator(url, None, ".")
        assert_hidden(str(migrator.url), repr(migrator.url), repr(vars(migrator)))


def test_api_failed_sql_that_echoes_the_password(secret_db, caplog, tmp_path):
    db, url = secret_db
    caplog.set_level(logging.DEBUG)
    migrations = write_migrations(tmp_path / "m", up=ECHO[db.dialect_name])
    with pytest.raises(GooferError) as info:
        Migrator(url, None, migrations).up()
    logging.getLogger("app").exception("migrations failed")
    assert_hidden(*shown_by(info.value), caplog.text)


# -- password-bearing query parameters -------------------------------------------------------

QUERY_SECRETS = [
    f"postgresql://app@127.0.0.1:1/app?password={CANARY}",
    f"postgresql://app@127.0.0.1:1/app?sslpassword={CANARY}",
    f"mysql://app@127.0.0.1:1/app?passwd={CANARY}",
    f"mysql://app@127.0.0.1:1/app?password={CANARY}",
]


@pytest.mark.parametrize("url", QUERY_SECRETS)
def test_a_password_in_the_query_string_is_masked_too(cli, tmp_path, url):
    parsed = DatabaseURL.parse(url)
    assert_hidden(str(parsed), repr(parsed))
    migrations = write_migrations(tmp_path / "m")
    result = cli(url, migrations, "--verbose", "status")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1].startswith("error: cannot connect to ")
    assert_hidden(result.stdout, result.stderr)


def test_an_unencoded_slash_in_the_password_is_not_shown():
    url = f"postgresql://app:12/{CANARY}@127.0.0.1:1/app"
    try:
        parsed = DatabaseURL.parse(url)
    except GooferError as error:
        assert_hidden(*shown_by(error))
        return
    assert_hidden(str(parsed), repr(parsed))
    with pytest.raises(GooferError) as info:
        Migrator(parsed, None, ".").status()
    assert_hidden(*shown_by(info.value))


# -- real processes: what reaches the terminal -----------------------------------------------


def test_real_processes_print_no_password(tmp_path):
    """Every command, --verbose, as a process: unreachable servers and a malformed URL, by flag
    and by GOOFER_DATABASE_URL."""
    migrations = write_migrations(tmp_path / "m")
    procs = []
    for url in [*UNREACHABLE.values(), MALFORMED[0]]:
        for command in COMMANDS:
            procs.append(spawn(url, migrations, "--verbose", *command))
    for command in COMMANDS:
        procs.append(
            subprocess.Popen(
                [*goofer_command(), "--dir", str(migrations), "--verbose", *command],
                env=goofer_env({"GOOFER_DATABASE_URL": UNREACHABLE["postgresql"]}),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 1, (proc.args, err)
        assert err.strip().splitlines()[-1].startswith("error: "), err
        assert_hidden(out, err)
