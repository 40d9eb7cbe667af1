"""Adopting Goofer on a history that did not start with it.

``sources`` reads golang-migrate's and dbmate's directories as those tools do; ``convert``
gives each version a 14-digit id in the same order, a clean name, and the transaction and down
handling Goofer needs; ``history`` reads the other tool's tracking table; ``importer`` writes
the copy and its mapping file, and baselines the database. ``baseline`` itself is the
Migrator's (``migrations/baseline.py``).
"""

from __future__ import annotations

from .importer import MAPPING_FILE, ImportResult, import_history

__all__ = ["MAPPING_FILE", "ImportResult", "import_history"]
