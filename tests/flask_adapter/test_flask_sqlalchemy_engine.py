"""Goofer on Flask-SQLAlchemy's own engine: in-memory SQLite, engine options, other drivers.

Each test builds the multi-database test app (``multidb_app``) and checks what its user would:
the command's exit code and lines, the tracking rows and the tables, read through the app's own
``db.session``.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import pytest

pytest.importorskip("flask_sqlalchemy")

import sqlalchemy as sa
from flask import Flask

from goofer_core import registry
from tests.flask_adapter.multidb_app import USERS, User, create_app, db
from tests.helpers import TestDatabase, make_database

HERE = Path(__file__).parent / "multidb_app"


@pytest.fixture(autouse=True)
def _no_goofer_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("GOOFER_"):
            monkeypatch.delenv(key)


def with_driver(url: str, driver: str) -> str:
    """Return a test database URL as SQLAlchemy spells it with ``driver``."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}+{driver}://{rest}" if scheme != "sqlite" else url


def tracking_ids(table: str = "migrations", bind: str | None = None) -> list[str]:
    """Return the tracking table's ids as the app sees them (inside its app context)."""
    session = db.session
    rows = session.execute(
        sa.text(f"SELECT id FROM {table}"), bind_arguments={"bind": db.engines[bind]}
    )
    return sorted(str(row[0]) for row in rows)


def flask_goofer(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["goofer", *args])


def add_user_and_read_back(app: Flask) -> list[tuple[int, str, str | None]]:
    """Write a user through the ORM (email: the second migration's column) and read it back."""
    with app.app_context():
        db.session.add(User(id=1, name="ada", email="ada@example.org"))
        db.session.commit()
        users = db.session.scalars(sa.select(User)).all()
        return [(u.id, u.name, u.email) for u in users]


@pytest.mark.parametrize("uri", ["sqlite://", "sqlite:///:memory:"])
def test_in_memory_sqlite_is_the_database_the_app_uses(uri: str, tmp_path: Path) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri}, instance_path=str(tmp_path))
    assert add_user_and_read_back(app) == [(1, "ada", "ada@example.org")]
    with app.app_context():
        assert tracking_ids() == USERS

    result = flask_goofer(app, "status")
    assert result.exit_code == 0, result.output
    assert [line.split()[2] for line in result.stdout.splitlines()[1:]] == ["applied", "applied"]
    assert "warning" not in result.output


def test_flask_goofer_up_migrates_the_in_memory_database_of_that_app(tmp_path: Path) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}, apply=False)
    result = flask_goofer(app, "up")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("Applied 2 migrations.\n")
    assert add_user_and_read_back(app) == [(1, "ada", "ada@example.org")]
    again = flask_goofer(app, "up")
    assert again.stdout == "Nothing to apply: the database is up to date.\n"


def test_goofers_own_in_memory_database_is_named_as_useless(tmp_path: Path) -> None:
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": "sqlite://", "GOOFER_DATABASE_URL": "sqlite:///:memory:"},
        apply=False,
    )
    result = flask_goofer(app, "up")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        "warning: sqlite:///:memory: opened by Goofer is a database of its own"
    )


def schema_db(db: TestDatabase) -> str:
    """Create schema app_schema in the fresh PostgreSQL database; return its name."""
    db.query("CREATE SCHEMA app_schema")
    return "app_schema"


@pytest.mark.parametrize("driver", ["psycopg", "psycopg2"])
def test_engine_options_search_path_holds_for_goofer_too(driver: str, tmp_path: Path) -> None:
    if driver == "psycopg2":
        pytest.importorskip("psycopg2")
    for pg in make_database("postgresql", tmp_path):
        schema = schema_db(pg)
        connect_args = {"options": f"-csearch_path={schema}"}
        if driver == "psycopg2":
            import psycopg2.extras

            connect_args["cursor_factory"] = psycopg2.extras.DictCursor  # type: ignore[assignment]
        config = {
            "SQLALCHEMY_DATABASE_URI": with_driver(pg.url, driver),
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": connect_args},
        }
        app = create_app(config, apply=False)
        result = flask_goofer(app, "up")
        assert result.exit_code == 0, result.output
        assert result.stdout.endswith("Applied 2 migrations.\n")
        if driver == "psycopg2":  # Goofer's own psycopg connection: the class cannot follow
            assert result.stderr == (
                "warning: connect_args cursor_factory of the SQLAlchemy engine are not passed to "
                "Goofer's own psycopg connection (the engine's driver is psycopg2); set them in "
                "GOOFER_DATABASE_URL if Goofer needs them\n"
            )
        else:
            assert result.stderr == ""
        tables = pg.query(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 2"
        )
        assert tables == [(schema, "migrations"), (schema, "users")]
        assert add_user_and_read_back(app) == [(1, "ada", "ada@example.org")]
        with app.app_context():
            assert tracking_ids() == USERS


