"""Goofer behind a real PgBouncer: session and transaction pooling work, statement pooling not.

Each test starts its own ``pgbouncer`` process (config in a temporary directory, a free port,
``auth_type = trust``, a pool of two to five server connections so clients really share them) in
front of the test PostgreSQL server, and stops it at teardown. Under CI=true a missing pgbouncer
binary is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from goofer_core.url import DatabaseURL
from tests.helpers import SERVERS, TestDatabase, goofer_command, make_database, run_goofer

PROCESSES = 50
MIGRATIONS = 30
NO_TRANSACTION = 15  # this one builds an index CONCURRENTLY, outside any transaction
# Long enough for every process started at once to be waiting while the first one holds the lock.
SLOW_FIRST = "SELECT pg_sleep(2);\n"


def pgbouncer_binary() -> str:
    """Return the pgbouncer executable, or skip (fail under CI=true) when it is missing."""
    found = shutil.which("pgbouncer") or next(
        (p for p in ("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer") if os.access(p, os.X_OK)), None
    )
    if found:
        return found
    problem = "pgbouncer is not installed (apt-get install -y pgbouncer)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{problem} (CI=true: a missing tool is a failure)")
    pytest.skip(problem)


def free_port() -> int:
    """Return a TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Bouncer:
    """A running pgbouncer: URLs through it, and its log for failure messages."""

    def __init__(self, port: int, log: Path) -> None:
        self.port = port
        self.log = log

    def url(self, db: TestDatabase) -> str:
        """Return ``db``'s URL through this pgbouncer."""
        direct = DatabaseURL.parse(db.url)
        return f"postgresql://{direct.user}@127.0.0.1:{self.port}/{direct.database}"


@contextmanager
def pgbouncer(mode: str, pool_size: int = 5, settings: str = "") -> Iterator[Bouncer]:
    """Run a pgbouncer in ``mode`` pooling in front of the test server; stop it afterwards.

    ``settings``: more ``[pgbouncer]`` lines (``name = value``).
    """
    binary = pgbouncer_binary()
    server = DatabaseURL.parse(SERVERS["postgresql"])
    # Not pytest's tmp_path: that is private to root, and pgbouncer refuses to run as root.
    directory = Path(tempfile.mkdtemp(prefix="goofer-pgbouncer-"))
    directory.chmod(0o755)
    port = free_port()
    (directory / "users.txt").write_text(f'"{server.user}" ""\n')
    (directory / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"* = host={server.host} port={server.port or 5432}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {directory / 'users.txt'}\n"
        f"pool_mode = {mode}\ndefault_pool_size = {pool_size}\nmax_client_conn = 500\n"
        "ignore_startup_parameters = extra_float_digits\n" + settings
    )
    for path in directory.iterdir():
        path.chmod(0o644)
    log = directory / "pgbouncer.log"
    command = [binary, str(directory / "pgbouncer.ini")]
    if os.geteuid() == 0:
        command[1:1] = ["-u", "nobody"]
    with log.open("w") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        deadline = time.monotonic() + 10
        while True:
            assert process.poll() is None, f"pgbouncer exited: {log.read_text()}"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, f"pgbouncer did not listen: {log.read_text()}"
                time.sleep(0.05)
        yield Bouncer(port, log)
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def pg(tmp_path: Path) -> Iterator[TestDatabase]:
    """A fresh PostgreSQL database."""
    yield from make_database("postgresql", tmp_path)


def write_migrations(directory: Path, count: int, first: int = 0, slow: str = "") -> list[str]:
    """Write migrations that each create a table and log themselves once in ``applied_log``.

    ``slow``: SQL the first migration runs before its own, to keep the others waiting.
    """
    directory.mkdir(exist_ok=True)
    ids = []
    for i in range(first, first + count):
        mid = f"2024010100{i // 60:02d}{i % 60:02d}"
        ids.append(mid)
        up = f"CREATE TABLE t_{i} (id INTEGER);\nINSERT INTO applied_log VALUES ('{mid}');\n"
        if i == 0:
            up = f"CREATE TABLE applied_log (migration VARCHAR(14) NOT NULL);\n{slow}{up}"
        elif i == NO_TRANSACTION:
            up = (
                "-- goofer:no-transaction\n"
                f"CREATE INDEX CONCURRENTLY applied_log_{i} ON applied_log (migration);\n" + up
            )
        (directory / f"{mid}_step_{i}.up.sql").write_text(up)
        (directory / f"{mid}_step_{i}.down.sql").write_text(f"DROP TABLE t_{i};\n")
    return ids


