"""Fresh databases for a Flask app's tests, migrated by Goofer as in production.

::

    # conftest.py
    import pytest
    from goofer_integrations.flask.testing import temporary_database

    @pytest.fixture(scope="session")        # scope="function": a new database per test
    def database_url():
        with temporary_database(os.environ.get("TEST_DATABASE_URL", "sqlite://")) as url:
            yield url

    @pytest.fixture
    def app(database_url):
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
        with app.app_context():             # create_app ran goofer.apply(): all binds migrated
            yield app

The database is created with SQLAlchemy, so any driver the app uses (psycopg2, mysqlclient...)
works; only SQLAlchemy is needed, not pytest.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from goofer_core.errors import ConfigurationError

__all__ = ["temporary_database"]

#: How the databases this module creates are named: the prefix, then 12 random hex digits.
DEFAULT_PREFIX = "goofer_test_"


@contextmanager
def temporary_database(url: str, *, prefix: str = DEFAULT_PREFIX) -> Iterator[str]:
    """Yield the URL of a new, empty database like ``url``; remove it afterwards.

    - ``sqlite://`` or ``sqlite:///:memory:``: the URL itself. Flask-SQLAlchemy gives each app
      (each engine) its own in-memory database, so every app built from it starts empty.
    - ``sqlite:///name.db``: a file of that name in a new temporary folder, deleted afterwards.
    - PostgreSQL or MySQL/MariaDB (any SQLAlchemy driver): ``CREATE DATABASE <prefix><hex>`` on
      that server, connecting as ``url`` says; dropped afterwards (PostgreSQL 13+: ``WITH
      (FORCE)``, so connections the app left open do not stop it). The user needs the right to
      create databases.
    """
    import sqlalchemy as sa

    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        raise ConfigurationError(
            "temporary_database: expected a database URL, such as sqlite:// or "
            "postgresql://user@host/postgres"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            yield url
            return
        with tempfile.TemporaryDirectory(prefix=prefix) as folder:
            path = os.path.join(folder, os.path.basename(parsed.database))
            yield parsed.set(database=path).render_as_string(hide_password=False)
        return
    if backend not in ("postgresql", "mysql", "mariadb"):
        raise ConfigurationError(
            f"temporary_database: {backend!r} is not SQLite, PostgreSQL or MySQL/MariaDB"
        )
    name = prefix + uuid.uuid4().hex[:12]
    admin = sa.create_engine(parsed, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    quoted = admin.dialect.identifier_preparer.quote(name)
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {quoted}"))
            version = conn.dialect.server_version_info or ()
            force = backend == "postgresql" and version >= (13,)
        try:
            yield parsed.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(
                    sa.text(
                        f"DROP DATABASE IF EXISTS {quoted}" + (" WITH (FORCE)" if force else "")
                    )
                )
    finally:
        admin.dispose()
