"""Keep Django's apps off ``reports``; Goofer may migrate it unless ``CROSS_REFUSE_REPORTS=1``."""

from __future__ import annotations

import os
from typing import Any


class ReportsRouter:
    """Route migrations of the ``reports`` alias; no opinion about the others."""

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        """Allow only Goofer (app label ``goofer``) on ``reports``, unless told to refuse it."""
        if db != "reports":
            return None
        return app_label == "goofer" and os.environ.get("CROSS_REFUSE_REPORTS") != "1"
