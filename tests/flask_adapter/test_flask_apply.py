"""`goofer.apply()` in an app factory: which app, what it logs, how it fails."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest
from flask import Flask

from goofer_core import ConfigurationError, DatabaseConnectError, GooferError
from goofer_core import MigrationFailedError as FailedError
from goofer_core.dialects import get_dialect
from goofer_core.url import DatabaseURL
from goofer_integrations.flask import Goofer
from tests.helpers import FIXTURES, make_database

EXAMPLE_MIGRATIONS = Path(__file__).resolve().parents[2] / "examples" / "flask_shop" / "migrations"
IDS = ["20260301090000", "20260302100000", "20260303110000"]


@pytest.fixture(autouse=True)
def _no_goofer_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("GOOFER_"):
            monkeypatch.delenv(key)


def make_app(root: Path, migrations: Path = EXAMPLE_MIGRATIONS, **config: object) -> Flask:
    """Return an app rooted at ``root`` whose migrations are a copy of ``migrations``."""
    shutil.copytree(migrations, root / "migrations")
    app = Flask("goofer_apply_test", root_path=str(root))
    app.config.update(config)
    return app


def goofer_records(caplog: pytest.LogCaptureFixture) -> list[tuple[str, str]]:
    """Return (level, message) of every line of an app's ``goofer`` logger, without the pid."""
    prefix = f"goofer[{os.getpid()}]: "
    return [
        (r.levelname, "goofer: " + r.getMessage().removeprefix(prefix))
        for r in caplog.records
        if r.name.startswith("goofer_")
        and r.name.endswith(".goofer")
        and r.getMessage().startswith(prefix)
    ]


def test_apply_on_boot_logs_each_migration_then_has_nothing_to_do(db, tmp_path, caplog):
    caplog.set_level(logging.INFO)
    app = make_app(tmp_path, GOOFER_DATABASE_URL=db.url)
    goofer = Goofer(app)

    applied = goofer.apply()
    assert [m.id for m in applied] == IDS
    assert db.tracking_ids() == IDS
    messages = [message for _, message in goofer_records(caplog)]
    assert [m.split(" (")[0] for m in messages] == [
        "goofer: applied 20260301090000_create_products",
        "goofer: applied 20260302100000_seed_products",
        "goofer: applied 20260303110000_create_stock",
        "goofer: applied 3 migrations",
    ]
    assert messages[0].endswith(" ms)")

    caplog.clear()
    assert goofer.apply() == []
    assert goofer_records(caplog) == []
    assert db.query("SELECT COUNT(*) FROM products") == [(3,)]


def test_apply_uses_the_given_app_then_the_current_one_then_the_last_initialised(tmp_path):
    apps = {}
    goofer = Goofer()
    for name in ("first", "second", "third"):
        apps[name] = make_app(
            tmp_path / name, GOOFER_DATABASE_URL=f"sqlite:///{tmp_path}/{name}.db"
        )
        goofer.init_app(apps[name])
        assert apps[name].extensions["goofer"] is goofer
    assert goofer.app is apps["third"]

    with apps["second"].app_context():
        assert len(goofer.apply(apps["first"])) == 3
        assert len(goofer.apply()) == 3  # the current app: second
    assert len(goofer.apply()) == 3  # the last initialised: third
    assert goofer.apply(apps["first"]) == goofer.apply(apps["second"]) == goofer.apply() == []


def test_apply_without_any_app_says_how_to_give_one():
    with pytest.raises(ConfigurationError, match=r"^no Flask app: pass one to apply\(app\)"):
        Goofer().apply()


def test_apply_without_a_url_names_the_config_keys_and_the_environment_variable(tmp_path):
    goofer = Goofer(make_app(tmp_path))
    with pytest.raises(ConfigurationError) as caught:
        goofer.apply()
    assert str(caught.value) == (
        "no database URL: set GOOFER_DATABASE_URL (or SQLALCHEMY_DATABASE_URI) in the Flask "
        "config, or the GOOFER_DATABASE_URL environment variable"
    )


