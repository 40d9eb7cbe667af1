"""Import every models module, so ``Base.metadata`` holds all 32 tables."""

from __future__ import annotations

from . import accounts, catalog, content, orders
from .base import Base

__all__ = ["Base", "accounts", "catalog", "content", "orders"]
