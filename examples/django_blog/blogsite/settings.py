"""Settings for the django_blog example: the blog app's models are Goofer's entities.

SQLite (``db.sqlite3`` beside manage.py). ``GOOFER["MODELS"]`` names the blog app, so
``goofer_generate`` writes its migrations from the models and ``goofer_check`` fails when a model
and the migrations disagree. The models are ``managed = False``: Django's ``migrate`` (and the
test runner's) leaves their tables to Goofer.
"""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "django-blog-example-not-secret"
DEBUG = True
INSTALLED_APPS = [
    "goofer_integrations.django",
    "blog",
]
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"},
}

GOOFER = {
    "MIGRATIONS_DIR": BASE_DIR / "goofer_migrations",
    "MODELS": ["blog"],
}
