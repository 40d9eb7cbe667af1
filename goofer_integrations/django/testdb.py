"""Apply Goofer migrations to each test database Django creates, right after its own migrate.

Django runs ``migrate`` on every test database it creates, for every alias, whoever asks for it
(``manage.py test``, pytest-django, ``testserver``, with ``--keepdb``/``--reuse-db`` and with
``TEST: {"MIGRATE": False}``), and that ``migrate`` sends ``post_migrate`` (only to apps with a
models module, hence this app's empty ``models.py``). The handler acts only when that migrate
runs inside ``create_test_db``: Django's signal carries no flag for it, and an ordinary
``manage.py migrate`` must leave Goofer's migrations alone. Parallel test workers clone the
database after this, Goofer's tables included.
"""

from __future__ import annotations

import sys
from typing import Any

from goofer_core.migrations.events import Event

from .boot import logger
from .conf import load_settings
from .runs import run_settings


def apply_to_test_database(
    sender: Any, using: str = "default", verbosity: int = 1, stdout: Any = None, **kwargs: Any
) -> None:
    """Apply pending Goofer migrations to the test database ``using`` that Django just made."""
    if not creating_test_database():
        return
    conf = load_settings()
    if using not in conf.test_databases:
        return
    out = stdout or sys.stdout

    def report(event: Event) -> None:
        logger.debug("test database %r: %s", using, event.message)
        if verbosity >= 1:
            line = f"warning: {event.message}" if event.kind == "warning" else event.line()
            out.write(f"  Goofer: {line}\n")

    target = run_settings(using, source=f"test database {using!r}", conf=conf)
    target.settings.migrator(report).up()


def creating_test_database() -> bool:
    """Return whether the caller runs inside ``BaseDatabaseCreation.create_test_db``."""
    from django.db.backends.base.creation import BaseDatabaseCreation

    target = BaseDatabaseCreation.create_test_db.__code__
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code is target:
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False
