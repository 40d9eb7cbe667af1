"""``baseline --verify-schema``: compare a live database with what its migrations build.

Before recording migrations as applied without running them, make sure the database really
has what they create: replay them into a scratch database (as ``generate`` does), read both
schemas with the snapshot ``verify`` compares, and list the differences. The tracking table,
the base schema's tables and the other tools' tracking tables (``OTHER_TOOLS_TABLES``) are left
out of both sides.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from ..dialects import get_dialect
from ..migrations.base import load_base, stand_on
from ..migrations.files import MigrationFile
from ..migrations.scratch import SHADOW_PREFIX, replay, scratch_connection
from ..url import DatabaseURL
from .snapshot import Difference, Snapshot, compare_snapshots, read_snapshot

CONNECT_TIMEOUT = 10.0
#: Other migration tools' tracking tables (Alembic, golang-migrate and dbmate, Django): left
#: out, since a database adopted from one of them still has its table.
OTHER_TOOLS_TABLES = ("alembic_version", "schema_migrations", "django_migrations")


def live_differences(
    database_url: str | DatabaseURL,
    migrations: Sequence[MigrationFile],
    *,
    table: str = "migrations",
    shadow_url: str | DatabaseURL | None = None,
    shadow_prefix: str = SHADOW_PREFIX,
    base: Any = None,
    ignore: Collection[str] = OTHER_TOOLS_TABLES,
) -> list[Difference]:
    """Return how the database differs from what ``migrations`` build (empty when alike).

    Each difference compares the migrations' schema (``before``) with the database's
    (``after``). The database is only read; the scratch database is always dropped.
    """
    url = DatabaseURL.parse(database_url) if isinstance(database_url, str) else database_url
    server = DatabaseURL.parse(shadow_url) if isinstance(shadow_url, str) else shadow_url
    dialect = get_dialect(url.dialect)
    conn = dialect.connect(url, CONNECT_TIMEOUT)
    try:
        live = read_snapshot(dialect.name, conn, table)
    finally:
        conn.close()
    with scratch_connection(dialect.name, server or url, shadow_prefix) as scratch:
        base_tables = stand_on(scratch, dialect, load_base(base))
        replay(scratch, dialect.name, migrations)
        built = read_snapshot(dialect.name, scratch, table)
    skip = {*base_tables, *ignore}
    return compare_snapshots(_without(built, skip), _without(live, skip))


def _without(snapshot: Snapshot, tables: Collection[str]) -> Snapshot:
    """Return the snapshot without ``tables`` and the objects that belong to them."""
    return Snapshot(
        snapshot.schema.without_tables(tables),
        tuple(o for o in snapshot.objects if o.table not in tables),
    )


def describe_live(difference: Difference) -> str:
    """Return one difference as ``column users.email TEXT NOT NULL: missing in the database``."""
    subject = f"{difference.object} {difference.name}"
    if difference.after is None:
        detail = f" {difference.before}" if difference.before else ""
        return f"{subject}{detail}: missing in the database"
    if difference.before is None:
        detail = f" {difference.after}" if difference.after else ""
        return f"{subject}{detail}: in the database but not made by the migrations"
    if difference.before == difference.after:
        return f"{subject}: defined differently in the database"
    return f"{subject}: {difference.after} in the database, {difference.before} in the migrations"
