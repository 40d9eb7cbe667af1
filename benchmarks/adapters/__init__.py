"""One adapter per tool: how it stores the workload and which command runs each scenario."""

from __future__ import annotations

from .alembic_tool import Alembic
from .base import SCENARIOS, Tool, Workspace
from .django_tool import Django
from .goofer import GooferAPI, GooferCommand
from .raw import RawFloor
from .yoyo_tool import Yoyo

# The raw floor comes first: every ratio is taken against it.
TOOLS: dict[str, Tool] = {
    tool.name: tool
    for tool in (RawFloor(), GooferCommand(), GooferAPI(), Alembic(), Django(), Yoyo())
}

__all__ = ["SCENARIOS", "TOOLS", "Tool", "Workspace"]