def advisory_locks(db: TestDatabase) -> int:
    """Return how many advisory locks are held or awaited in ``db``, asked without the pooler."""
    rows = db.query(
        "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
        "WHERE l.locktype = 'advisory' AND d.datname = current_database()"
    )
    return int(rows[0][0])


def goofer_up(url: str, migrations: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """Run ``goofer up`` in a subprocess."""
    return run_goofer("--database-url", url, "--dir", str(migrations), *options, "up")


@pytest.mark.parametrize("mode", ["session", "transaction"])
def test_fifty_processes_through_pgbouncer_apply_each_migration_once(pg, tmp_path, mode):
    """Through a pool of two server connections, the fewest a run needs (lock and migrations).

    In session pooling every waiter that kept its connection open would pin one of them: the
    holder then never gets its second one (checked by breaking it: all 50 hung).
    """
    migrations = tmp_path / "m"
    ids = write_migrations(migrations, MIGRATIONS, slow=SLOW_FIRST)
    with pgbouncer(mode, pool_size=2) as bouncer:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GOOFER_")}
        env.update(GOOFER_DATABASE_URL=bouncer.url(pg), GOOFER_MIGRATIONS_DIR=str(migrations))
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
        outputs = [p.communicate(timeout=120) for p in procs]
        failed = [
            (p.returncode, err) for p, (_, err) in zip(procs, outputs, strict=True) if p.returncode
        ]
        assert failed == [], failed
        assert sum(out.count("applied 2024") for out, _ in outputs) == MIGRATIONS
        assert pg.tracking_ids() == ids
        logged = pg.query("SELECT migration, count(*) FROM applied_log GROUP BY migration")
        assert sorted(logged) == [(mid, 1) for mid in ids]
        # The pool still holds its server connections: none of them kept the lock.
        assert advisory_locks(pg) == 0
        new = write_migrations(migrations, 1, first=MIGRATIONS)
        direct = goofer_up(pg.url, migrations, "--lock-timeout", "3")
        assert direct.returncode == 0, direct.stderr
        assert pg.tracking_ids() == ids + new


def test_statement_pooling_is_refused_in_one_line(pg, tmp_path):
    migrations = tmp_path / "m"
    write_migrations(migrations, 2)
    with pgbouncer("statement") as bouncer:
        result = goofer_up(bouncer.url(pg), migrations)
    assert result.returncode == 1
    assert result.stderr == (
        "error: the database URL goes through PgBouncer's statement pooling, which cannot hold "
        "the migration lock nor run a migration in a transaction: use session or transaction "
        "pooling (pool_mode), or a direct URL to PostgreSQL\n"
    )
    assert "t_0" not in pg.tables() and "migrations" not in pg.tables()


def test_a_run_shares_the_pool_with_other_clients_and_releases_cleanly(pg, tmp_path):
    """Other clients' transactions go through the same two server connections meanwhile."""
    import psycopg

    migrations = tmp_path / "m"
    ids = write_migrations(migrations, 10)
    stop = threading.Event()
    errors: list[BaseException] = []

    def other_client(url: str) -> None:
        try:
            with psycopg.connect(url, autocommit=True, prepare_threshold=None) as conn:
                while not stop.is_set():
                    with conn.transaction():
                        conn.execute("SELECT pg_sleep(0.005)")
                    conn.execute("SELECT 1")
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    with pgbouncer("transaction", pool_size=2) as bouncer:
        url = bouncer.url(pg)
        clients = [threading.Thread(target=other_client, args=(url,)) for _ in range(4)]
        for client in clients:
            client.start()
        try:
            result = goofer_up(url, migrations)
        finally:
            stop.set()
            for client in clients:
                client.join(10)
        assert result.returncode == 0, result.stderr
        assert "was not held at release" not in result.stderr
        assert result.stdout.count("applied 2024") == 10
        assert errors == []
        assert pg.tracking_ids() == ids
        assert advisory_locks(pg) == 0


def test_a_lock_left_on_an_idle_pooled_session_is_named_as_such(pg, tmp_path):
    """What an older Goofer (a session lock) left behind a transaction pooler: an idle holder."""
    import psycopg

    migrations = tmp_path / "m"
    ids = write_migrations(migrations, 2)
    with pgbouncer("transaction", pool_size=2) as bouncer:
        with psycopg.connect(bouncer.url(pg), autocommit=True, prepare_threshold=None) as old:
            old.execute(
                "SELECT pg_advisory_lock(hashtextextended('goofer:' || %s, 0))",
                ('"public"."migrations"',),
            )
        # The client is gone; its server connection idles in the pool with the lock.
        assert advisory_locks(pg) == 1
        pid = pg.query(
            "SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
            "WHERE l.locktype = 'advisory' AND d.datname = current_database()"
        )[0][0]
        time.sleep(1.1)
        result = goofer_up(pg.url, migrations, "--lock-timeout", "1")
        assert result.returncode == 1
        assert result.stderr.startswith(
            'error: could not take the PostgreSQL advisory lock goofer:"public"."migrations" '
            f"within 1 s: the lock is held by an idle session (pid {pid}, idle since "
        ), result.stderr
        assert result.stderr.endswith(f"end it with SELECT pg_terminate_backend({pid})\n")
        pg.query("SELECT pg_terminate_backend(%s)", (pid,))
        result = goofer_up(bouncer.url(pg), migrations, "--lock-timeout", "5")
        assert result.returncode == 0, result.stderr
        assert pg.tracking_ids() == ids


def test_a_callers_connection_through_pgbouncer_gets_a_lock_connection_of_its_own(pg, tmp_path):
    """The Python API with an open psycopg connection (as Flask's engine and Django pass)."""
    import psycopg

    from goofer_core import Migrator

    migrations = tmp_path / "m"
    ids = write_migrations(migrations, 20)
    with pgbouncer("transaction", pool_size=2) as bouncer:
        with psycopg.connect(bouncer.url(pg), prepare_threshold=None) as conn:
            applied = Migrator(conn, "postgresql", migrations).up()
            assert [m.id for m in applied] == ids
            assert conn.autocommit is False  # given back as it was
            assert conn.execute("SELECT count(*) FROM applied_log").fetchone() == (20,)
        assert advisory_locks(pg) == 0
    assert pg.tracking_ids() == ids


@pytest.mark.parametrize("threshold", ["0", "none"])
def test_create_index_concurrently_does_not_wait_for_the_locks_transaction(pg, tmp_path, threshold):
    """The lock's transaction holds no snapshot, even when the URL asks to prepare everything."""
    migrations = tmp_path / "m"
    ids = write_migrations(migrations, NO_TRANSACTION + 2)
    concurrently = next(migrations.glob(f"*_step_{NO_TRANSACTION}.up.sql"))
    header, rest = concurrently.read_text().split("\n", 1)
    # A wait for the lock's transaction fails the migration in 5 s instead of hanging.
    concurrently.write_text(f"{header}\nSET lock_timeout = '5s';\n{rest}")
    result = goofer_up(f"{pg.url}?prepare_threshold={threshold}", migrations, "--lock-timeout", "5")
    assert result.returncode == 0, result.stderr
    assert pg.tracking_ids() == ids
    assert f"applied_log_{NO_TRANSACTION}" in {
        r[0] for r in pg.query("SELECT indexname FROM pg_indexes WHERE tablename = 'applied_log'")
    }


def test_a_holder_killed_behind_a_transaction_pool_leaves_no_lock(pg, tmp_path):
    """Its client connection closes; PgBouncer drops the server connection in its transaction."""
    from tests.torture.test_crash_points import fault

    migrations = tmp_path / "m"
    ids = write_migrations(migrations, 4)
    with pgbouncer("transaction") as bouncer:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GOOFER_")}
        killed = subprocess.run(
            [*goofer_command(), "--database-url", bouncer.url(pg), "--dir", str(migrations), "up"],
            env={**env, **fault("before-statement", ids[2], statement=2)},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert killed.returncode < 0, killed.stderr  # SIGKILLed holding the lock
        deadline = time.monotonic() + 5
        while advisory_locks(pg):
            assert time.monotonic() < deadline, "the lock outlived its process"
            time.sleep(0.05)
        assert pg.tracking_ids() == ids[:2]  # the third one was rolled back
        again = goofer_up(bouncer.url(pg), migrations, "--lock-timeout", "3")
        assert again.returncode == 0, again.stderr
        logged = pg.query("SELECT migration, count(*) FROM applied_log GROUP BY migration")
        assert sorted(logged) == [(mid, 1) for mid in ids]


def test_tenants_through_a_transaction_pool_stay_in_their_schemas(pg, tmp_path):
    """A tenant's schema is set inside each migration's transaction, never on a pooled session.

    A session search_path would stay on a server connection that other clients get next, and
    the next statement may reach another one; a no-transaction migration cannot be kept in the
    tenant's schema at all, so it is refused before anything of that tenant runs.
    """
    import psycopg

    migrations = tmp_path / "m"
    migrations.mkdir()
    for i, table in enumerate(("notes", "tags")):
        (migrations / f"2024010100000{i}_{table}.up.sql").write_text(
            f"CREATE TABLE {table} (id INTEGER);\nINSERT INTO {table} VALUES ({i});\n"
        )
        (migrations / f"2024010100000{i}_{table}.down.sql").write_text(f"DROP TABLE {table};\n")
    tenants = ("t1", "t2", "t3")
    for tenant in tenants:
        pg.query(f"CREATE SCHEMA {tenant}")
    # Each job's lock transaction pins a server connection: the pool needs more than --jobs.
    with pgbouncer("transaction", pool_size=4) as bouncer:
        url = bouncer.url(pg)
        result = run_goofer(
            "--database-url", url, "--dir", str(migrations), "up",
            "--schemas", ",".join(tenants), "--jobs", "3",
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        # Every server connection of the pool, held at once: none kept a tenant's path.
        plain = DatabaseURL.parse(url)
        clients = [
            psycopg.connect(
                host="127.0.0.1", port=plain.port, user=plain.user, dbname=plain.database
            )
            for _ in range(4)
        ]
        try:
            paths = []
            for client in clients:
                client.execute("BEGIN")
                paths.append(client.execute("SHOW search_path").fetchone()[0])
            assert paths == ['"$user", public'] * 4
        finally:
            for client in clients:
                client.close()

        (migrations / "20240101000002_index.up.sql").write_text(
            "-- goofer:no-transaction\nCREATE INDEX notes_id ON notes (id);\n"
        )
        (migrations / "20240101000002_index.down.sql").write_text("DROP INDEX notes_id;\n")
        refused = run_goofer(
            "--database-url", url, "--dir", str(migrations), "up", "--schemas", "t1"
        )  # fmt: skip
    assert refused.returncode == 1
    assert "t1: error: 20240101000002_index.up.sql: runs outside a transaction" in refused.stderr
    assert "migrate the tenants with a direct URL" in refused.stderr
    for tenant in tenants:
        assert pg.query(
            f"SELECT id FROM {tenant}.notes UNION ALL SELECT id FROM {tenant}.tags"
        ) == [
            (0,),
            (1,),
        ]
        rows = pg.query(f"SELECT id FROM {tenant}.migrations ORDER BY id")
        assert rows == [("20240101000000",), ("20240101000001",)]
    assert pg.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [(0,)]


def test_a_pool_too_small_for_the_lock_and_the_migrations_is_one_line(pg, tmp_path):
    """One server connection: the lock's transaction holds it, the migrations wait for another.

    PgBouncer gives up after query_wait_timeout; Goofer says why in one line, not a traceback.
    """
    migrations = tmp_path / "m"
    write_migrations(migrations, 2)
    with pgbouncer("transaction", pool_size=1, settings="query_wait_timeout = 2\n") as bouncer:
        result = goofer_up(bouncer.url(pg), migrations)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: the database stopped the run: query_wait_timeout"), lines
    assert "raise default_pool_size" in lines[0]
    assert advisory_locks(pg) == 0
    assert pg.tables() == set()  # not even the tracking table: nothing ran
