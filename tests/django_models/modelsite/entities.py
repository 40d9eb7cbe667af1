"""Dataclass entities beside the models (``MODELSITE_ENTITIES=1``): one new table, one clash."""

from __future__ import annotations

import os
from dataclasses import dataclass

from goofer_core import column, registry


@registry.register_entity(table="audit_note")
@dataclass(kw_only=True)
class AuditNote:
    """A table only an entity declares."""

    id: int = column(primary_key=True)
    body: str = column(max_length=200)


if os.environ.get("MODELSITE_ENTITIES") == "clash":

    @registry.register_entity(table="people_badge")
    @dataclass(kw_only=True)
    class Badge:
        """A table the people app's Badge model declares too."""

        code: str = column(primary_key=True, max_length=20)
