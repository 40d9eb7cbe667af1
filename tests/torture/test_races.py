"""Races: many `goofer` processes at once on one database, as when every pod migrates on boot.

- 16 processes x 50 migrations: all exit 0, exactly one of them applies everything, every
  migration runs once;
- `up` racing `down`: every command succeeds and the database ends in a state some serial order
  of the same commands would give;
- `status` (and `check`) during an `up` never errors, and never shows what was not committed;
- a lock wait that runs out exits 1 with one clear line, and leaves nothing on the server.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from goofer_core import Migrator
from goofer_core.url import DatabaseURL
from tests.conformance.test_concurrency import write_migrations
from tests.helpers import run_goofer
from tests.torture.test_crash_points import (
    assert_all_applied_once,
    assert_consistent,
    assert_no_lock_left,
    fault,
    lock_is_held,
    recorded,
    spawn,
    wait_until,
    waiters_on_lock,
)

PROCESSES = 16
MIGRATIONS = 50


def finish(procs, timeout: float = 240) -> list[tuple[int, str, str]]:
    """Wait for every process; return (exit code, stdout, stderr) of each, in order."""
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=timeout)
        results.append((proc.returncode, out, err))
    return results


def test_sixteen_processes_apply_fifty_migrations_exactly_once(db, tmp_path):
    migrations = tmp_path / "m"
    ids = write_migrations(migrations, MIGRATIONS)
    procs = [spawn(db.url, migrations, "up") for _ in range(PROCESSES)]
    results = finish(procs)
    assert [code for code, _, _ in results] == [0] * PROCESSES, results
    assert all(err == "" for _, _, err in results), results
    outputs = [out for _, out, _ in results]
    # Whoever took the lock first applied all of them; the others found nothing left.
    assert sum(out.count("applied 2024") for out in outputs) == MIGRATIONS
    assert sum(f"Applied {MIGRATIONS} migrations." in out for out in outputs) == 1
    assert sum("Nothing to apply" in out for out in outputs) == PROCESSES - 1
    assert_all_applied_once(db, ids)
    assert_no_lock_left(db)


def test_up_racing_down_ends_in_a_serial_state(db, tmp_path):
    migrations = tmp_path / "m"
    ids = write_migrations(migrations, 20)
    start = 10
    assert (
        run_goofer(
            "--database-url", db.url, "--dir", str(migrations), "up", "--to", ids[start - 1]
        ).returncode
        == 0
    )
    procs = []
    for _ in range(4):
        procs.append(spawn(db.url, migrations, "up"))
        procs.append(spawn(db.url, migrations, "down", "--steps", "3"))
    results = finish(procs)
    assert [code for code, _, _ in results] == [0] * len(procs), results
    assert all(err == "" for _, _, err in results), results
    applied = sum(
        out.count("\napplied 2024") + out.startswith("applied 2024") for _, out, _ in results
    )
    reverted = sum(
        out.count("\nreverted 2024") + out.startswith("reverted 2024") for _, out, _ in results
    )
    # Each command ran alone under the lock: up applies every pending migration in id order and
    # down reverts the newest, so the applied set stays a prefix whose length adds up.
    final = assert_consistent(db, ids)
    assert final == ids[: start + applied - reverted]
    assert set(recorded(db).values()) <= {"applied"}
    assert_no_lock_left(db)


def wait_until_hung(proc, ready: Path) -> None:
    """Wait until a process started with GOOFER_TEST_FAULT_ACTION=hang has reached the fault.

    The hook creates ``ready`` (GOOFER_TEST_FAULT_READY) as it starts to hang.
    """

    def hung() -> bool:
        if proc.poll() is not None:
            pytest.fail(f"exited early: {proc.communicate()}")
        return ready.exists()

    wait_until(hung, 60, "the fault hook to hang")


def _snapshot(db, migrations: Path) -> list[tuple[str, str]]:
    """Return (id, state) of every migration, as the Python API's status() sees it now."""
    return [(s.id, s.state) for s in Migrator(db.url, None, migrations).status()]


def _assert_sane(db, ids: list[str], snapshot: list[tuple[str, str]]) -> int:
    """A status taken during an up: applied ids form a prefix; return how many."""
    assert [mid for mid, _ in snapshot] == ids
    states = [state for _, state in snapshot]
    applied = states.count("applied")
    assert states[:applied] == ["applied"] * applied
    rest = states[applied:]
    if rest and not db.dialect.transactional_ddl and rest[0] == "failed":
        rest = rest[1:]  # MySQL: the migration in flight has a `running` row, shown as failed
    assert rest == ["pending"] * len(rest), snapshot
    return applied


