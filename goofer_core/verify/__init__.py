"""``verify``: prove on a scratch database that each down reverts its up.

``runner`` applies, reverts and re-applies each migration; ``snapshot`` reads and compares the
schema after each step; ``report`` words the result.
"""

from __future__ import annotations

from .runner import MigrationCheck, VerifyResult, pending_ids, verify_migrations

__all__ = ["MigrationCheck", "VerifyResult", "pending_ids", "verify_migrations"]
