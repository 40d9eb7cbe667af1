"""Django's database routers decide where Goofer migrates, as they do for every app.

Goofer asks ``allow_migrate(db, "goofer")``: the app label of this app, the one a router sees
for Goofer's migrations whichever apps' tables they create. A router that returns False for
an alias keeps Goofer's migrations off it: ``migrate`` and test database creation skip it, and
``goofer_up``, ``goofer_down``, ``goofer_resolve`` and ``apply()`` refuse it in one line.
"""

from __future__ import annotations

from goofer_core.errors import ConfigurationError

APP_LABEL = "goofer"


def goofer_allowed(alias: str) -> bool:
    """Return whether the routers let Goofer migrate the database ``alias``."""
    from django.db import router

    return bool(router.allow_migrate(alias, APP_LABEL))


def require_allowed(alias: str) -> None:
    """Raise a one-line ConfigurationError when the routers keep Goofer off ``alias``."""
    if not goofer_allowed(alias):
        raise ConfigurationError(
            f"database {alias!r}: settings.DATABASE_ROUTERS refuse Goofer's migrations there "
            f"(allow_migrate(db={alias!r}, app_label={APP_LABEL!r}) is False); "
            "choose another --database or change the router"
        )