@pytest.mark.parametrize("driver", ["pymysql", "mysqldb"])
def test_mariadb_with_pymysql_or_mysqlclient(
    driver: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry, "_entities", {})  # other tests may have registered entities
    if driver == "mysqldb":
        pytest.importorskip("MySQLdb")
    for maria in make_database("mysql", tmp_path):
        config = {
            "SQLALCHEMY_DATABASE_URI": with_driver(maria.url, driver),
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"read_timeout": 30}},
        }
        app = create_app(config)  # applied on boot
        assert add_user_and_read_back(app) == [(1, "ada", "ada@example.org")]
        with app.app_context():
            assert tracking_ids() == USERS
        assert maria.tracking_ids() == USERS
        result = flask_goofer(app, "check")
        assert (result.exit_code, result.output) == (
            0,
            "OK: every migration is applied and unchanged.\n",
        )


def test_a_stray_goofer_database_url_is_warned_about_without_its_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dbs = [make_database("postgresql", tmp_path / name) for name in ("app", "stray")]
    app_db, stray = (next(d) for d in dbs)
    try:
        stray_url = stray.url.replace("postgres@", "postgres:s3cret@")
        monkeypatch.setenv("GOOFER_DATABASE_URL", stray_url)
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": with_driver(app_db.url, "psycopg")}, apply=False
        )
        result = flask_goofer(app, "up")
        assert result.exit_code == 0, result.output
        name = stray.url.rsplit("/", 1)[1]
        app_name = app_db.url.rsplit("/", 1)[1]
        assert result.stderr == (
            f"warning: GOOFER_DATABASE_URL from the environment "
            f"(postgresql://postgres:***@127.0.0.1:5432/{name}) is not the app's database "
            f"(SQLALCHEMY_DATABASE_URI: postgresql://postgres@127.0.0.1:5432/{app_name}); "
            f"Goofer migrates postgresql://postgres:***@127.0.0.1:5432/{name}\n"
        )
        assert stray.tracking_ids() == USERS and "users" not in app_db.tables()

        monkeypatch.setenv("GOOFER_DATABASE_URL", app_db.url)  # the same database: no warning
        assert flask_goofer(app, "up").stderr == ""
    finally:
        for gen in dbs:
            gen.close()


def test_an_unreachable_engine_is_one_line_without_the_password(tmp_path: Path) -> None:
    url = "postgresql+psycopg://postgres:s3cret@127.0.0.1:1/nothing"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url}, apply=False)
    result = flask_goofer(app, "up")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: cannot connect to postgresql+psycopg://postgres:***@127.0.0.1:1/nothing: "
    )
    assert len(result.stderr.splitlines()) == 1 and "s3cret" not in result.output


def app_sessions(pg: TestDatabase) -> int:
    """Return how many other sessions are connected to the PostgreSQL database ``pg``."""
    sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
    return int(pg.query(sql, (pg.url.rsplit("/", 1)[1],))[0][0])


def test_apply_leaves_the_pool_as_it_found_it(tmp_path: Path) -> None:
    """A pre-forking master must not hand a socket Goofer opened to every worker."""
    for pg in make_database("postgresql", tmp_path):
        sessions = partial(app_sessions, pg)
        app = create_app({"SQLALCHEMY_DATABASE_URI": with_driver(pg.url, "psycopg")}, apply=False)
        goofer = app.extensions["goofer"]
        with app.app_context():
            assert [m.id for m in goofer.apply(app)] == USERS
            assert sessions() == 0  # the connection Goofer opened is closed, not pooled
            db.session.execute(sa.text("SELECT 1"))
            db.session.remove()
            assert sessions() == 1
            assert goofer.apply(app) == []
            assert sessions() == 1  # an idle pooled connection is borrowed and given back
            db.engine.dispose()


def test_connect_args_naming_url_parts_replace_them_for_goofers_own_connection() -> None:
    from goofer_integrations.flask.engine import url_of_engine

    engine = sa.create_engine("postgresql+psycopg://app:old@db.example/app?sslmode=prefer")
    url = url_of_engine(
        engine,
        {"user": "ops", "password": "n3w", "port": 6432, "sslmode": "require", "hook": print},
    )
    assert (url.user, url.password, url.host, url.port, url.database) == (
        "ops",
        "n3w",
        "db.example",
        6432,
        "app",
    )
    assert url.query == (("sslmode", "require"),)
    assert str(url) == "postgresql://ops:***@db.example:6432/app?sslmode=require"


def test_psycopg2_engine_with_credentials_in_connect_args(tmp_path: Path) -> None:
    pytest.importorskip("psycopg2")
    for pg in make_database("postgresql", tmp_path):
        without_user = with_driver(pg.url, "psycopg2").replace("postgres@", "")
        config = {
            "SQLALCHEMY_DATABASE_URI": without_user,
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "connect_args": {"user": "postgres", "password": "s3cret", "port": "5432"}
            },
        }
        app = create_app(config, apply=False)
        result = flask_goofer(app, "up")
        assert (result.exit_code, result.stderr) == (0, ""), result.output
        assert pg.tracking_ids() == USERS
        assert add_user_and_read_back(app) == [(1, "ada", "ada@example.org")]


def test_a_password_in_connect_args_is_never_printed(tmp_path: Path) -> None:
    """The password is the host's address here, so that the error is sure to contain it."""
    config = {
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:1/nothing",
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"password": "127.0.0.1"}},
    }
    result = flask_goofer(create_app(config, apply=False), "up")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot connect to postgresql+psycopg://postgres@***:1/")
