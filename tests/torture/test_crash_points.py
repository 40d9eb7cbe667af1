"""Crashes: `goofer up` (and `down`) SIGKILLed at injected points, then run again.

Each test kills a real `goofer` process with the engine's test-only fault hook
(goofer_core/faults.py), then checks what a user relies on when a pod dies mid-deploy:

- on SQLite and PostgreSQL no tracking row exists without its schema change, and the next `up`
  applies every migration exactly once;
- on MySQL/MariaDB, whose DDL commits by itself, a kill inside a migration leaves a `running` row,
  the next `up` refuses with the resolve instructions, and `resolve` settles it;
- no lock is left behind, and a process waiting for the lock gets it when the holder dies.

The helpers here (lock probes, process spawning, the consistency check) are shared by the other
torture modules.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from goofer_core.url import DatabaseURL
from tests.conformance.test_concurrency import write_migrations
from tests.helpers import goofer_command, make_database, run_goofer

KILLED = -signal.SIGKILL
TARGET = 1  # the crash happens in the second of three migrations


# -- helpers shared by the torture modules ---------------------------------------------------


def wait_until(condition: Callable[[], bool], timeout: float = 20, what: str = "") -> None:
    """Poll ``condition`` every 50 ms until it holds; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what or condition}")
        time.sleep(0.05)


def goofer_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Return this process's environment without GOOFER_* settings, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOOFER_")}
    env.update(extra or {})
    return env


