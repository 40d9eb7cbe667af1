"""Entities for the goofer_generate test: one table, declared in Python."""

from __future__ import annotations

from dataclasses import dataclass

from goofer_core import column, registry


@registry.register_entity(table="notes")
@dataclass(kw_only=True)
class Note:
    """A note."""

    id: int = column(primary_key=True)
    body: str = column(max_length=200)
