"""Django's flush empties Goofer's tables too, and puts back the rows Goofer's migrations seed.

Django's ``flush`` (``manage.py flush``, and the teardown of every ``TransactionTestCase`` and
pytest-django ``transactional_db`` test) empties only the tables of managed models. Rows a test
commits into a table made by a Goofer migration would survive it (and, with ``--reuse-db``,
every later run), and on PostgreSQL the ``TRUNCATE`` fails outright when such a table has a
foreign key to a Django table. This app's ``flush`` command therefore adds Goofer's tables
(``goofer_tables.py``; never the tracking table) to the tables Django flushes, in one statement
where the backend has one (PostgreSQL's ``TRUNCATE a, b, ...`` accepts foreign keys between
them), with Goofer's tables first (SQLite deletes table by table and checks Goofer's
non-deferred foreign keys at once).

Rows are then put back as they were right after the test database was set up: when Goofer
migrates a test database, the rows of its tables (what its migrations seeded) are kept in
memory per alias, and every flush in that process restores them, so a later test, and the next
``--reuse-db`` run, finds them as a fresh test database has them. (Django itself drops the rows
its data migrations insert unless a test sets ``serialized_rollback = True``; Goofer's seeds are
reference data more often than not, so they are always restored.) A ``manage.py flush`` outside
tests has nothing to restore and leaves Goofer's tables empty.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from goofer_core.errors import GooferError

from .database import dialect_of
from .goofer_tables import goofer_tables
from .runs import run_settings


class TableRows(NamedTuple):
    """The rows of one table: its column names and their values."""

    table: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


#: alias -> the rows of Goofer's tables right after Goofer migrated that test database.
_SEEDED: dict[str, list[TableRows]] = {}


def tables_of(alias: str) -> list[str]:
    """Return Goofer's tables on the database ``alias``, in the order its migrations make them."""
    from django.db import connections

    settings = run_settings(alias, source=f"database {alias!r}").settings
    if not Path(settings.directory).is_dir():
        return []
    wrapper = connections[alias]
    return goofer_tables(wrapper, settings.directory, dialect_of(wrapper), settings.table)


def remember_seeded_rows(alias: str) -> None:
    """Keep the rows of Goofer's tables on ``alias`` (a test database Goofer just migrated)."""
    from django.db import connections

    wrapper = connections[alias]
    quote = wrapper.ops.quote_name
    kept = []
    with wrapper.cursor() as cursor:
        for table in tables_of(alias):
            cursor.execute(f"SELECT * FROM {quote(table)}")
            columns = tuple(column[0] for column in cursor.description)
            rows = [tuple(row) for row in cursor.fetchall()]
            if rows:
                kept.append(TableRows(table, columns, rows))
    _SEEDED[alias] = kept


def restore_seeded_rows(alias: str) -> None:
    """Insert the rows kept by ``remember_seeded_rows`` again (after a flush emptied them)."""
    from django.db import DatabaseError, connections, transaction

    wrapper = connections[alias]
    quote = wrapper.ops.quote_name
    with (
        wrapper.constraint_checks_disabled(),
        transaction.atomic(using=alias),
        wrapper.cursor() as cursor,
    ):
        for kept in _SEEDED.get(alias, []):
            names = ", ".join(quote(column) for column in kept.columns)
            marks = ", ".join(["%s"] * len(kept.columns))
            sql = f"INSERT INTO {quote(kept.table)} ({names}) VALUES ({marks})"
            try:
                cursor.executemany(sql, [_parameters(row) for row in kept.rows])
            except DatabaseError as exc:
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                raise GooferError(
                    f"table {kept.table}: cannot restore the rows Goofer's migrations "
                    f"seeded after the flush of database {alias!r}: {first}"
                ) from None


def _parameters(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """Pass JSON documents (read back as dicts) as JSON text."""
    return tuple(json.dumps(value) if isinstance(value, dict) else value for value in row)


@contextmanager
def flushing_goofer_tables(alias: str) -> Iterator[None]:
    """Make Django's flush of ``alias`` empty Goofer's tables too and restore their seeds.

    Django offers no hook for the list of tables its flush empties: it asks
    ``connection.introspection.django_table_names()`` and runs the SQL through
    ``connection.ops.execute_sql_flush()``. Both are wrapped on this connection for the
    length of one flush only.
    """
    from django.db import connections

    tables = tables_of(alias)
    if not tables:
        yield
        return
    wrapper = connections[alias]
    introspection, ops = wrapper.introspection, wrapper.ops
    django_table_names, execute_sql_flush = introspection.django_table_names, ops.execute_sql_flush

    def with_goofer_tables(*args: Any, **kwargs: Any) -> list[str]:
        names: list[str] = django_table_names(*args, **kwargs)
        own = {name.lower() for name in names}
        return [t for t in reversed(tables) if t.lower() not in own] + names

    def flush_then_restore(sql_list: list[str]) -> None:
        execute_sql_flush(sql_list)
        restore_seeded_rows(alias)

    introspection.django_table_names = with_goofer_tables
    ops.execute_sql_flush = flush_then_restore
    try:
        yield
    finally:
        del introspection.django_table_names
        del ops.execute_sql_flush