def test_environment_variable_beats_config_on_boot(tmp_path, monkeypatch):
    monkeypatch.setenv("GOOFER_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    goofer = Goofer(make_app(tmp_path, GOOFER_DATABASE_URL=f"sqlite:///{tmp_path / 'config.db'}"))
    assert len(goofer.apply()) == 3
    assert (tmp_path / "env.db").exists()
    assert not (tmp_path / "config.db").exists()


def test_a_failing_migration_raises_and_keeps_the_earlier_ones(tmp_path):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    goofer = Goofer(make_app(tmp_path, FIXTURES / "failing_statement", GOOFER_DATABASE_URL=url))
    with pytest.raises(FailedError, match=r"^20240102000000_breaks\.up\.sql: statement 3 \(line"):
        goofer.apply()  # an exception for the factory, never SystemExit
    assert [s.state for s in goofer.migrator().status()] == ["applied", "pending", "pending"]


def test_out_of_order_migration_is_a_warning_in_the_app_log(tmp_path, caplog):
    app = make_app(tmp_path, GOOFER_DATABASE_URL=f"sqlite:///{tmp_path / 'app.db'}")
    late = [p for p in (tmp_path / "migrations").iterdir() if "seed_products" in p.name]
    for path in late:
        path.rename(tmp_path / path.name)
    goofer = Goofer(app)
    goofer.apply()
    for path in late:
        (tmp_path / path.name).rename(tmp_path / "migrations" / path.name)
    assert [m.id for m in goofer.apply()] == [IDS[1]]
    assert (
        "WARNING",
        "goofer: 20260302100000_seed_products is older than the newest applied "
        "migration; applying it out of order",
    ) in goofer_records(caplog)


def test_the_password_is_never_in_the_error_or_the_log(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    url = "postgresql://shop:s3cr3t-pw@127.0.0.1:1/shop"
    goofer = Goofer(make_app(tmp_path, GOOFER_DATABASE_URL=url))
    with pytest.raises(DatabaseConnectError) as caught:
        goofer.apply()
    assert "s3cr3t" not in str(caught.value)
    assert "s3cr3t" not in caplog.text


def test_booting_while_another_process_migrates_costs_no_wait_when_nothing_is_pending(tmp_path):
    """With nothing pending, apply reads the table once and takes no lock."""
    db = next(databases := make_database("postgresql", tmp_path))
    try:
        goofer = Goofer(make_app(tmp_path, GOOFER_DATABASE_URL=db.url, GOOFER_LOCK_TIMEOUT=1))
        goofer.apply()
        dialect = get_dialect("postgresql")
        conn = dialect.connect(DatabaseURL.parse(db.url), 10)
        token = dialect.lock.acquire(conn, dialect.qualify(conn, None, "migrations"), 5)
        try:
            assert goofer.apply() == []  # waiting for the lock would raise after 1 s
            (tmp_path / "migrations" / "20260304000000_more.up.sql").write_text("SELECT 1;\n")
            (tmp_path / "migrations" / "20260304000000_more.down.sql").write_text("SELECT 1;\n")
            with pytest.raises(GooferError, match="within 1 s: another process is migrating"):
                goofer.apply()
        finally:
            dialect.lock.release(conn, token)
            conn.close()
        assert [m.id for m in goofer.apply()] == ["20260304000000"]
    finally:
        databases.close()


def test_on_boot_a_worker_waits_out_another_workers_migrations(tmp_path, monkeypatch):
    """Unset, the lock timeout of apply() outlasts web servers' worker timeouts (README)."""
    monkeypatch.delenv("GOOFER_LOCK_TIMEOUT", raising=False)
    app = make_app(tmp_path, GOOFER_DATABASE_URL=f"sqlite:///{tmp_path / 'app.db'}")
    goofer = Goofer(app)
    assert goofer.settings().lock_timeout == 3600
    assert goofer.migrator().lock_timeout == 3600
    app.config["GOOFER_LOCK_TIMEOUT"] = 5
    assert goofer.settings().lock_timeout == 5
    monkeypatch.setenv("GOOFER_LOCK_TIMEOUT", "7")
    assert goofer.settings().lock_timeout == 7
