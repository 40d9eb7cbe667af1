"""What a pytest-django user checks: transactional tests leave Goofer's tables as they found them.

pytest-django runs the ``db`` tests first and the transactional ones after them, in file order.
"""

from pathlib import Path

import pytest
from billing.models import Currency, Invoice
from catalog.models import Product, Refund
from django.db import connection

MIGRATIONS = Path(__file__).parent / "goofer_migrations"


def count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return int(cursor.fetchone()[0])


@pytest.mark.django_db
def test_the_test_database_has_foreign_keys_both_ways() -> None:
    expected = {
        ("billing_invoice", "catalog_product"),  # Goofer -> Django
        ("catalog_refund", "billing_invoice"),  # Django -> Goofer
        ("billing_payment", "catalog_refund"),  # Goofer -> Django -> Goofer
    }
    found = set()
    with connection.cursor() as cursor:
        for table, _ in expected:
            for constraint in connection.introspection.get_constraints(cursor, table).values():
                if constraint["foreign_key"]:
                    found.add((table, constraint["foreign_key"][0]))
    assert found == expected


@pytest.mark.django_db
def test_a_db_test_finds_only_the_seeded_rows() -> None:
    assert sorted(c.code for c in Currency.objects.all()) == ["EUR", "USD"]
    assert (Product.objects.count(), Invoice.objects.count()) == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_1_a_transactional_test_commits_rows_in_both_histories() -> None:
    product = Product.objects.create(name="Lamp")
    invoice = Invoice.objects.create(id=1, product=product, total=30)
    refund = Refund.objects.create(invoice=invoice, amount=5)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO billing_payment (id, refund_id) VALUES (1, %s)", [refund.id])
    Currency.objects.create(code="CHF")
    tables = ("catalog_product", "billing_invoice", "catalog_refund", "billing_payment")
    assert [count(table) for table in tables] == [1, 1, 1, 1]
    assert count("billing_currency") == 3


@pytest.mark.django_db(transaction=True)
def test_2_the_next_one_finds_them_gone_and_the_seeds_back() -> None:
    tables = ("catalog_product", "billing_invoice", "catalog_refund", "billing_payment")
    assert [count(table) for table in tables] == [0, 0, 0, 0]
    assert sorted(c.code for c in Currency.objects.all()) == ["EUR", "USD"]
    # The tracking table is never flushed: every migration is still recorded.
    assert count("migrations") == len(list(MIGRATIONS.glob("*.up.sql")))
