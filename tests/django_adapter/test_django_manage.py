"""The real ``python manage.py goofer_*`` commands, each in a subprocess, on every dialect."""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest

from goofer_core.url import DatabaseURL
from tests.django_adapter.dj_support import IDS, MIGRATIONS, clean_env, manage
from tests.helpers import make_database, run_goofer

TIME = re.compile(r" \(\d+\.\d ms\)$", re.MULTILINE)


def core(url: str, *args: str) -> Any:
    """Run the core ``goofer`` command on the same database and migrations."""
    return run_goofer("--database-url", url, "--dir", str(MIGRATIONS), *args)


def test_commands_work_and_print_what_the_core_command_prints(db: Any) -> None:
    site_env = clean_env(TESTSITE_DEFAULT_URL=db.url)
    up = manage("goofer_up", env=site_env)
    assert up.returncode == 0, up.stderr
    assert TIME.sub("", up.stdout) == (
        "applied 20240101000000_create_products\napplied 20240102000000_seed_products\n"
        "applied 20240103000000_create_orders\nApplied 3 migrations.\n"
    )
    assert db.tracking_ids() == IDS
    assert {"products", "orders", "migrations"} <= db.tables()
    applied = manage("goofer_status", env=site_env)
    assert (applied.returncode, applied.stdout) == (0, core(db.url, "status").stdout)
    assert applied.stdout.count(" applied ") == 3
    ok = manage("goofer_check", env=site_env)
    assert (ok.returncode, ok.stdout) == (0, "OK: every migration is applied and unchanged.\n")
    down = manage("goofer_down", "--steps", "2", env=site_env)
    assert (down.returncode, down.stdout.splitlines()[-1]) == (0, "Reverted 2 migrations.")
    assert db.tracking_ids() == IDS[:1]
    behind = manage("goofer_check", env=site_env)
    assert behind.returncode == 1
    assert behind.stdout == f"{IDS[1]}_seed_products: pending\n{IDS[2]}_create_orders: pending\n"
    assert behind.stderr == "check failed: 2 problems\n"
    verify = manage("goofer_verify", "--json", "-v", "0", env=site_env)
    assert verify.returncode == 0, verify.stderr
    report = json.loads(verify.stdout)
    assert report["ok"] is True
    assert [(m["id"], m["result"]) for m in report["migrations"]] == [
        (mid, "passed") for mid in IDS
    ]
    assert db.tracking_ids() == IDS[:1]  # verify never touches the real database


def test_an_error_is_one_line_and_exit_1(tmp_path: Path) -> None:
    env = clean_env(
        TESTSITE_DEFAULT_URL=f"sqlite:///{tmp_path / 'app.db'}",
        TESTSITE_MIGRATIONS_DIR=str(tmp_path / "none"),
    )
    failed = manage("goofer_up", env=env)
    assert failed.returncode == 1
    assert failed.stdout == ""
    assert failed.stderr == (
        f"CommandError: settings.GOOFER['MIGRATIONS_DIR']: migrations directory "
        f"'{tmp_path / 'none'}' does not exist\n"
    )
    usage = manage("goofer_down", "--steps", "0", env=env)
    assert usage.returncode == 2
    assert usage.stderr == (
        "CommandError: Invalid value for '--steps': 0 is not in the range x>=1.\n"
    )
    traced = manage("goofer_up", "--traceback", env=env)
    assert traced.returncode == 1
    assert "Traceback (most recent call last)" in traced.stderr


def test_several_databases_at_once_with_the_database_flag(tmp_path: Path) -> None:
    with server_databases(tmp_path) as (pg, maria):
        env = clean_env(
            TESTSITE_DEFAULT_URL=f"sqlite:///{tmp_path / 'default.db'}",
            TESTSITE_PG_URL=pg.url,
            TESTSITE_MARIA_URL=maria.url,
        )
        assert manage("goofer_up", "--database", "pg", env=env).returncode == 0
        down = manage("goofer_up", "--database", "maria", "--to", IDS[0], env=env)
        assert down.stdout.splitlines()[-1] == "Applied 1 migration."
        assert (pg.tracking_ids(), maria.tracking_ids()) == (IDS, IDS[:1])
        default = manage("goofer_status", env=env).stdout
        assert default.count(" pending ") == 3
        maria_status = manage("goofer_status", "--database", "maria", env=env).stdout
        assert maria_status.count(" applied ") == 1 and maria_status.count(" pending ") == 2


