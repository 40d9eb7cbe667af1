"""A project with two histories, run as its users run it: ``catalog`` has Django migrations,
``billing`` Goofer migrations, with foreign keys both ways (``crossproject/``).

Each test copies the project to its own directory (some edit its migrations) and runs
``manage.py`` and pytest-django in subprocesses on PostgreSQL and MariaDB, with test database
names unique to the test; kept test databases are dropped afterwards.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest

from goofer_core.dialects import get_dialect
from goofer_core.url import DatabaseURL
from tests.django_adapter.dj_support import HERE, clean_env, manage
from tests.helpers import DIALECTS, SERVERS, TestDatabase, make_database, require_server

SOURCE = HERE / "crossproject"
SERVER_DIALECTS = ["postgresql", "mysql"]
IDS = ["20250101000000", "20250102000000"]
FOREIGN_KEYS = {
    ("billing_invoice", "catalog_product"),  # Goofer -> Django
    ("catalog_refund", "billing_invoice"),  # Django -> Goofer
    ("billing_payment", "catalog_refund"),  # Goofer -> Django -> Goofer
}
FOREIGN_KEY_QUERIES = {
    "sqlite": 'SELECT m.name, p."table" FROM sqlite_master m '
    "JOIN pragma_foreign_key_list(m.name) p WHERE m.type = 'table'",
    "postgresql": "SELECT conrelid::regclass::text, confrelid::regclass::text "
    "FROM pg_constraint WHERE contype = 'f'",
    "mysql": "SELECT table_name, referenced_table_name "
    "FROM information_schema.referential_constraints WHERE constraint_schema = DATABASE()",
}


class Project:
    """A private copy of ``crossproject`` configured for one server."""

    def __init__(self, root: Path, dialect: str) -> None:
        self.root = root
        self.dialect = dialect
        self.suffix = uuid.uuid4().hex[:10]
        url = f"sqlite:///{root / 'default.db'}" if dialect == "sqlite" else SERVERS[dialect]
        self.env = clean_env(CROSS_DEFAULT_URL=url, CROSS_TEST_SUFFIX=self.suffix)

    def test_database(self, alias: str = "default") -> TestDatabase:
        """Return the test database Django makes for ``alias`` (to look into a kept one)."""
        url = DatabaseURL.parse(SERVERS[self.dialect])
        name = f"goofer_djt_{alias}_{self.suffix}"
        return TestDatabase(self.dialect, url.with_database(name).render(show_password=True))

    def manage(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``python manage.py ARGS`` in the copy."""
        return manage(*args, env=self.env, cwd=self.root, timeout=180)

    def pytest(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the project's pytest-django session (its check_*.py files)."""
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-c", "pytest.ini", ".", *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
        )

    def drop_test_databases(self) -> None:
        """Drop the test databases a kept run left behind."""
        if self.dialect == "sqlite":
            return
        admin = DatabaseURL.parse(SERVERS[self.dialect])
        conn = get_dialect(self.dialect).connect(admin, 10)
        try:
            for alias in ("default", "reports"):
                drop = f"DROP DATABASE IF EXISTS goofer_djt_{alias}_{self.suffix}"
                conn.cursor().execute(drop + (" WITH (FORCE)" if self.dialect != "mysql" else ""))
        finally:
            conn.close()


def copy_project(dialect: str, tmp_path: Path) -> Iterator[Project]:
    """Yield a copy of the project for ``dialect``; drop its kept test databases after."""
    if dialect != "sqlite":
        require_server(dialect)
    root = tmp_path / "crossproject"
    shutil.copytree(SOURCE, root, ignore=shutil.ignore_patterns("__pycache__"))
    copy = Project(root, dialect)
    try:
        yield copy
    finally:
        copy.drop_test_databases()


@pytest.fixture(params=SERVER_DIALECTS)
def project(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Project]:
    """A copy of the project on each server in turn."""
    yield from copy_project(request.param, tmp_path)


