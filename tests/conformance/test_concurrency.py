"""Many processes running `goofer up` at once, and a bounded lock wait."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from goofer_core.dialects import get_dialect
from goofer_core.url import DatabaseURL
from tests.helpers import goofer_command, make_database, run_goofer

PROCESSES = 12
MIGRATIONS = 40


def write_migrations(directory: Path, count: int) -> list[str]:
    """Write ``count`` migrations, each creating a table and inserting a row."""
    directory.mkdir()
    ids = []
    for i in range(count):
        mid = f"20240101{i // 60:04d}{i % 60:02d}"
        ids.append(mid)
        (directory / f"{mid}_table_{i}.up.sql").write_text(
            f"CREATE TABLE t_{i} (id INTEGER PRIMARY KEY, note VARCHAR(50));\n"
            f"INSERT INTO t_{i} (id, note) VALUES (1, 'row; {i}');\n"
        )
        (directory / f"{mid}_table_{i}.down.sql").write_text(f"DROP TABLE t_{i};\n")
    return ids


def test_twelve_processes_apply_forty_migrations_exactly_once(db, tmp_path):
    migrations = tmp_path / "m"
    ids = write_migrations(migrations, MIGRATIONS)
    env = {**os.environ, "GOOFER_DATABASE_URL": db.url, "GOOFER_MIGRATIONS_DIR": str(migrations)}
    env = {k: v for k, v in env.items() if k != "GOOFER_TABLE"}
    procs = [
        subprocess.Popen(
            [*goofer_command(), "up"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    codes = [p.returncode for p in procs]
    assert codes == [0] * PROCESSES, outputs
    applied_lines = sum(out.count("applied 2024") for out, _ in outputs)
    assert applied_lines == MIGRATIONS
    assert db.tracking_ids() == ids
    assert len(db.query("SELECT id FROM migrations")) == MIGRATIONS
    assert {f"t_{i}" for i in range(MIGRATIONS)} <= db.tables()
    assert db.query("SELECT note FROM t_39") == [("row; 39",)]


def hold_lock(db):
    """Take the run lock the way a migrating process would; return a function releasing it."""
    dialect = get_dialect(db.dialect_name)
    conn = dialect.connect(DatabaseURL.parse(db.url), 10)
    qualified = dialect.qualify(conn, None, "migrations")
    token = dialect.lock.acquire(conn, qualified, 5)
    return lambda: (dialect.lock.release(conn, token), conn.close())


def test_lock_wait_is_bounded_and_leaves_no_lock_behind(db, tmp_path):
    migrations = tmp_path / "m"
    write_migrations(migrations, 2)
    release = hold_lock(db)
    try:
        start = time.monotonic()
        result = run_goofer(
            "--database-url", db.url, "--dir", str(migrations), "--lock-timeout", "1", "up"
        )
        waited = time.monotonic() - start
    finally:
        release()
    assert result.returncode == 1
    assert result.stderr.startswith("error: could not take "), result.stderr
    assert "within 1 s: another process is migrating" in result.stderr
    assert waited < 15
    result = run_goofer(
        "--database-url", db.url, "--dir", str(migrations), "--lock-timeout", "1", "up"
    )
    assert result.returncode == 0, result.stderr
    assert len(db.tracking_ids()) == 2


def test_nothing_pending_needs_no_lock(db, tmp_path):
    migrations = tmp_path / "m"
    write_migrations(migrations, 3)
    assert run_goofer("--database-url", db.url, "--dir", str(migrations), "up").returncode == 0
    release = hold_lock(db)
    try:
        result = run_goofer(
            "--database-url", db.url, "--dir", str(migrations), "--lock-timeout", "1", "up"
        )
        status = run_goofer("--database-url", db.url, "--dir", str(migrations), "status")
    finally:
        release()
    assert result.returncode == 0, result.stderr
    assert "Nothing to apply" in result.stdout
    assert status.returncode == 0 and status.stdout.count("applied") == 3


def test_a_mysql_lock_wait_the_server_interrupts_says_so(tmp_path):
    """max_statement_time ends GET_LOCK with NULL: not "another process is migrating"."""
    made = make_database("mysql", tmp_path)
    db = next(made)
    try:
        migrations = tmp_path / "m"
        write_migrations(migrations, 1)
        release = hold_lock(db)
        try:
            url = f"{db.url}?init_command=SET SESSION max_statement_time%3D1"
            result = run_goofer(
                "--database-url", url, "--dir", str(migrations), "--lock-timeout", "30", "up"
            )
        finally:
            release()
        assert (result.returncode, result.stdout) == (
            1,
            "waiting for the migration lock: another process is migrating (at most 30 s)\n",
        )
        assert "(GET_LOCK) was interrupted by the server before the 30 s lock timeout" in (
            result.stderr
        )
        assert "migrations" not in db.tables()  # it never got the lock
    finally:
        made.close()


def test_a_postgresql_statement_timeout_does_not_cut_the_lock_wait(tmp_path):
    """The lock timeout bounds the wait; a shorter session statement_timeout used to end it."""
    made = make_database("postgresql", tmp_path)
    db = next(made)
    try:
        migrations = tmp_path / "m"
        write_migrations(migrations, 1)
        release = hold_lock(db)
        try:
            url = f"{db.url}?options=-c%20statement_timeout%3D300"
            args = ["--database-url", url, "--dir", str(migrations), "--lock-timeout", "20", "up"]
            waiter = subprocess.Popen(
                [*goofer_command(), *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            time.sleep(1.5)  # five statement timeouts
        finally:
            release()
        out, err = waiter.communicate(timeout=30)
        assert waiter.returncode == 0, err
        assert out.startswith(
            "waiting for the migration lock: another process is migrating (at most 20 s)\n"
            "got the migration lock ("
        ), out
        assert out.endswith("Applied 1 migration.\n")
    finally:
        made.close()


def test_a_postgresql_lock_lost_mid_run_commits_nothing_more(tmp_path):
    """The lock's own connection ends mid-migration: that migration is rolled back, none follows.

    A pooler's idle_transaction_timeout, an administrator or the network can end the idle
    transaction that holds the lock; another process could then start migrating. Goofer asks
    the lock's connection before each commit, so nothing more is committed without the lock.
    """
    made = make_database("postgresql", tmp_path)
    db = next(made)
    try:
        migrations = tmp_path / "m"
        migrations.mkdir()
        (migrations / "20240101000000_slow.up.sql").write_text(
            "CREATE TABLE slow (id INTEGER);\nSELECT pg_sleep(1.5);\n"
        )
        (migrations / "20240102000000_next.up.sql").write_text("CREATE TABLE next (id INTEGER);\n")
        for label in ("20240101000000_slow", "20240102000000_next"):
            (migrations / f"{label}.down.sql").write_text("SELECT 1;\n")
        runner = subprocess.Popen(
            [*goofer_command(), "--database-url", db.url, "--dir", str(migrations), "up"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        holder: list[tuple[int]] = []
        deadline = time.monotonic() + 10
        while not holder and time.monotonic() < deadline:
            holder = db.query(  # the lock's transaction sits idle; the migration is active
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND state = 'idle in transaction' AND pid <> pg_backend_pid()"
            )
            time.sleep(0.05)
        assert holder, "the lock's connection never showed up"
        db.query("SELECT pg_terminate_backend(%s)", (holder[0][0],))
        out, err = runner.communicate(timeout=30)
        assert runner.returncode == 1, (out, err)
        lines = err.splitlines()
        assert len(lines) == 1 and "was lost during the run" in lines[0], err
        assert db.tables() == {"migrations"}  # the slow one rolled back, the next never ran
        assert db.tracking_ids() == []
    finally:
        made.close()
