"""A small shop declared as Goofer entities: customers, products, orders and order lines.

Regenerate its migrations after a change with:

    goofer --dir examples/shop/migrations --entities examples.shop.entities generate NAME
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from goofer_core import NOW, Check, Index, Unique, column, registry


class OrderStatus(enum.Enum):
    """Where an order is in its life."""

    NEW = "new"
    PAID = "paid"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


@registry.register_entity(table="customers")
@dataclass(kw_only=True)
class Customer:
    """Someone who buys."""

    id: int = column(primary_key=True)
    email: str = column(max_length=255, unique=True)
    name: str = column(max_length=100)
    created_at: datetime = column(server_default=NOW)


@registry.register_entity(table="products", checks=[Check("price >= 0")])
@dataclass(kw_only=True)
class Product:
    """Something for sale."""

    id: int = column(primary_key=True)
    sku: str = column(max_length=32, unique=True)
    title: str = column(max_length=200, index=True)
    price: Decimal = column(precision=10, scale=2)
    attributes: dict[str, Any] = field(default_factory=dict)  # JSON: colour, size, ...
    active: bool = True


@registry.register_entity(table="orders", indexes=[Index("customer_id", "placed_at")])
@dataclass(kw_only=True)
class Order:
    """A customer's basket once checked out."""

    id: int = column(primary_key=True)
    customer_id: int = column(foreign_key=Customer, on_delete="CASCADE")
    status: OrderStatus = OrderStatus.NEW
    placed_at: datetime = column(server_default=NOW)
    note: str | None = None


@registry.register_entity(table="order_lines", uniques=[Unique("order_id", "product_id")])
@dataclass(kw_only=True)
class OrderLine:
    """One product in an order."""

    id: int = column(primary_key=True)
    order_id: int = column(foreign_key=Order, on_delete="CASCADE")
    product_id: int = column(foreign_key=Product, on_delete="RESTRICT")
    quantity: int = column(default=1, check="quantity > 0")
    unit_price: Decimal = column(precision=10, scale=2)
