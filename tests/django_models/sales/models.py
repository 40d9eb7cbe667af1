"""Orders: UUID keys, to_field foreign keys, restrictive deletes, composite indexes."""

from __future__ import annotations

import os
import uuid

from django.db import models
from django.db.models.functions import Now


class Order(models.Model):
    number = models.CharField(max_length=20, unique=True)
    customer = models.ForeignKey("people.Person", on_delete=models.PROTECT)
    status = models.CharField(
        max_length=12,
        db_default="new",
        choices=[("new", "new"), ("paid", "paid"), ("sent", "sent")],
    )
    placed = models.DateTimeField(db_default=Now())
    total = models.DecimalField(max_digits=12, decimal_places=2, db_default=0)

    class Meta:
        indexes = [models.Index(fields=["status", "placed"], name="sales_order_status_placed")]


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE)
    product = models.ForeignKey("shop.Product", on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)


class Payment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, to_field="number")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    paid_at = models.DateTimeField(null=True)
    reference = models.CharField(max_length=100, unique=True, null=True)


class Refund(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.TextField()

    if os.environ.get("MODELSITE_REFUSED"):

        class Meta:
            indexes = [models.Index(fields=["-amount"], name="sales_refund_amount_desc")]


class Shipment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE)
    carrier = models.CharField(max_length=50)
    tracking = models.CharField(max_length=100, null=True, db_index=True)
    shipped_at = models.DateTimeField(null=True)


class Coupon(models.Model):
    code = models.CharField(max_length=20, primary_key=True)
    percent = models.SmallIntegerField()
    valid_until = models.DateField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__range=(0, 100)), name="sales_coupon_percent"
            )
        ]


class OrderCoupon(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE)
    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT)

    class Meta:
        unique_together = [("order", "coupon")]


class Invoice(models.Model):
    order = models.OneToOneField(Order, on_delete=models.PROTECT)
    issued = models.DateField(db_default=Now())
    pdf = models.BinaryField(null=True)
    notes = models.JSONField(default=list)


if os.environ.get("MODELSITE_CATALOG"):

    class Invoice(models.Model):
        """Goofer's, with foreign keys to tables Django's migrations make (catalog)."""

        item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT)
        category = models.ForeignKey("catalog.Category", null=True, on_delete=models.SET_NULL)
        quantity = models.PositiveIntegerField(default=1)