@pytest.fixture(params=DIALECTS)
def any_project(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Project]:
    """A copy of the project on each dialect in turn."""
    yield from copy_project(request.param, tmp_path)


@contextmanager
def fresh_databases(dialect: str, tmp_path: Path) -> Iterator[tuple[TestDatabase, TestDatabase]]:
    """Yield two fresh databases on the server (for ``default`` and ``reports``), dropped after."""
    with ExitStack() as stack:
        made = []
        for name in ("default", "reports"):
            (tmp_path / name).mkdir()
            maker = make_database(dialect, tmp_path / name)
            made.append(next(maker))
            stack.callback(maker.close)
        yield made[0], made[1]


def summary(run: subprocess.CompletedProcess[str]) -> str:
    """Return the last line pytest printed."""
    return (run.stdout.strip().splitlines() or [""])[-1]


def test_transactional_tests_leave_goofer_tables_clean_also_with_reuse_db(project: Any) -> None:
    first = project.pytest("--reuse-db")
    assert first.returncode == 0, first.stdout + first.stderr
    assert summary(first).startswith("4 passed")
    kept = project.test_database()
    assert kept.tracking_ids() == IDS
    assert kept.query("SELECT code FROM billing_currency ORDER BY code") == [("EUR",), ("USD",)]
    assert kept.query("SELECT COUNT(*) FROM billing_invoice") == [(0,)]
    again = project.pytest("--reuse-db")  # the ordinary db test would fail on leftover rows
    assert again.returncode == 0, again.stdout + again.stderr
    newest = project.root / "goofer_migrations" / "20250102000000_create_payments.up.sql"
    newest.write_text(newest.read_text() + "-- edited\n")
    edited = project.pytest("--reuse-db")
    assert edited.returncode == 1
    assert (
        "CommandError: 20250102000000_create_payments.up.sql: modified after being applied to "
        f"the kept test database 'goofer_djt_default_{project.suffix}' (--reuse-db, --keepdb); "
        "recreate it: 'pytest --create-db', or 'manage.py test' without '--keepdb'"
    ) in edited.stdout
    recreated = project.pytest("--reuse-db", "--create-db")
    assert recreated.returncode == 0, recreated.stdout + recreated.stderr


def test_manage_py_test_in_parallel_flushes_goofer_tables(project: Any) -> None:
    ran = project.manage("test", "--parallel", "2", "catalog")
    assert ran.returncode == 0, ran.stderr
    assert "Ran 2 tests" in ran.stderr and ran.stderr.rstrip().splitlines()[-4] == "OK"


def test_each_alias_migrates_its_own_folder_where_the_router_allows(
    project: Any, tmp_path: Path
) -> None:
    with fresh_databases(project.dialect, tmp_path) as (main, reports):
        project.env.update(CROSS_DEFAULT_URL=main.url, CROSS_REPORTS_URL=reports.url)
        up = project.manage("goofer_up", "--database", "reports")
        assert up.returncode == 0, up.stderr
        assert up.stdout.splitlines()[0].startswith("applied 20250201000000_create_daily_totals")
        assert reports.tracking_ids() == ["20250201000000"]
        assert reports.tables() == {"report_daily", "migrations"}
        status = project.manage("goofer_status", "--database", "reports")
        assert "create_billing" not in status.stdout and "create_daily_totals" in status.stdout
        tested = project.pytest()
        assert summary(tested).startswith("5 passed"), tested.stdout + tested.stderr

        project.env["CROSS_REFUSE_REPORTS"] = "1"
        refused = project.manage("goofer_down", "--database", "reports")
        assert (refused.returncode, refused.stdout) == (1, "")
        assert refused.stderr == (
            "CommandError: database 'reports': settings.DATABASE_ROUTERS refuse Goofer's "
            "migrations there (allow_migrate(db='reports', app_label='goofer') is False); "
            "choose another --database or change the router\n"
        )
        assert reports.tracking_ids() == ["20250201000000"]
        skipped = project.pytest()
        assert summary(skipped).startswith("5 passed"), skipped.stdout + skipped.stderr


