"""Run with ``python manage.py test shop``: the test database already has Goofer's tables."""

from django.db import connection
from django.test import TestCase
from django.utils import timezone

from .models import Order, Product


class ProductListTests(TestCase):
    """The view reads tables that only Goofer's SQL migrations create."""

    def test_lists_the_seeded_products(self) -> None:
        """The seed migration's rows are in the test database."""
        response = self.client.get("/products/")
        self.assertEqual(response.status_code, 200)
        names = [p["name"] for p in response.json()["products"]]
        self.assertEqual(names, ["Desk lamp", "Oak chair", "Notebook"])

    def test_counts_orders(self) -> None:
        """Orders written through the ORM show up in the view."""
        # An explicit id: the SQL is portable, and portable SQL has no auto-increment syntax.
        Order.objects.create(
            id=1, product=Product.objects.get(name="Notebook"), quantity=3, placed_at=timezone.now()
        )
        products = self.client.get("/products/").json()["products"]
        self.assertEqual(
            {p["name"]: p["ordered"] for p in products},
            {"Desk lamp": 0, "Oak chair": 0, "Notebook": 3},
        )

    def test_goofer_recorded_its_migrations(self) -> None:
        """The tracking table (GOOFER['TABLE']) lists every migration."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM goofer_migrations")
            self.assertEqual(cursor.fetchone()[0], 3)
