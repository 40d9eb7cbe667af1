"""Fixtures for the in-process Django tests, loaded as a plugin by pytest.ini (``-p``).

(Not a conftest.py: the outer session walks this folder too and would load a conftest.py
found here; named only in pytest.ini, this plugin is loaded by the inner session alone.)

The test databases come from pytest-django: ``default`` is Django's in-memory SQLite test
database, ``pg`` and ``maria`` exist when TESTSITE_PG_URL / TESTSITE_MARIA_URL are set.
Every test database already holds the Goofer migrations when a test starts (that is what
inproc_testdb.py checks); tests that revert some re-apply them afterwards.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.django_adapter.inprocess.dj_inproc_support import CONFIGURED, MIGRATIONS, alias_params


@pytest.fixture(autouse=True)
def _clean_state(request: pytest.FixtureRequest, django_db_blocker: Any) -> Iterator[None]:
    """No GOOFER_* variables during a test; every test database fully migrated after it."""
    saved = {key: os.environ.pop(key) for key in list(os.environ) if key.startswith("GOOFER_")}
    yield
    for key in [key for key in os.environ if key.startswith("GOOFER_")]:
        del os.environ[key]
    os.environ.update(saved)
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        with django_db_blocker.unblock():
            for alias in CONFIGURED:
                call_command("goofer_up", database=alias, verbosity=0)


@pytest.fixture(params=alias_params())
def alias(request: pytest.FixtureRequest) -> str:
    """Each configured database alias in turn."""
    return str(request.param)


@pytest.fixture
def migrations_copy(tmp_path: Path, settings: Any) -> Path:
    """Point GOOFER['MIGRATIONS_DIR'] at a private copy of the project's migrations."""
    target = tmp_path / "goofer_migrations"
    shutil.copytree(MIGRATIONS, target)
    settings.GOOFER = {**settings.GOOFER, "MIGRATIONS_DIR": target}
    return target
