"""Test databases: Goofer's migrations in each one Django creates, and help for kept ones.

Django runs ``migrate`` on every test database it creates, for every alias, whoever asks for it
(``manage.py test``, pytest-django, ``testserver``, with ``--keepdb``/``--reuse-db`` and with
``TEST: {"MIGRATE": False}``). This app's ``migrate`` applies Goofer's migrations in the order
their requirements give (``interleave.py``). Should another app's ``migrate`` command win, the
``post_migrate`` handler below applies them after it (Django sends that signal only to apps with
a models module, hence this app's empty ``models.py``); it acts only inside ``create_test_db``,
where Django's signal carries no flag for it. Parallel test workers clone the database after
this, Goofer's tables included.
"""

from __future__ import annotations

import sys
from typing import Any

from goofer_core.errors import IntegrityError

from .conf import load_settings
from .flushing import remember_seeded_rows
from .routing import goofer_allowed
from .runs import run_settings

MODIFIED = "modified after being applied"


def apply_to_test_database(
    sender: Any, using: str = "default", verbosity: int = 1, stdout: Any = None, **kwargs: Any
) -> None:
    """Apply pending Goofer migrations to the test database ``using`` that Django just made."""
    from .interleave import interleaving

    if interleaving.get() or not creating_test_database():
        return  # this app's migrate applies them (or it is not a test database)
    conf = load_settings()
    if using not in conf.test_databases or not goofer_allowed(using):
        return
    from .interleave import report_to

    report = report_to(stdout or sys.stdout, verbosity, using)
    target = run_settings(using, source=f"test database {using!r}", conf=conf)
    try:
        target.settings.migrator(report).up()
    except IntegrityError as exc:
        raise kept_database_error(exc, using) from None
    remember_seeded_rows(using)


def kept_database_error(exc: IntegrityError, alias: str) -> IntegrityError:
    """Give a test database's "modified after being applied" the advice that fits it.

    In a kept test database (``--reuse-db``, ``--keepdb``) the edited file is most often the
    newest, unreleased migration: the fix is a fresh test database, not a new migration.
    """
    message = str(exc)
    if MODIFIED not in message or not keeping_test_database():
        return exc
    from django.db import connections

    files = message.split(":", 1)[0]
    name = connections[alias].settings_dict["NAME"]
    return IntegrityError(
        f"{files}: modified after being applied to the kept test database {name!r} "
        "(--reuse-db, --keepdb); recreate it: 'pytest --create-db', or 'manage.py test' "
        "without '--keepdb'"
    )


def _create_test_db_frame() -> Any:
    """Return the frame of ``BaseDatabaseCreation.create_test_db`` that calls us, or None."""
    from django.db.backends.base.creation import BaseDatabaseCreation

    target = BaseDatabaseCreation.create_test_db.__code__
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code is target:
            return frame
        frame = frame.f_back  # type: ignore[assignment]
    return None


def creating_test_database() -> bool:
    """Return whether the caller runs inside ``BaseDatabaseCreation.create_test_db``."""
    return _create_test_db_frame() is not None


def keeping_test_database() -> bool:
    """Return whether the test database being set up was kept from an earlier run."""
    frame = _create_test_db_frame()
    return frame is not None and bool(frame.f_locals.get("keepdb"))
