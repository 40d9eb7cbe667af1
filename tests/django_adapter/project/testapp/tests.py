"""Run by ``manage.py test testapp`` (Django's runner): what does the test database hold?"""

import os

from django.db import connection
from django.test import TestCase


class GooferTestDatabaseTests(TestCase):
    """The test database has Goofer's tables unless APPLY_TO_TEST_DATABASES is off."""

    def test_goofer_tables(self) -> None:
        """Check the tables (and the seeded rows) against TESTSITE_APPLY_TO_TEST."""
        tables = set(connection.introspection.table_names())
        if os.environ.get("TESTSITE_APPLY_TO_TEST", "1") == "0":
            self.assertFalse({"products", "orders", "migrations"} & tables)
            return
        self.assertTrue({"products", "orders", "migrations"} <= tables)
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM products ORDER BY id")
            self.assertEqual([r[0] for r in cursor.fetchall()], ["Lamp", "Chair"])
