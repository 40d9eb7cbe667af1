"""A project whose models are Goofer's entities: GOOFER["MODELS"] names its three apps.

``MODELSITE_URL`` (a Goofer-style URL) picks the database; ``MODELSITE_MIGRATIONS`` the Goofer
migrations directory; ``MODELSITE_CHANGED=1`` adds a field to a model (a change to catch);
``MODELSITE_MODELS`` replaces GOOFER["MODELS"] (comma-separated); ``MODELSITE_REFUSED=1`` adds a
descending index, which Goofer refuses to generate; ``MODELSITE_UNMANAGED=1`` marks every model
``managed = False``, as the README tells Goofer's users to; ``MODELSITE_ENTITIES=1`` adds the
dataclass entities of ``modelsite/entities.py`` (``=clash``: one of them declares a model's table);
``MODELSITE_CATALOG=1`` installs ``catalog``, an app with Django migrations, and adds
``sales.Invoice``, a Goofer model pointing at it.
The apps have no Django migrations, so ``migrate --run-syncdb`` builds what Django would.
"""

from __future__ import annotations

import os
from pathlib import Path

from goofer_core.url import DatabaseURL

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "goofer-models-tests"
USE_TZ = True
INSTALLED_APPS = ["goofer_integrations.django", "people", "shop", "sales"]
if os.environ.get("MODELSITE_CATALOG"):  # an app with Django migrations, which Goofer's use
    INSTALLED_APPS.append("catalog")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"  # people's AppConfig says AutoField

_url = DatabaseURL.parse(os.environ.get("MODELSITE_URL", f"sqlite:///{BASE_DIR / 'models.db'}"))
_engines = {
    "sqlite": "django.db.backends.sqlite3",
    "postgresql": "django.db.backends.postgresql",
    "mysql": "django.db.backends.mysql",
}
_entry = {"ENGINE": _engines[_url.dialect], "NAME": _url.database}
if _url.dialect != "sqlite":
    _entry.update(
        USER=_url.user or "",
        PASSWORD=_url.password or "",
        HOST=_url.host or "",
        PORT=str(_url.port or ""),
    )
if _url.dialect == "mysql":
    import pymysql

    pymysql.install_as_MySQLdb()
    _entry["OPTIONS"] = {"charset": "utf8mb4"}
DATABASES = {"default": _entry}

GOOFER = {
    "MIGRATIONS_DIR": os.environ.get("MODELSITE_MIGRATIONS", str(BASE_DIR / "goofer_migrations")),
    "MODELS": os.environ.get("MODELSITE_MODELS", "people,shop,sales").split(","),
    "APPLY_TO_TEST_DATABASES": False,
    "SYSTEM_CHECK": False,
    "ENTITIES": ["modelsite.entities"] if os.environ.get("MODELSITE_ENTITIES") else [],
}
