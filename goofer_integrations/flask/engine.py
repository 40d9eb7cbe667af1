"""Run Goofer on Flask-SQLAlchemy's engine, so migrations land in the database the app uses.

When the engine's driver is the one Goofer's dialect speaks (sqlite3, psycopg 3, PyMySQL), each
Migrator call borrows a connection from the engine's pool and gives it back as it was. That is
the only way to reach the app's in-memory SQLite database (``sqlite://``: Flask-SQLAlchemy keeps
one connection in a ``StaticPool``, and no second connection can open it), and it keeps
``SQLALCHEMY_ENGINE_OPTIONS`` (``connect_args`` such as a PostgreSQL ``search_path``), pool
events and credentials computed at connect time in force.

With another driver (psycopg2, mysqlclient, ...) Goofer could not recognise the driver's errors,
so it opens its own connection, with its own driver, from the engine's URL and the string and
number values of the engine's ``connect_args`` (``user``, ``password``, ``host``, ``port`` and the
database name replace the URL's, as in SQLAlchemy; other values, such as a class or a dict, cannot
be carried over: a warning names them). Goofer's lock and transaction rules are the same either
way: the dialect adopts the connection (autocommit, its own BEGIN/COMMIT) and restores it
afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from goofer_core.dialects import NAMES, get_dialect
from goofer_core.errors import ConfigurationError, DatabaseConnectError
from goofer_core.migrations.events import Event, EventKind
from goofer_core.migrations.migrator import Migrator
from goofer_core.migrations.session import Session
from goofer_core.redaction import redact
from goofer_core.url import DatabaseURL

EventHandler = Callable[[Event], None]


def dialect_of_engine(engine: Any) -> str:
    """Return the Goofer dialect of a SQLAlchemy engine, or raise naming its backend."""
    backend = engine.url.get_backend_name()
    dialect = NAMES.get(backend)
    if dialect is None:
        raise ConfigurationError(
            f"Flask-SQLAlchemy's engine uses {backend!r}: Goofer supports SQLite, PostgreSQL "
            "and MySQL/MariaDB"
        )
    return dialect


def shares_driver(engine: Any, dialect: str) -> bool:
    """Return whether the engine's DB-API module is the driver Goofer's dialect speaks."""
    module = getattr(engine.dialect, "loaded_dbapi", None) or engine.dialect.dbapi
    return str(module.__name__).split(".")[0] == get_dialect(dialect).driver_module


#: connect_args keys that are a URL part for Goofer's drivers (psycopg2 and mysqlclient names).
URL_PARTS = {
    "user": "user",
    "username": "user",
    "password": "password",
    "passwd": "password",
    "host": "host",
    "port": "port",
    "dbname": "database",
    "database": "database",
    "db": "database",
}


def url_of_engine(engine: Any, connect_args: Mapping[str, Any] | None = None) -> DatabaseURL:
    """Return the engine's URL as Goofer's (password kept), with plain ``connect_args`` added.

    As in SQLAlchemy, a connect_args value wins over the URL's (``password``, ``sslmode``...).
    """
    url = engine.url
    parts: dict[str, Any] = {
        "database": url.database or "",
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "password": url.password,
    }
    query: dict[str, str] = {}
    for key, value in url.query.items():
        # A repeated parameter (PostgreSQL's several hosts) is libpq's comma-separated list.
        query[key] = ",".join(map(str, value)) if isinstance(value, tuple) else str(value)
    for key, value in (connect_args or {}).items():
        if not _plain(value):
            continue
        text = str(value).lower() if isinstance(value, bool) else str(value)
        if key == "port":
            if not text.isdigit():
                raise ConfigurationError(f"connect_args port {value!r}: expected a port number")
            parts["port"] = int(text)
        elif key in URL_PARTS:
            parts[URL_PARTS[key]] = text
        else:
            query[key] = text
    dialect = dialect_of_engine(engine)
    if dialect == "sqlite":
        return DatabaseURL("sqlite", parts["database"] or ":memory:", query=tuple(query.items()))
    return DatabaseURL(dialect, query=tuple(query.items()), **parts)


def _plain(value: Any) -> bool:
    return isinstance(value, str | int | float)


def migrator_for_engine(
    engine: Any,
    directory: str | Path,
    *,
    table: str,
    lock_timeout: float,
    connect_args: Mapping[str, Any] | None = None,
    on_event: EventHandler | None = None,
) -> Migrator:
    """Return a Migrator on the engine's connections, or on its own from the engine's URL."""
    dialect = dialect_of_engine(engine)
    if shares_driver(engine, dialect):
        return EngineMigrator(
            engine, dialect, directory, table=table, lock_timeout=lock_timeout, on_event=on_event
        )
    left_out = sorted(key for key, value in (connect_args or {}).items() if not _plain(value))
    if left_out and on_event is not None:
        driver = get_dialect(dialect).driver_module
        on_event(
            Event(
                EventKind.WARNING,
                f"connect_args {', '.join(left_out)} of the SQLAlchemy engine are not passed to "
                f"Goofer's own {driver} connection (the engine's driver is "
                f"{engine.dialect.driver}); set them in GOOFER_DATABASE_URL if Goofer needs them",
            )
        )
    return Migrator(
        url_of_engine(engine, connect_args),
        dialect,
        directory,
        table=table,
        lock_timeout=lock_timeout,
        on_event=on_event,
    )


class EngineMigrator(Migrator):
    """A Migrator that borrows a connection from a SQLAlchemy engine's pool for each call."""

    def __init__(self, engine: Any, dialect: str, directory: str | Path, **options: Any) -> None:
        super().__init__(engine, dialect, directory, **options)
        self.engine = engine

    def _session(self) -> Session:
        return PooledSession(self.dialect, self.engine, self.connect_timeout, self.lock_timeout)


class PooledSession(Session):
    """One call's connection, checked out of the engine's pool and given back as it was.

    A connection the pool did not already hold idle is closed afterwards, not pooled, so
    ``goofer.apply()`` in a pre-forking server's master (gunicorn ``--preload``) leaves no
    socket for the workers to share. A single-connection pool (in-memory SQLite) is never
    closed: that would drop the database.
    """

    def __enter__(self) -> Any:
        from sqlalchemy import exc
        from sqlalchemy.pool import QueuePool

        engine: Any = self.db
        self.close_after = isinstance(engine.pool, QueuePool) and engine.pool.checkedin() == 0
        failures: tuple[type[BaseException], ...] = (exc.DBAPIError, *self.dialect.driver_errors())
        try:
            self.fairy = engine.raw_connection()
        except failures as error:
            # raw_connection() raises the driver's own error, unwrapped (pool events may wrap).
            cause = getattr(error, "orig", None) or error
            raise DatabaseConnectError(
                f"cannot connect to {_masked(engine)}: {_first_line(cause, engine)}"
            ) from None
        self.conn = self.fairy.dbapi_connection
        try:
            self.saved = self.dialect.adopt(self.conn, self.lock_timeout)
        except BaseException:
            self.fairy.invalidate()
            raise
        return self.conn

    def __exit__(self, *exc_info: object) -> None:
        try:
            self.dialect.restore(self.conn, self.saved)
        except BaseException:
            self.fairy.invalidate()  # a connection Goofer could not restore is not pooled
            raise
        if self.close_after:
            self.fairy.invalidate()
        else:
            self.fairy.close()


def _masked(engine: Any) -> str:
    return str(engine.url.render_as_string(hide_password=True))


def _first_line(error: BaseException, engine: Any) -> str:
    text = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return redact(text, engine.url.password)
