"""Orders: composite keys and a composite foreign key, string keys, UUIDs, restrictive deletes."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import CheckConstraint, ForeignKey, ForeignKeyConstraint, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class OrderStatus(enum.Enum):
    new = 1
    paid = 2
    shipped = 3
    cancelled = 4


class Address(Base):
    __tablename__ = "addresses"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    line1: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    postcode: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2), server_default="GB")


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (Index("ix_orders_status_placed", "status", "placed_at"),)
    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    status: Mapped[OrderStatus] = mapped_column(sa.Enum(OrderStatus, name="order_status"))
    placed_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=func.now()
    )
    total: Mapped[float] = mapped_column(sa.Numeric(12, 2))
    shipping_address_id: Mapped[int | None] = mapped_column(
        ForeignKey("addresses.id", ondelete="SET NULL")
    )


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="ck_order_lines_quantity"),)
    order_id: Mapped[int] = mapped_column(
        sa.BigInteger, ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True
    )
    line_no: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int]
    unit_price: Mapped[float] = mapped_column(sa.Numeric(10, 2))


class LineAdjustment(Base):
    __tablename__ = "line_adjustments"
    __table_args__ = (
        ForeignKeyConstraint(
            ["order_id", "line_no"],
            ["order_lines.order_id", "order_lines.line_no"],
            ondelete="CASCADE",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.BigInteger)
    line_no: Mapped[int] = mapped_column(sa.SmallInteger)
    amount: Mapped[float] = mapped_column(sa.Numeric(10, 2))
    note: Mapped[str | None] = mapped_column(Text)


class Payment(Base):
    __tablename__ = "payments"
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.BigInteger, ForeignKey("orders.id"))
    amount: Mapped[float] = mapped_column(sa.Numeric(12, 2))
    method: Mapped[str] = mapped_column(String(20))
    paid_at: Mapped[datetime | None]
    reference: Mapped[str | None] = mapped_column(String(100), unique=True)


class Refund(Base):
    __tablename__ = "refunds"
    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payments.id"))
    amount: Mapped[float] = mapped_column(sa.Numeric(12, 2))
    reason: Mapped[str] = mapped_column(Text)


class Shipment(Base):
    __tablename__ = "shipments"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.BigInteger, ForeignKey("orders.id"))
    carrier: Mapped[str] = mapped_column(String(50))
    tracking_no: Mapped[str | None] = mapped_column(String(100))
    shipped_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]


class Coupon(Base):
    __tablename__ = "coupons"
    __table_args__ = (CheckConstraint("percent BETWEEN 0 AND 100", name="ck_coupons_percent"),)
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    percent: Mapped[int] = mapped_column(sa.SmallInteger)
    valid_until: Mapped[date]


class OrderCoupon(Base):
    __tablename__ = "order_coupons"
    order_id: Mapped[int] = mapped_column(sa.BigInteger, ForeignKey("orders.id"), primary_key=True)
    coupon_code: Mapped[str] = mapped_column(ForeignKey("coupons.code"), primary_key=True)
