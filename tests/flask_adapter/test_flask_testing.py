"""The README's pytest recipe: a fresh database per test or per session, migrated by Goofer."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("flask_sqlalchemy")

import sqlalchemy as sa
from flask import Flask

from goofer_core import ConfigurationError
from goofer_integrations.flask.testing import temporary_database
from tests.flask_adapter.multidb_app import USERS, User, create_app, db
from tests.flask_adapter.test_flask_sqlalchemy_engine import tracking_ids, with_driver
from tests.helpers import SERVERS, require_server

BACKENDS = {
    "sqlite-memory": "sqlite://",
    "sqlite-file": "sqlite:///app.db",
    "postgresql": with_driver(SERVERS["postgresql"], "psycopg"),
    "postgresql-psycopg2": with_driver(SERVERS["postgresql"], "psycopg2"),
    "mysql": with_driver(SERVERS["mysql"], "pymysql"),
}


@pytest.fixture(autouse=True)
def _no_goofer_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("GOOFER_"):
            monkeypatch.delenv(key)


@pytest.fixture(params=list(BACKENDS))
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The recipe's fixture (function scope here: a new database per test)."""
    if request.param.startswith(("postgresql", "mysql")):
        require_server(request.param.split("-")[0])
    if request.param == "postgresql-psycopg2":
        pytest.importorskip("psycopg2")
    with temporary_database(BACKENDS[request.param]) as url:
        yield url


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """The recipe's app: built by the factory, which runs goofer.apply()."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        yield app
        db.session.remove()


def test_each_test_gets_a_migrated_database(app: Flask) -> None:
    assert tracking_ids() == USERS
    db.session.add(User(id=1, name="ada"))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_and_the_next_one_starts_empty(app: Flask) -> None:
    assert tracking_ids() == USERS
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_a_server_database_is_dropped_afterwards() -> None:
    require_server("postgresql")
    admin = sa.create_engine(with_driver(SERVERS["postgresql"], "psycopg"))
    with temporary_database(with_driver(SERVERS["postgresql"], "psycopg")) as url:
        name = sa.engine.make_url(url).database
        assert name is not None and name.startswith("goofer_test_")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})  # its pool stays open: FORCE drops
        with app.app_context():
            assert tracking_ids() == USERS
    with admin.connect() as conn:
        found = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        assert found.all() == []
    admin.dispose()


def test_a_sqlite_file_lives_in_a_folder_removed_afterwards() -> None:
    with temporary_database("sqlite:///app.db") as url:
        path = Path(url.removeprefix("sqlite:///"))
        assert path.name == "app.db" and path.parent.name.startswith("goofer_test_")
        create_app({"SQLALCHEMY_DATABASE_URI": url})
        assert path.exists()
    assert not path.parent.exists()


def test_something_else_is_refused() -> None:
    refused = pytest.raises(ConfigurationError, match="'oracle' is not SQLite, PostgreSQL or MySQL")
    with refused, temporary_database("oracle://scott@host/db"):
        pass