def test_status_during_up_never_errors(db, tmp_path, cli):
    migrations = tmp_path / "m"
    ids = write_migrations(migrations, MIGRATIONS)
    middle = MIGRATIONS // 2
    # First a run that stops dead in the middle of a migration, holding the lock and (on
    # SQLite and PostgreSQL) an open transaction: status must answer, from committed data.
    ready = tmp_path / "hung"
    hang = {
        **fault("before-statement", ids[middle], 2, True),
        "GOOFER_TEST_FAULT_READY": str(ready),
    }
    hung = spawn(db.url, migrations, "up", env=hang)
    try:
        wait_until_hung(hung, ready)
        assert lock_is_held(db)
        commands = [
            spawn(db.url, migrations, *args)
            for args in (["status"], ["status", "--json"], ["check"], ["sql"])
        ]
        results = finish(commands, 60)
        snapshot = _snapshot(db, migrations)
    finally:
        hung.kill()
        hung.wait(10)
    committed = 0 if db.run_is_one_transaction else middle
    assert _assert_sane(db, ids, snapshot) == committed
    status, as_json, check, sql = results
    assert status[0] == 0 and status[2] == "" and status[1].count(" applied ") == committed
    assert as_json[0] == 0 and as_json[1].count('"state": "applied"') == committed, as_json
    assert check[0] == 1 and check[2] == f"check failed: {MIGRATIONS - committed} problems\n"
    if db.dialect.transactional_ddl:
        assert sql[0] == 0 and sql[2] == "", sql
    else:  # MySQL: `sql` refuses, taking the in-flight migration for one that stopped part-way
        assert sql[0] == 1 and "failed part-way" in sql[2], sql
    assert_no_lock_left(db)
    if not db.dialect.transactional_ddl:  # MySQL: settle the migration the kill interrupted
        db.query(f"DROP TABLE t_{middle}")
        assert cli(db.url, migrations, "resolve", ids[middle], "--rolled-back").exit_code == 0

    # Then a run left alone, polled through the Python API until it ends.
    runner = spawn(db.url, migrations, "up")
    seen = [0]
    try:
        while runner.poll() is None:
            seen.append(_assert_sane(db, ids, _snapshot(db, migrations)))
            assert seen[-1] >= seen[-2], seen  # committed migrations never disappear
    finally:
        _, err = runner.communicate(timeout=120)
    assert runner.returncode == 0, err
    assert len(seen) > 1
    assert _assert_sane(db, ids, _snapshot(db, migrations)) == MIGRATIONS
    assert_all_applied_once(db, ids)


LOCK_MESSAGES = {
    "sqlite": "could not take the SQLite database write lock (BEGIN IMMEDIATE) within {t} s: "
    "another process is migrating or writing",
    "postgresql": 'could not take the PostgreSQL advisory lock goofer:"public"."migrations" '
    "within {t} s: another process is migrating",
    "mysql": "could not take the MySQL lock {name} (GET_LOCK) within {t} s: "
    "another process is migrating",
}


def test_lock_wait_timeout_exits_1_and_leaves_nothing(db, tmp_path, cli):
    migrations = tmp_path / "m"
    ids = write_migrations(migrations, 2)
    assert cli(db.url, migrations, "up", "--to", ids[0]).exit_code == 0
    holder = spawn(db.url, migrations, "up", env=fault("after-lock", hang=True))
    try:
        wait_until(lambda: lock_is_held(db) or holder.poll() is not None, 30, "the holder")
        assert holder.poll() is None, holder.communicate()
        waiters = {
            ("1", "up"): spawn(db.url, migrations, "--lock-timeout", "1", "up"),
            ("1", "down"): spawn(db.url, migrations, "--lock-timeout", "1", "down"),
            ("1", "resolve"): spawn(
                db.url, migrations, "--lock-timeout", "1", "resolve", ids[0], "--applied"
            ),
            ("0", "up"): spawn(db.url, migrations, "--lock-timeout", "0", "up"),
        }
        started = time.monotonic()
        results = dict(zip(waiters, finish(waiters.values(), 60), strict=True))
        elapsed = time.monotonic() - started
        # The waits ran out on the server: nothing of them stays queued behind the holder.
        queued = 0 if db.dialect_name == "sqlite" else waiters_on_lock(db)
        assert lock_is_held(db)  # the holder is untouched
    finally:
        holder.kill()
        holder.wait(10)
    name = f"goofer:{DatabaseURL.parse(db.url).database}.migrations"
    for (timeout, command), (code, out, err) in results.items():
        message = LOCK_MESSAGES[db.dialect_name].format(t=timeout, name=name)
        # The commands that show progress say they wait (with no timeout, there is no wait).
        waited = (
            "waiting for the migration lock: another process is migrating (at most 1 s)\n"
            if timeout == "1" and command in ("up", "down")
            else ""
        )
        assert (code, out, err) == (1, waited, f"error: {message}\n"), command
    assert elapsed < 20
    assert queued == 0
    assert_no_lock_left(db)
    assert recorded(db) == {ids[0]: "applied"}  # the timed-out down and resolve changed nothing
    assert cli(db.url, migrations, "--lock-timeout", "5", "up").exit_code == 0
    assert_all_applied_once(db, ids)


def test_eight_processes_on_a_migration_whose_first_statement_fails(db, tmp_path):
    """Each one tries it, says why, and records nothing: no process is left to 'resolve'."""
    migrations = tmp_path / "m"
    ids = write_migrations(migrations, 3)
    broken = next(migrations.glob(f"{ids[1]}_*.up.sql"))
    fixed = broken.read_text()
    broken.write_text("-- goofer:no-transaction\nCREATE TABLE no_such_schema.t (id INTEGER);\n")
    results = finish([spawn(db.url, migrations, "up") for _ in range(8)])
    assert [code for code, _, _ in results] == [1] * 8, results
    tried = [err for _, _, err in results if f"{broken.name}: statement 1 (line 2): " in err]
    assert tried, results
    if db.run_is_one_transaction:
        # SQLite gives its write lock up while a no-transaction migration runs: a process that
        # comes in then finds it running, and stops rather than run it twice.
        others = [err for _, _, err in results if err not in tried]
        part_way = f"{ids[1]}_table_1: failed part-way (0 statements ran)"
        assert all(part_way in e for e in others), others
    else:
        assert len(tried) == 8, results
        assert not any("resolve" in err for _, _, err in results), results
    assert recorded(db) == {ids[0]: "applied"}
    broken.write_text(fixed)
    assert run_goofer("--database-url", db.url, "--dir", str(migrations), "up").returncode == 0
    assert_all_applied_once(db, ids)
    assert_no_lock_left(db)
