"""A catalog: decimals, checks, self references, slugs, JSON, many-to-many with tags."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Now


class Category(models.Model):
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True)
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)


class Product(models.Model):
    sku = models.CharField(max_length=32, unique=True)
    title = models.CharField(max_length=200, db_index=True)
    description = models.TextField(null=True)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    weight = models.FloatField(null=True)
    active = models.BooleanField(db_default=True)
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True)
    tags = models.ManyToManyField(Tag, blank=True)
    attributes = models.JSONField(null=True)
    created = models.DateTimeField(db_default=Now())

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="shop_product_price_positive"
            )
        ]


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE)
    url = models.CharField(max_length=500)
    position = models.SmallIntegerField(db_default=0)


class Supplier(models.Model):
    name = models.CharField(max_length=100)
    country = models.CharField(max_length=2)

    class Meta:
        unique_together = [("name", "country")]


class SupplierProduct(models.Model):
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE)
    product = models.ForeignKey(Product, on_delete=models.CASCADE)
    cost = models.DecimalField(max_digits=12, decimal_places=4)
    lead_days = models.PositiveSmallIntegerField(null=True)


class Inventory(models.Model):
    product = models.OneToOneField(Product, on_delete=models.CASCADE)
    quantity = models.IntegerField(db_default=0)
    warehouse = models.CharField(max_length=20, db_default="main")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0), name="shop_inventory_quantity"
            )
        ]


class PriceChange(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE)
    old_price = models.DecimalField(max_digits=10, decimal_places=2)
    new_price = models.DecimalField(max_digits=10, decimal_places=2)
    changed_at = models.DateTimeField(db_default=Now())

    class Meta:
        indexes = [models.Index(fields=["product", "changed_at"], name="shop_price_prod_time")]


class Review(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE)
    author = models.ForeignKey("people.Person", on_delete=models.CASCADE)
    stars = models.PositiveSmallIntegerField()
    body = models.TextField(db_default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "author"], name="shop_review_once")
        ]


class Wishlist(models.Model):
    owner = models.ForeignKey("people.Person", on_delete=models.CASCADE)
    products = models.ManyToManyField(Product, related_name="wishlists")
    public = models.BooleanField(default=False)
