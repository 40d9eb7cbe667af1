"""A catalog that Django's own migrations build (catalog/migrations), not Goofer.

Installed only with ``MODELSITE_CATALOG=1``; ``sales.Invoice`` (Goofer's) then points at it.
"""

from __future__ import annotations

from django.db import models


class Category(models.Model):
    name = models.CharField(max_length=50, unique=True)


class Item(models.Model):
    sku = models.CharField(max_length=20, unique=True)
    category = models.ForeignKey(Category, on_delete=models.CASCADE)
    tags = models.ManyToManyField(Category, related_name="tagged_items")
