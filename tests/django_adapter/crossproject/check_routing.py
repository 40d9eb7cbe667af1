"""The ``reports`` test database gets its own Goofer migrations, unless the router refuses."""

import os

import pytest
from django.conf import settings
from django.db import connections

pytestmark = pytest.mark.skipif("reports" not in settings.DATABASES, reason="no reports alias")


@pytest.mark.django_db(databases=["default", "reports"])
def test_the_reports_test_database_holds_only_what_the_router_allows() -> None:
    reports = set(connections["reports"].introspection.table_names())
    assert "catalog_product" not in reports and "billing_invoice" not in reports
    if os.environ.get("CROSS_REFUSE_REPORTS") == "1":
        assert "report_daily" not in reports and "migrations" not in reports
        return
    assert {"report_daily", "migrations"} <= reports
    with connections["reports"].cursor() as cursor:
        cursor.execute("SELECT id FROM migrations")
        assert [row[0] for row in cursor.fetchall()] == ["20250201000000"]