@contextmanager
def server_databases(tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    """Yield a fresh PostgreSQL and a fresh MariaDB database, dropped afterwards."""
    with ExitStack() as stack:
        databases = []
        for dialect in ("postgresql", "mysql"):
            maker = make_database(dialect, tmp_path)
            databases.append(next(maker))
            stack.callback(maker.close)
        yield databases[0], databases[1]


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield server.getsockname()[1]
    server.close()


@pytest.mark.parametrize("scheme", ["postgresql", "mysql"])
def test_check_warns_quickly_when_the_database_does_not_answer(
    scheme: str, silent_server: int
) -> None:
    url = DatabaseURL(scheme, "shop", "127.0.0.1", silent_server, "app", "s3cret")
    env = clean_env(TESTSITE_DEFAULT_URL=url.render(show_password=True), TESTSITE_CHECK_TIMEOUT="1")
    start = time.monotonic()
    checked = manage("check", env=env)
    assert time.monotonic() - start < 15
    assert checked.returncode == 0
    assert (
        "(goofer.W003) Goofer could not check its migrations: the database did not answer "
        "within 1 s (GOOFER['CHECK_TIMEOUT'])"
    ) in checked.stderr


def test_check_warns_when_the_database_refuses_and_never_shows_the_password() -> None:
    env = clean_env(TESTSITE_DEFAULT_URL="postgresql://app:s3cret@127.0.0.1:1/shop")
    checked = manage("check", env=env)
    assert checked.returncode == 0
    assert (
        "(goofer.W003) Goofer could not check its migrations: cannot connect to database "
        "'default' (postgresql://app:***@127.0.0.1:1/shop)"
    ) in checked.stderr
    status = manage("goofer_status", env=env)
    assert status.returncode == 1
    assert status.stderr.startswith("CommandError: cannot connect to database 'default' (")
    assert status.stderr.count("\n") == 1
    assert "s3cret" not in checked.stderr + status.stderr


@pytest.mark.parametrize("apply_to_test", ["1", "0"])
def test_manage_py_test_sees_goofer_tables_unless_turned_off(
    apply_to_test: str, tmp_path: Path
) -> None:
    env = clean_env(
        TESTSITE_DEFAULT_URL=f"sqlite:///{tmp_path / 'app.db'}",
        TESTSITE_APPLY_TO_TEST=apply_to_test,
    )
    ran = manage("test", "testapp", "-v", "2", env=env)
    assert ran.returncode == 0, ran.stderr
    assert "Ran 1 test" in ran.stderr
    applied_line = "  Goofer: applied 20240101000000_create_products ("
    assert (applied_line in ran.stdout) == (apply_to_test == "1")


FAILING = Path(__file__).resolve().parents[1] / "fixtures" / "migrations" / "failing_statement"


def test_hints_name_manage_py_the_alias_and_the_settings(tmp_path: Path) -> None:
    with server_databases(tmp_path) as (_, maria):
        env = clean_env(
            TESTSITE_DEFAULT_URL=f"sqlite:///{tmp_path / 'default.db'}",
            TESTSITE_MARIA_URL=maria.url,
            TESTSITE_MIGRATIONS_DIR=str(FAILING),
        )
        failed = manage("goofer_up", "--database", "maria", env=env)
        assert failed.returncode == 1
        assert "2 of 3 statements ran" in failed.stderr  # MariaDB cannot roll DDL back
        assert (
            "'python manage.py goofer_resolve 20240102000000 --applied --database maria'"
        ) in failed.stderr
        again = manage("goofer_up", "--database", "maria", env=env)
        assert (
            "then run 'python manage.py goofer_resolve 20240102000000 --applied --database "
            "maria' or '--rolled-back'\n"
        ) in again.stderr
    nothing = manage("goofer_generate", "x", env=env)
    assert nothing.returncode == 1
    assert nothing.stderr == (
        "CommandError: no entities are registered: set settings.GOOFER['MODELS'] or "
        "settings.GOOFER['ENTITIES'], or run 'python manage.py goofer_generate --empty NAME' "
        "for a pair to fill by hand\n"
    )
