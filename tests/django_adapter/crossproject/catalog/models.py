"""Django-migrated models: products, and refunds of Goofer's invoices."""

from django.db import models


class Product(models.Model):
    """A product; Goofer's ``billing_invoice`` has a foreign key to it."""

    name = models.CharField(max_length=100)