def spawn(
    url: str, directory: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """Start `goofer --database-url URL --dir DIR ARGS...` in the background."""
    return subprocess.Popen(
        [*goofer_command(), "--database-url", url, "--dir", str(directory), *args],
        env=goofer_env(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def fault(
    point: str, migration: str | None = None, statement: int = 1, hang: bool = False
) -> dict[str, str]:
    """Return the environment that makes goofer kill itself (or hang) at ``point``."""
    env = {"GOOFER_TEST_FAULT": point, "GOOFER_TEST_FAULT_STATEMENT": str(statement)}
    if migration:
        env["GOOFER_TEST_FAULT_MIGRATION"] = migration
    if hang:
        env["GOOFER_TEST_FAULT_ACTION"] = "hang"
    return env


def mysql_lock_name(db, table: str = "migrations") -> str:
    """Return the GET_LOCK name Goofer documents for this database's tracking table."""
    return f"goofer:{DatabaseURL.parse(db.url).database}.{table}"


def lock_is_held(db) -> bool:
    """Ask the database itself, not Goofer, whether the migration lock is held right now."""
    if db.dialect_name == "sqlite":
        conn = sqlite3.connect(DatabaseURL.parse(db.url).database, timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc) or "busy" in str(exc), exc
            return True
        finally:
            conn.close()  # rolls back the probe's own BEGIN IMMEDIATE
        return False
    if db.dialect_name == "postgresql":
        rows = db.query(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
            "WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()"
        )
        return rows[0][0] > 0
    rows = db.query("SELECT IS_USED_LOCK(%s)", (mysql_lock_name(db),))
    return rows[0][0] is not None


def waiters_on_lock(db) -> int:
    """Return how many sessions are queued on the migration lock (server dialects)."""
    if db.dialect_name == "postgresql":
        rows = db.query(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
            "WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()"
        )
    else:
        rows = db.query(
            "SELECT count(*) FROM information_schema.processlist "
            "WHERE db = DATABASE() AND info LIKE 'SELECT GET_LOCK%'"
        )
    return int(rows[0][0])


def assert_no_lock_left(db) -> None:
    """The lock and every queued wait on it are gone (the server may need a moment)."""
    wait_until(lambda: not lock_is_held(db), 10, "the migration lock to be released")
    if db.dialect_name != "sqlite":
        wait_until(lambda: waiters_on_lock(db) == 0, 10, "no session waiting on the lock")


def recorded(db) -> dict[str, str]:
    """Return {id: state} from the tracking table ({} when it does not exist)."""
    if "migrations" not in db.tables():
        return {}
    return {str(i): str(s) for i, s in db.query("SELECT id, state FROM migrations")}


def assert_consistent(db, ids: list[str]) -> list[str]:
    """Every applied row has its table with its one row, and no table exists without a row.

    Returns the applied ids. This is the transactional-DDL promise: after any crash, the
    tracking table and the schema agree, migration by migration.
    """
    rows, tables = recorded(db), db.tables()
    for i, mid in enumerate(ids):
        if rows.get(mid) == "applied":
            assert f"t_{i}" in tables, f"{mid} is recorded but its table t_{i} is missing"
            assert db.query(f"SELECT count(*) FROM t_{i}") == [(1,)], f"t_{i} row count"
        else:
            assert mid not in rows, f"{mid} left a {rows[mid]!r} row"
            assert f"t_{i}" not in tables, f"t_{i} exists but {mid} is not recorded"
    return [mid for mid in ids if mid in rows]


def assert_all_applied_once(db, ids: list[str]) -> None:
    """Every migration is recorded once as applied and ran exactly once."""
    assert recorded(db) == dict.fromkeys(ids, "applied")
    assert len(db.query("SELECT id FROM migrations")) == len(ids)
    assert_consistent(db, ids)


# -- crashes inside `up` ---------------------------------------------------------------------

# point -> (fault settings, applied ids right after the crash on PostgreSQL, where each
# migration commits on its own; on SQLite the whole run is one write transaction, so nothing
# of the killed run survives).
CRASHES = {
    "after-lock": (dict(point="after-lock"), 0),
    "before-first-statement": (dict(point="before-statement", statement=1), TARGET),
    "between-statements": (dict(point="before-statement", statement=2), TARGET),
    "before-commit": (dict(point="before-commit"), TARGET),
    "after-commit": (dict(point="after-commit"), TARGET + 1),
}


@pytest.mark.parametrize("crash", list(CRASHES))
def test_kill_during_up_then_up_again(db, tmp_path, cli, crash):
    migrations = tmp_path / "m"
    ids = write_migrations(migrations, 3)
    settings, survivors = CRASHES[crash]
    killed = run_goofer(
        "--database-url",
        db.url,
        "--dir",
        str(migrations),
        "up",
        env=fault(migration=ids[TARGET], **settings),
        timeout=60,
    )
    assert killed.returncode == KILLED, killed  # the fault fired: the run really died there
    assert_no_lock_left(db)

    if db.dialect.transactional_ddl:
        applied = assert_consistent(db, ids)  # no row without its change, no change without row
        assert applied == ids[: 0 if db.run_is_one_transaction else survivors]
    else:
        rows = recorded(db)
        assert [mid for mid in ids if rows.get(mid) == "applied"] == ids[:survivors]
        if crash in ("before-first-statement", "between-statements", "before-commit"):
            _settle_mysql_running_row(db, cli, migrations, ids, crash)

    again = cli(db.url, migrations, "up")
    assert again.exit_code == 0, again
    assert_all_applied_once(db, ids)
    assert_no_lock_left(db)
    assert cli(db.url, migrations, "check").exit_code == 0


def _settle_mysql_running_row(db, cli, migrations, ids, crash):
    """MySQL: the killed migration is `running`; up refuses until the operator resolves it."""
    mid = ids[TARGET]
    [(state, done)] = db.query(f"SELECT state, statements_done FROM migrations WHERE id = '{mid}'")
    assert state == "running"
    # How many statements ran is recorded after each one, so a kill right after a statement
    # (before its progress is written) can show one fewer than really ran.
    assert (
        done
        in {"before-first-statement": {0}, "between-statements": {1}, "before-commit": {1, 2}}[
            crash
        ]
    )
    refused = cli(db.url, migrations, "up")
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"error: {mid}_table_{TARGET}: failed part-way ({done} statements ran); repair the "
        f"database by hand, then run 'goofer resolve {mid} --applied' or '--rolled-back'\n"
    )
    assert "t_2" not in db.tables()  # nothing after the stuck migration ran
    status = cli(db.url, migrations, "status")
    assert status.exit_code == 0 and f"{mid}  table_{TARGET}  failed" in status.stdout
    assert cli(db.url, migrations, "check").exit_code == 1
    if crash == "before-first-statement":
        outcome = "--rolled-back"  # nothing ran: forget it, up runs it again
    elif crash == "between-statements":
        outcome = "--applied"  # CREATE ran, the INSERT did not: finish it by hand
        db.query(f"INSERT INTO t_{TARGET} (id, note) VALUES (1, 'row; {TARGET}')")
    else:
        outcome = "--applied"  # both statements ran, only the final bookkeeping is missing
    resolved = cli(db.url, migrations, "resolve", mid, outcome)
    assert resolved.exit_code == 0, resolved


def test_kill_during_down_then_down_again(db, tmp_path, cli):
    migrations = tmp_path / "m"
    ids = write_migrations(migrations, 3)
    last = migrations / f"{ids[2]}_table_2.down.sql"
    last.write_text("DELETE FROM t_2;\nDROP TABLE t_2;\n")
    assert cli(db.url, migrations, "up").exit_code == 0
    killed = run_goofer(
        "--database-url",
        db.url,
        "--dir",
        str(migrations),
        "down",
        env=fault("before-statement", ids[2], statement=2),
        timeout=60,
    )
    assert killed.returncode == KILLED, killed
    assert_no_lock_left(db)
    if db.dialect.transactional_ddl:
        assert assert_consistent(db, ids) == ids  # the DELETE was rolled back with the revert
    else:
        assert recorded(db)[ids[2]] == "reverting"
        assert db.query("SELECT count(*) FROM t_2") == [(0,)]  # the DELETE committed
        refused = cli(db.url, migrations, "down")
        assert refused.exit_code == 1 and f"goofer resolve {ids[2]}" in refused.stderr
        db.query("DROP TABLE t_2")  # the operator finishes the revert by hand
        assert cli(db.url, migrations, "resolve", ids[2], "--rolled-back").exit_code == 0
        assert assert_consistent(db, ids) == ids[:2]
        assert cli(db.url, migrations, "up").exit_code == 0
    again = cli(db.url, migrations, "down")
    assert again.exit_code == 0, again
    assert recorded(db) == dict.fromkeys(ids[:2], "applied")
    assert assert_consistent(db, ids) == ids[:2]


# -- killed while holding the lock, and while waiting for it ---------------------------------


def _is_waiting(db, proc: subprocess.Popen[str], before: int) -> Callable[[], bool]:
    """Return a probe: has ``proc`` reached the lock wait?"""
    if db.dialect_name != "sqlite":
        return lambda: waiters_on_lock(db) > before
    # SQLite waits inside the client's busy handler: nothing to see on a server. The best
    # evidence is that the process has opened the database file; the wait follows at once.
    database = os.path.realpath(DatabaseURL.parse(db.url).database)

    def opened() -> bool:
        try:
            fds = list(Path(f"/proc/{proc.pid}/fd").iterdir())
            with_db = [fd for fd in fds if os.path.realpath(fd) == database]
        except FileNotFoundError:  # the process is gone; the caller sees that next
            return True
        if with_db:
            time.sleep(0.3)
        return bool(with_db)

    return opened


def test_holder_and_waiter_killed_the_survivor_applies_everything(db, tmp_path):
    migrations = tmp_path / "m"
    ids = write_migrations(migrations, 3)
    holder = spawn(db.url, migrations, "up", env=fault("after-lock", hang=True))
    procs = [holder]
    try:
        wait_until(lambda: lock_is_held(db) or holder.poll() is not None, 30, "the holder")
        assert holder.poll() is None, holder.communicate()
        doomed = spawn(db.url, migrations, "up")  # waits for the lock, then is killed
        procs.append(doomed)
        wait_until(_is_waiting(db, doomed, 0), 30, "the first waiter to queue")
        survivor = spawn(db.url, migrations, "up")
        procs.append(survivor)
        wait_until(_is_waiting(db, survivor, 1), 30, "the second waiter to queue")

        doomed.kill()
        assert doomed.wait(10) == KILLED
        # On PostgreSQL the killed waiter's backend stays queued until it is granted the lock
        # (it then notices its client is gone and exits, releasing it) or its lock_timeout ends.
        assert survivor.poll() is None  # still waiting behind the holder
        holder.kill()
        assert holder.wait(10) == KILLED

        out, err = survivor.communicate(timeout=60)
        assert survivor.returncode == 0, err
        assert out.count("applied 2024") == 3 and "Applied 3 migrations." in out
        # It said it was waiting, and for how long, before its first migration.
        lines = out.splitlines()
        assert lines[0] == (
            "waiting for the migration lock: another process is migrating (at most 60 s)"
        )
        assert lines[1].startswith("got the migration lock (") and lines[1].endswith(" ms)")
        assert lines[2].startswith("applied 2024")
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
    assert_all_applied_once(db, ids)
    assert_no_lock_left(db)


def test_kill_in_a_no_transaction_migration_is_never_run_twice(db, tmp_path, cli):
    """README: a process killed inside a no-transaction migration leaves it `running`; a
    process arriving meanwhile never runs it again (SQLite even releases its write lock)."""
    migrations = tmp_path / "m"
    ids = write_migrations(migrations, 3)
    up = migrations / f"{ids[TARGET]}_table_{TARGET}.up.sql"
    up.write_text("-- goofer:no-transaction\n" + up.read_text())
    stuck = spawn(
        db.url, migrations, "up", env=fault("before-statement", ids[TARGET], statement=2, hang=True)
    )
    try:
        wait_until(
            lambda: f"t_{TARGET}" in db.tables() or stuck.poll() is not None,
            30,
            "the first statement of the no-transaction migration",
        )
        assert stuck.poll() is None, stuck.communicate()
        second = run_goofer(
            "--database-url",
            db.url,
            "--dir",
            str(migrations),
            "--lock-timeout",
            "1",
            "up",
            timeout=60,
        )
        assert second.returncode == 1
        if not db.run_is_one_transaction:  # the server lock is still held: wait, time out
            assert second.stderr.startswith("error: could not take the "), second.stderr
        else:  # SQLite gave its write lock up for the statement: the row says what happened
            assert f"{ids[TARGET]}_table_{TARGET}: failed part-way (1 statements ran)" in (
                second.stderr
            )
        assert db.query(f"SELECT count(*) FROM t_{TARGET}") == [(0,)]  # INSERT never ran
    finally:
        stuck.kill()
        stuck.wait(10)
    assert_no_lock_left(db)
    assert recorded(db)[ids[TARGET]] == "running"
    refused = cli(db.url, migrations, "up")
    assert refused.exit_code == 1 and f"'goofer resolve {ids[TARGET]} --applied'" in (
        refused.stderr
    )
    db.query(f"DROP TABLE t_{TARGET}")
    assert cli(db.url, migrations, "resolve", ids[TARGET], "--rolled-back").exit_code == 0
    assert cli(db.url, migrations, "up").exit_code == 0
    assert_all_applied_once(db, ids)


def test_a_postgresql_holder_killed_mid_statement_frees_the_lock_promptly(tmp_path):
    """Its backend checks that the client is there (PostgreSQL 14+): it no longer runs the
    statement to its end (26 s of a pg_sleep(30) before) while holding the lock."""
    made = make_database("postgresql", tmp_path)
    db = next(made)
    try:
        if int(db.query("SHOW server_version_num")[0][0]) < 140000:
            pytest.skip("client_connection_check_interval is PostgreSQL 14+")
        migrations = tmp_path / "m"
        migrations.mkdir()
        (migrations / "20240101000000_slow.up.sql").write_text("SELECT pg_sleep(30);\n")
        (migrations / "20240101000000_slow.down.sql").write_text("SELECT 1;\n")
        holder = spawn(db.url, migrations, "up")
        try:
            wait_until(
                lambda: bool(
                    db.query(
                        "SELECT 1 FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%' "
                        "AND datname = current_database()"
                    )
                ),
                30,
                "the holder's pg_sleep",
            )
            holder.kill()
            assert holder.wait(10) == KILLED
            killed = time.monotonic()
            wait_until(lambda: not lock_is_held(db), 10, "the lock to be freed")
            assert time.monotonic() - killed < 5
        finally:
            if holder.poll() is None:
                holder.kill()
                holder.wait(10)
        assert recorded(db) == {}  # rolled back with its transaction: up runs it again
    finally:
        made.close()
