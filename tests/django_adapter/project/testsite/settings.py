"""Settings for the adapter tests, driven by environment variables.

- ``TESTSITE_DEFAULT_URL`` (default: a SQLite file beside this project), ``TESTSITE_PG_URL``,
  ``TESTSITE_MARIA_URL``, ``TESTSITE_DEAD_URL``: Goofer-style URLs for the aliases ``default``,
  ``pg``, ``maria`` and ``dead``; an alias whose variable is unset does not exist.
- ``TESTSITE_TEST_SUFFIX``: makes the server test databases' names unique to one run.
- ``TESTSITE_MIGRATIONS_DIR``, ``TESTSITE_APPLY_TO_TEST`` (0 to turn off),
  ``TESTSITE_CHECK_TIMEOUT``, ``TESTSITE_GOOFER_DATABASE``: the GOOFER settings under test.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from goofer_core.url import DatabaseURL

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "goofer-adapter-tests"
DEBUG = False
USE_TZ = True
INSTALLED_APPS = ["goofer_integrations.django", "testapp"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ENGINES = {
    "sqlite": "django.db.backends.sqlite3",
    "postgresql": "django.db.backends.postgresql",
    "mysql": "django.db.backends.mysql",
}


def database(url_text: str, alias: str) -> dict[str, Any]:
    """Turn a Goofer URL into a DATABASES entry."""
    url = DatabaseURL.parse(url_text)
    entry: dict[str, Any] = {"ENGINE": ENGINES[url.dialect], "NAME": url.database}
    if url.dialect == "sqlite":
        return entry
    if url.dialect == "mysql":
        # PyMySQL even where mysqlclient is installed: the tests of Goofer running on Django's
        # own connection need the driver Goofer speaks (mysqlclient's fallback is tested apart).
        import pymysql

        pymysql.install_as_MySQLdb()
        entry["OPTIONS"] = {"charset": "utf8mb4"}
    entry.update(
        USER=url.user or "",
        PASSWORD=url.password or "",
        HOST=url.host or "",
        PORT=str(url.port or ""),
    )
    suffix = os.environ.get("TESTSITE_TEST_SUFFIX")
    if suffix:
        entry["TEST"] = {
            "NAME": f"goofer_djt_{alias}_{suffix}",
            "CHARSET": "utf8mb4" if url.dialect == "mysql" else None,
        }
    return entry


DATABASES = {
    "default": database(
        os.environ.get("TESTSITE_DEFAULT_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), "default"
    )
}
for _alias, _variable in (
    ("pg", "TESTSITE_PG_URL"),
    ("maria", "TESTSITE_MARIA_URL"),
    ("dead", "TESTSITE_DEAD_URL"),
):
    if os.environ.get(_variable):
        DATABASES[_alias] = database(os.environ[_variable], _alias)

GOOFER: dict[str, Any] = {
    "MIGRATIONS_DIR": os.environ.get("TESTSITE_MIGRATIONS_DIR", "goofer_migrations"),
    "DATABASE": os.environ.get("TESTSITE_GOOFER_DATABASE", "default"),
    "LOCK_TIMEOUT": 20,
    "APPLY_TO_TEST_DATABASES": [alias for alias in DATABASES if alias != "dead"]
    if os.environ.get("TESTSITE_APPLY_TO_TEST", "1") != "0"
    else False,
    "CHECK_TIMEOUT": float(os.environ.get("TESTSITE_CHECK_TIMEOUT", "3")),
}
