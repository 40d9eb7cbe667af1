"""Flask-SQLAlchemy binds: each bind in GOOFER_BINDS has its own migrations, on every dialect."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("flask_sqlalchemy")

import sqlalchemy as sa

from tests.flask_adapter.multidb_app import REPORTS, USERS, Report, create_app
from tests.flask_adapter.multidb_app import db as app_db
from tests.flask_adapter.test_flask_sqlalchemy_engine import (
    flask_goofer,
    tracking_ids,
    with_driver,
)
from tests.helpers import TestDatabase, make_database

DRIVERS = {"sqlite": "pysqlite", "postgresql": "psycopg", "mysql": "pymysql"}
APP_MIGRATIONS = Path(__file__).parent / "multidb_app" / "migrations"


@pytest.fixture(autouse=True)
def _no_goofer_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("GOOFER_"):
            monkeypatch.delenv(key)


@pytest.fixture
def reports_db(db: TestDatabase, tmp_path: Path) -> Iterator[TestDatabase]:
    """A second fresh database on the same dialect as ``db``, for the reports bind."""
    (tmp_path / "reports").mkdir()
    yield from make_database(db.dialect_name, tmp_path / "reports")


def config(db: TestDatabase, reports_db: TestDatabase, **more: object) -> dict[str, object]:
    driver = DRIVERS[db.dialect_name]
    return {
        "SQLALCHEMY_DATABASE_URI": with_driver(db.url, driver),
        "SQLALCHEMY_BINDS": {"reports": with_driver(reports_db.url, driver)},
        "GOOFER_BINDS": ["reports"],  # migrations/reports/
        **more,
    }


def test_up_migrates_every_bind_and_bind_names_one(db, reports_db):
    app = create_app(config(db, reports_db), apply=False)
    result = flask_goofer(app, "up")
    assert result.exit_code == 0, result.output
    lines = [line.split(" (")[0] for line in result.stdout.splitlines()]
    assert lines == [
        "default database:",
        "applied 20260401090000_create_users",
        "applied 20260402090000_add_user_email",
        "Applied 2 migrations.",
        "bind 'reports':",
        "applied 20260401100000_create_reports",
        "Applied 1 migration.",
    ]
    assert (db.tracking_ids(), reports_db.tracking_ids()) == (USERS, REPORTS)
    assert "reports" not in db.tables() and "users" not in reports_db.tables()
    with app.app_context():
        app_db.session.add(Report(id=7, title="Q4"))
        app_db.session.commit()
        assert [r.title for r in app_db.session.scalars(sa.select(Report))] == ["Q4"]
        assert tracking_ids(bind="reports") == REPORTS

    everywhere = flask_goofer(app, "status")
    assert everywhere.exit_code == 0, everywhere.output
    rows = [line.split()[:3] for line in everywhere.stdout.splitlines()]
    assert rows == [
        ["default", "database:"],
        ["ID", "NAME", "STATE"],
        ["20260401090000", "create_users", "applied"],
        ["20260402090000", "add_user_email", "applied"],
        ["bind", "'reports':"],
        ["ID", "NAME", "STATE"],
        ["20260401100000", "create_reports", "applied"],
    ]
    as_json = flask_goofer(app, "status", "--json")  # one document: the default database's
    assert [row["id"] for row in json.loads(as_json.stdout)] == USERS

    status = flask_goofer(app, "status", "--bind", "reports")
    assert status.exit_code == 0, status.output
    assert status.stdout.splitlines()[1].split()[:3] == [
        "20260401100000",
        "create_reports",
        "applied",
    ]
    down = flask_goofer(app, "down", "--bind", "reports")
    assert (down.exit_code, down.stdout.splitlines()[-1]) == (0, "Reverted 1 migration."), (
        down.output
    )
    assert (db.tracking_ids(), reports_db.tracking_ids()) == (USERS, [])

    check = flask_goofer(app, "check")
    assert check.exit_code == 1
    assert check.stdout == (
        "default database:\nOK: every migration is applied and unchanged.\n"
        "bind 'reports':\n20260401100000_create_reports: pending\n"
    )
    assert check.stderr == "check failed: 1 problem\n"
    assert flask_goofer(app, "up", "--bind", "reports").exit_code == 0
    assert flask_goofer(app, "check").exit_code == 0


def test_apply_on_boot_migrates_every_bind_from_its_own_directory(db, reports_db, tmp_path):
    shutil.copytree(APP_MIGRATIONS, tmp_path / "app" / "migrations")
    (tmp_path / "app" / "migrations" / "reports").rename(tmp_path / "app" / "reports_sql")
    settings = config(db, reports_db, GOOFER_BINDS={"reports": "reports_sql"})
    create_app(settings, root_path=str(tmp_path / "app"))  # goofer.apply() in the factory
    assert (db.tracking_ids(), reports_db.tracking_ids()) == (USERS, REPORTS)
    assert "reports" in reports_db.tables()


CONFIG_ERROR = "GOOFER_BINDS in the Flask config: "
BAD_BINDS = [
    (
        ["reports"],
        ["up", "--bind", "nope"],
        "--bind nope: not a bind in GOOFER_BINDS (it has 'reports')",
    ),
    (
        42,
        ["up"],
        CONFIG_ERROR + "expected a dict of bind name -> migrations directory, or a list of names",
    ),
    (
        {"nope": None},
        ["up"],
        CONFIG_ERROR + "'nope' is not a bind in SQLALCHEMY_BINDS (it has 'reports')",
    ),
    ({"reports": 3}, ["up"], CONFIG_ERROR + "'reports': expected a directory path, got int"),
    (
        None,
        ["status", "--bind", "reports"],
        "--bind reports: not a bind in GOOFER_BINDS (it has none)",
    ),
]


@pytest.mark.parametrize(("goofer_binds", "args", "error"), BAD_BINDS)
def test_bad_bind_settings_are_one_line_naming_the_setting(goofer_binds, args, error, tmp_path):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.db'}",
            "SQLALCHEMY_BINDS": {"reports": f"sqlite:///{tmp_path / 'reports.db'}"},
            "GOOFER_BINDS": goofer_binds,
        },
        apply=False,
    )
    result = flask_goofer(app, *args)
    assert (result.exit_code, result.stderr) == (1, f"error: {error}\n"), result.output


def test_database_url_flag_names_one_database(tmp_path: Path) -> None:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SQLALCHEMY_BINDS": {"reports": "sqlite://"},
            "GOOFER_BINDS": ["reports"],
        },
        apply=False,
    )
    result = app.test_cli_runner().invoke(
        args=["goofer", "--database-url", "sqlite:///x.db", "up", "--bind", "reports"]
    )
    assert (result.exit_code, result.stderr) == (
        1,
        "error: --bind reports: --database-url sets the default database; a bind's database "
        "is its SQLALCHEMY_BINDS entry\n",
    )
    other = f"sqlite:///{tmp_path / 'other.db'}"
    result = app.test_cli_runner().invoke(args=["goofer", "--database-url", other, "up"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "Applied 2 migrations."  # that database only


def test_in_memory_binds_each_get_their_own_tables() -> None:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SQLALCHEMY_BINDS": {"reports": "sqlite://"},
            "GOOFER_BINDS": ["reports"],
        }
    )
    with app.app_context():
        app_db.session.add(Report(id=1, title="in memory"))
        app_db.session.commit()
        assert tracking_ids() == USERS and tracking_ids(bind="reports") == REPORTS
        assert sa.inspect(app_db.engines["reports"]).get_table_names() == ["migrations", "reports"]
