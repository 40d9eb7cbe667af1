"""Models over Goofer-managed tables: ``managed = False``, so Django never migrates them."""

from django.db import models


class Product(models.Model):
    """A row of the ``products`` table (created by goofer_migrations/..._create_products)."""

    name = models.CharField(max_length=100)
    price_cents = models.IntegerField()

    class Meta:
        managed = False
        db_table = "products"


class Order(models.Model):
    """A row of the ``orders`` table."""

    product = models.ForeignKey(Product, on_delete=models.DO_NOTHING)
    quantity = models.IntegerField()
    placed_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "orders"
