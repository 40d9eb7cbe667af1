"""Reach the database Django uses, test databases included.

Goofer runs on Django's own connection (``connections[alias].connection``) whenever that
connection comes from the driver Goofer's dialect speaks: always for SQLite, for PostgreSQL with
psycopg 3 and for MySQL/MariaDB with PyMySQL (``pymysql.install_as_MySQLdb()``). That is the
safest choice because it is the very database Django uses: the in-memory SQLite database Django
creates for tests (which no second connection can open by name), the test database names Django
swaps in, ``OPTIONS`` such as ``sslmode`` or ``init_command``, connection pools and backends that
compute credentials at connect time all keep working, and no second connection is opened.

With another driver (psycopg2, mysqlclient) Goofer's dialect could not recognise the driver's
errors, so Goofer opens its own connection with its own driver from the same ``DATABASES`` entry
(NAME, USER, PASSWORD, HOST, PORT and the plain ``OPTIONS`` values), via a ``DatabaseURL``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from goofer_core.dialects import get_dialect
from goofer_core.errors import ConfigurationError, DatabaseConnectError, GooferError
from goofer_core.migrations.events import Event
from goofer_core.redaction import redact
from goofer_core.url import DatabaseURL

from .requires import DjangoMigrator

# Django's ``connection.vendor`` -> Goofer dialect. Vendor, not ENGINE, so that PostGIS,
# MariaDB and wrapping backends (django-prometheus and the like) are recognised too.
VENDORS = {"sqlite": "sqlite", "postgresql": "postgresql", "mysql": "mysql"}

# OPTIONS that Django consumes itself and never passes to the driver.
DJANGO_ONLY_OPTIONS = frozenset(
    {
        "isolation_level",
        "server_side_binding",
        "pool",
        "assume_role",
        "transaction_mode",
    }
)


def database_wrapper(alias: str, source: str) -> Any:
    """Return ``connections[alias]``; ``source`` names where the alias came from, for errors."""
    from django.conf import settings
    from django.db import connections

    if alias not in settings.DATABASES:
        have = ", ".join(map(repr, settings.DATABASES)) or "none"
        raise ConfigurationError(
            f"{source}: no database alias {alias!r} in settings.DATABASES (it has {have})"
        )
    wrapper = connections[alias]
    _port(alias, wrapper.settings_dict.get("PORT"))  # Django's backends would raise ValueError
    return wrapper


def dialect_of(wrapper: Any) -> str:
    """Return the Goofer dialect of a Django connection, or raise naming its ENGINE."""
    dialect = VENDORS.get(wrapper.vendor)
    if dialect is None:
        engine = wrapper.settings_dict.get("ENGINE")
        raise ConfigurationError(
            f"settings.DATABASES[{wrapper.alias!r}]['ENGINE'] = {engine!r}: Goofer supports "
            "the sqlite3, postgresql and mysql backends (and backends built on them)"
        )
    return dialect


def url_of(wrapper: Any) -> DatabaseURL:
    """Build a DatabaseURL from the connection's DATABASES entry (the test name in tests)."""
    entry = wrapper.settings_dict
    dialect = dialect_of(wrapper)
    name = str(entry.get("NAME") or "")
    if not name:
        raise ConfigurationError(f"settings.DATABASES[{wrapper.alias!r}]['NAME'] is empty")
    options = entry.get("OPTIONS") or {}
    query = tuple(
        (str(key), str(value).lower() if isinstance(value, bool) else str(value))
        for key, value in options.items()
        if key not in DJANGO_ONLY_OPTIONS and isinstance(value, (str, int, float))
    )
    if dialect == "sqlite":
        if name.startswith("file:"):  # a URI filename, as Django uses for in-memory test DBs
            path, _, uri_query = name[len("file:") :].partition("?")
            return DatabaseURL("sqlite", path, query=tuple(parse_qsl(uri_query)))
        return DatabaseURL("sqlite", name)
    host = str(entry.get("HOST") or "") or None
    if dialect == "mysql" and host and host.startswith("/"):
        query, host = (*query, ("unix_socket", host)), None
    return DatabaseURL(
        dialect,
        name,
        host=host,
        port=_port(wrapper.alias, entry.get("PORT")),
        user=str(entry.get("USER") or "") or None,
        password=str(entry.get("PASSWORD") or "") or None,
        query=query,
    )


def _port(alias: str, port: Any) -> int | None:
    """Return DATABASES[alias]['PORT'] as a number; raise naming the setting when it is not one."""
    if port in (None, ""):
        return None
    text = str(port).strip()
    if not (text.isascii() and text.isdigit() and 0 < int(text) < 65536):
        raise ConfigurationError(
            f"settings.DATABASES[{alias!r}]['PORT'] = {port!r}: expected a port number "
            "from 1 to 65535"
        )
    return int(text)


def shares_driver(wrapper: Any, dialect: str) -> bool:
    """Return whether Django's driver for this connection is the one Goofer's dialect speaks."""
    return str(wrapper.Database.__name__).split(".")[0] == get_dialect(dialect).driver_module


def migrator_for(
    alias: str,
    directory: str | Path,
    *,
    table: str,
    lock_timeout: float,
    on_event: Callable[[Event], None] | None = None,
    source: str = "database",
) -> DjangoMigrator:
    """Return a Migrator for a Django database alias (see the module docstring for how).

    Its ``up`` honours the ``-- requires:`` headers (``requires.py``).
    """
    wrapper = database_wrapper(alias, source)
    dialect = dialect_of(wrapper)
    options: dict[str, Any] = {"table": table, "lock_timeout": lock_timeout, "on_event": on_event}
    if not shares_driver(wrapper, dialect):
        migrator = DjangoMigrator(url_of(wrapper), dialect, directory, **options)
        migrator.django_alias = alias
        return migrator
    if wrapper.in_atomic_block:
        raise GooferError(
            f"database {alias!r}: Goofer cannot run inside transaction.atomic() (it commits "
            "each migration itself); run it outside the atomic block (in tests: "
            "TransactionTestCase or @pytest.mark.django_db(transaction=True))"
        )
    _connect(wrapper)
    migrator = DjangoMigrator(wrapper.connection, dialect, directory, **options)
    migrator.django_alias = alias
    return migrator


def _connect(wrapper: Any) -> None:
    """Open Django's connection; turn Django's database error into Goofer's, password-free."""
    from django.db import Error as DjangoDatabaseError

    try:
        wrapper.ensure_connection()
    except DjangoDatabaseError as exc:
        password = str(wrapper.settings_dict.get("PASSWORD") or "")
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise DatabaseConnectError(
            f"cannot connect to database {wrapper.alias!r} ({_describe(wrapper)}): "
            + redact(first_line, password)
        ) from None


def _describe(wrapper: Any) -> str:
    try:
        return str(url_of(wrapper))
    except GooferError:
        return str(wrapper.settings_dict.get("ENGINE"))


def describe(alias: str) -> str:
    """Return ``'alias' (url with the password masked)`` for messages."""
    return f"{alias!r} ({_describe(database_wrapper(alias, 'database'))})"


@contextmanager
def closing_if_opened(alias: str | None) -> Iterator[None]:
    """Close Django's connection for ``alias`` afterwards if it was not open before.

    Used at boot so that a pre-forking server (gunicorn --preload) does not hand one open
    socket to every worker.
    """
    if alias is None:
        yield
        return
    from django.conf import settings
    from django.db import connections

    wrapper = connections[alias] if alias in settings.DATABASES else None
    was_open = wrapper is not None and wrapper.connection is not None
    try:
        yield
    finally:
        if wrapper is not None and not was_open:
            wrapper.close()
