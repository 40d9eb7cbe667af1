"""A project with both histories: ``catalog`` (Django migrations), ``billing`` (Goofer's).

- ``CROSS_DEFAULT_URL`` (required): a Goofer-style URL for the ``default`` alias;
  ``CROSS_REPORTS_URL``: the ``reports`` alias (absent when unset), whose Goofer migrations are
  in ``reports_migrations``; a router keeps Django's apps off it, and Goofer too when
  ``CROSS_REFUSE_REPORTS=1``.
- ``CROSS_TEST_SUFFIX``: the server test databases are ``goofer_djt_<alias>_<suffix>``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from goofer_core.url import DatabaseURL

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "goofer-cross-tests"
USE_TZ = True
INSTALLED_APPS = ["goofer_integrations.django", "catalog", "billing"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ENGINES = {
    "sqlite": "django.db.backends.sqlite3",
    "postgresql": "django.db.backends.postgresql",
    "mysql": "django.db.backends.mysql",
}


def database(url_text: str, alias: str) -> dict[str, Any]:
    """Turn a Goofer URL into a DATABASES entry with a test database name unique to one run."""
    url = DatabaseURL.parse(url_text)
    entry: dict[str, Any] = {"ENGINE": ENGINES[url.dialect], "NAME": url.database}
    suffix = os.environ.get("CROSS_TEST_SUFFIX", "")
    if url.dialect == "sqlite":
        entry["TEST"] = {"NAME": f"{url.database}.test.sqlite3"}
        return entry
    if url.dialect == "mysql":
        import pymysql

        pymysql.install_as_MySQLdb()
        entry["OPTIONS"] = {"charset": "utf8mb4"}
    entry.update(
        USER=url.user or "",
        PASSWORD=url.password or "",
        HOST=url.host or "",
        PORT=str(url.port or ""),
    )
    entry["TEST"] = {"NAME": f"goofer_djt_{alias}_{suffix}"}
    return entry


DATABASES = {"default": database(os.environ["CROSS_DEFAULT_URL"], "default")}
GOOFER: dict[str, Any] = {"MIGRATIONS_DIR": "goofer_migrations", "LOCK_TIMEOUT": 20}
if os.environ.get("CROSS_REPORTS_URL"):
    DATABASES["reports"] = database(os.environ["CROSS_REPORTS_URL"], "reports")
    DATABASE_ROUTERS = ["crosssite.routers.ReportsRouter"]
    GOOFER["MIGRATIONS_DIRS"] = {"reports": "reports_migrations"}
