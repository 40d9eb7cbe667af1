"""Django-migrated models: products, and refunds of Goofer's invoices."""

from django.db import models


class Product(models.Model):
    """A product; Goofer's ``billing_invoice`` has a foreign key to it."""

    name = models.CharField(max_length=100)


class Refund(models.Model):
    """A refund of a Goofer-migrated invoice: a foreign key from Django's history to Goofer's."""

    invoice = models.ForeignKey("billing.Invoice", models.CASCADE)
    amount = models.IntegerField()
