"""Goofer's tables seen from Django (unmanaged: Goofer's migrations create them)."""

from django.db import models


class Currency(models.Model):
    """A currency; Goofer's first migration seeds EUR and USD."""

    code = models.CharField(max_length=3, primary_key=True)

    class Meta:
        managed = False
        db_table = "billing_currency"


class Invoice(models.Model):
    """An invoice for a catalog product."""

    id = models.IntegerField(primary_key=True)
    product = models.ForeignKey("catalog.Product", models.DO_NOTHING)
    total = models.IntegerField()

    class Meta:
        managed = False
        db_table = "billing_invoice"