def foreign_keys(db: TestDatabase) -> set[tuple[str, str]]:
    """Return (table, referenced table) of every foreign key in the database."""
    return {(str(a), str(b)) for a, b in db.query(FOREIGN_KEY_QUERIES[db.dialect_name])}


def test_migrate_applies_both_histories_in_the_order_they_require(
    any_project: Any, tmp_path: Path
) -> None:
    project = any_project
    with fresh_databases(project.dialect, tmp_path) as (main, reports):
        project.env.update(CROSS_DEFAULT_URL=main.url, CROSS_REPORTS_URL=reports.url)
        alone = project.manage("goofer_up")
        assert (alone.returncode, alone.stdout) == (1, ""), alone.stderr
        assert alone.stderr == (
            "CommandError: 20250101000000_create_billing.up.sql: requires Django migration "
            "catalog.0001_initial, which is not applied to database 'default'; run 'python "
            "manage.py migrate', which applies both histories in order\n"
        )
        plan = project.manage("migrate", "--plan")
        assert plan.returncode == 0, plan.stderr
        django_part, goofer_part = plan.stdout.split("Goofer migrations (")
        assert "catalog.0001_initial" in django_part
        assert goofer_part.splitlines()[1:] == [
            "  20250101000000_create_billing (after Django migration catalog.0001_initial)",
            "  20250102000000_create_payments (after Django migration catalog.0002_refund)",
        ]
        assert project.manage("migrate", "--check").returncode == 1
        assert main.tables() == set()  # neither looked at anything but the plans

        migrated = project.manage("migrate")
        assert migrated.returncode == 0, migrated.stderr
        assert "goofer.W001" not in migrated.stderr  # no "pending" warning: migrate applies them
        lines = [line.split(" (")[0] for line in migrated.stdout.splitlines()]
        order = [
            "  Applying catalog.0001_initial... OK",
            "  Goofer: applied 20250101000000_create_billing",
            "  Applying catalog.0002_refund... OK",
            "  Goofer: applied 20250102000000_create_payments",
        ]
        assert [line for line in lines if line in order] == order
        assert main.tracking_ids() == IDS
        assert foreign_keys(main) >= FOREIGN_KEYS
        again = project.manage("migrate")
        assert "Goofer" not in again.stdout and "No migrations to apply." in again.stdout
        assert project.manage("migrate", "--check").returncode == 0
        assert "  No pending Goofer migrations." in project.manage("migrate", "--plan").stdout
        assert project.manage("goofer_up").stdout.startswith("Nothing to apply")

        routed = project.manage("migrate", "--database", "reports")
        assert routed.returncode == 0, routed.stderr
        assert "  Goofer: applied 20250201000000_create_daily_totals" in routed.stdout
        assert reports.tracking_ids() == ["20250201000000"]
        assert "catalog_product" not in reports.tables()  # the router keeps Django's apps off


def test_on_sqlite_the_test_database_is_built_and_flushed_too(tmp_path: Path) -> None:
    for project in copy_project("sqlite", tmp_path):
        for _ in range(2):  # the second run reuses the kept test database file
            tested = project.pytest("--reuse-db")
            assert tested.returncode == 0, tested.stdout + tested.stderr
            assert summary(tested).startswith("4 passed, 1 skipped")


def test_a_cycle_between_the_histories_stops_migrate_naming_both(tmp_path: Path) -> None:
    for project in copy_project("sqlite", tmp_path):
        first = project.root / "goofer_migrations" / "20250101000000_create_billing.up.sql"
        first.write_text(first.read_text().replace("0001_initial", "0002_refund"))
        migrated = project.manage("migrate")
        assert migrated.returncode == 1
        assert migrated.stderr == (
            "CommandError: catalog.0002_refund needs Goofer migration 20250101000000, but "
            "20250101000000_create_billing.up.sql requires Django migration catalog.0002_refund, "
            "which is not applied yet: the two histories require each other in a cycle\n"
        )
