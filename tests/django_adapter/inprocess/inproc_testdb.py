"""pytest-django's test databases hold the Goofer tables (applied after Django's migrate)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connections

from tests.django_adapter.inprocess.dj_inproc_support import (
    CONFIGURED,
    IDS,
    alias_params,
    run,
    table_names,
    tracked_ids,
)

pytestmark = pytest.mark.django_db(databases=CONFIGURED)


@pytest.mark.parametrize("name", alias_params())
def test_each_test_database_holds_the_goofer_tables_and_rows(name: str) -> None:
    assert {"products", "orders", "migrations"} <= table_names(name)
    assert tracked_ids(name) == IDS
    with connections[name].cursor() as cursor:
        cursor.execute("SELECT name FROM products ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == ["Lamp", "Chair"]


def test_the_test_databases_are_the_ones_goofer_used() -> None:
    default = connections["default"].settings_dict["NAME"]
    assert "memorydb" in default  # Django's in-memory SQLite test database
    for name in CONFIGURED[1:]:
        assert connections[name].settings_dict["NAME"].startswith("goofer_djt_")


@pytest.mark.django_db(databases=CONFIGURED, transaction=True)
@pytest.mark.parametrize("name", alias_params())
def test_migrate_applies_goofer_on_its_databases_unless_told_not_to(
    name: str, settings: Any
) -> None:
    run("goofer_down", database=name, verbosity=0)
    try:
        run("migrate", database=name, verbosity=0)
        # GOOFER['DATABASE'] ("default" here) and the MIGRATIONS_DIRS aliases are Goofer's.
        assert tracked_ids(name) == (IDS if name == "default" else IDS[:2])
        settings.GOOFER = {**settings.GOOFER, "MIGRATE": False}
        run("goofer_up", database=name, verbosity=0)
        run("goofer_down", database=name, verbosity=0)
        run("migrate", database=name, verbosity=0)
        assert tracked_ids(name) == IDS[:2]
    finally:
        run("goofer_up", database=name, verbosity=0)
