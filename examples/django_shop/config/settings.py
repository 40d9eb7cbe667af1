"""Settings for the django_shop example.

The database is SQLite (``db.sqlite3`` beside manage.py) unless SHOP_DB_ENGINE says otherwise:

    SHOP_DB_ENGINE=postgresql SHOP_DB_NAME=shop SHOP_DB_USER=postgres SHOP_DB_HOST=127.0.0.1
    SHOP_DB_ENGINE=mysql SHOP_DB_NAME=shop SHOP_DB_USER=root SHOP_DB_HOST=127.0.0.1

(plus SHOP_DB_PASSWORD and SHOP_DB_PORT). SHOP_DB_NAME alone renames the SQLite file.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("SHOP_SECRET_KEY", "django-shop-example-not-secret")
DEBUG = os.environ.get("SHOP_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "goofer_integrations.django",
    "shop",
]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

ENGINE = os.environ.get("SHOP_DB_ENGINE", "sqlite3")
if ENGINE == "mysql":
    try:
        import MySQLdb  # noqa: F401  (mysqlclient, Django's usual MySQL driver)
    except ImportError:  # PyMySQL stands in for it; Goofer then shares Django's connection
        import pymysql

        pymysql.install_as_MySQLdb()

DATABASES = {
    "default": {
        "ENGINE": f"django.db.backends.{ENGINE}",
        "NAME": os.environ.get("SHOP_DB_NAME")
        or (BASE_DIR / "db.sqlite3" if ENGINE == "sqlite3" else "shop"),
        "USER": os.environ.get("SHOP_DB_USER", ""),
        "PASSWORD": os.environ.get("SHOP_DB_PASSWORD", ""),
        "HOST": os.environ.get("SHOP_DB_HOST", ""),
        "PORT": os.environ.get("SHOP_DB_PORT", ""),
    }
}

# Goofer: SQL migrations in goofer_migrations/, tracked in the goofer_migrations table.
GOOFER = {
    "MIGRATIONS_DIR": BASE_DIR / "goofer_migrations",
    "DATABASE": "default",
    "TABLE": "goofer_migrations",
}

# Show what apply() does at start-up.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"goofer": {"handlers": ["console"], "level": "INFO"}},
}
