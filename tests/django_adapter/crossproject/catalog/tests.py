"""Run by ``manage.py test`` (Django's runner, with ``--parallel``): each test starts clean."""

from billing.models import Currency, Invoice
from django.db import connection
from django.test import TransactionTestCase

from catalog.models import Product, Refund


class StartsClean:
    """Each test finds only the seeded rows, commits rows of its own, and leaves them."""

    def test_commit_rows_in_both_histories(self) -> None:
        self.assertEqual(sorted(c.code for c in Currency.objects.all()), ["EUR", "USD"])
        self.assertEqual((Product.objects.count(), Invoice.objects.count()), (0, 0))
        product = Product.objects.create(name="Lamp")
        invoice = Invoice.objects.create(id=1, product=product, total=30)
        refund = Refund.objects.create(invoice=invoice, amount=5)
        Currency.objects.create(code="CHF")
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO billing_payment (id, refund_id) VALUES (1, %s)", [refund.id]
            )
            cursor.execute("SELECT COUNT(*) FROM billing_payment")
            self.assertEqual(cursor.fetchone()[0], 1)


class FirstTransactionalTests(StartsClean, TransactionTestCase):
    """Run in one worker."""


class SecondTransactionalTests(StartsClean, TransactionTestCase):
    """Run in another worker (or after the first one)."""
