"""``apply()``: bring the database up to date when the web server starts (wsgi.py, asgi.py)."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable
from typing import TypeVar

from goofer_core.cli.settings import BOOT_LOCK_TIMEOUT
from goofer_core.errors import GooferError
from goofer_core.migrations.events import log_events, process_prefix
from goofer_core.migrations.files import MigrationFile

from .database import closing_if_opened
from .routing import require_allowed
from .runs import run_settings

logger = logging.getLogger("goofer")
T = TypeVar("T")


def apply(database: str | None = None, *, to: str | None = None) -> list[MigrationFile]:
    """Apply pending Goofer migrations; return those applied, raise GooferError on failure.

    ``database`` is an alias of ``settings.DATABASES`` (default: ``GOOFER_DATABASE_URL`` when
    set, else ``settings.GOOFER['DATABASE']``). Safe with any number of workers: the core's
    database lock lets one apply each migration while the others wait and find nothing to do.
    Progress goes to the ``goofer`` logger. A connection Django did not have open before is
    closed afterwards, so a pre-forking server does not share it between workers.
    """
    if _event_loop_running():
        # Under an ASGI server asgi.py may be imported inside the event loop, where Django
        # refuses blocking database calls (SynchronousOnlyOperation): run in a plain thread.
        return run_in_thread(lambda: _apply(database, to), "goofer-apply")
    return _apply(database, to)


def _apply(database: str | None, to: str | None) -> list[MigrationFile]:
    target = run_settings(database, source=f"apply(database={database!r})")
    if target.alias is not None:
        require_allowed(target.alias)
    if not _lock_timeout_set():
        # Wait out another worker's migrations rather than fail to boot: see BOOT_LOCK_TIMEOUT.
        target = target._replace(settings=target.settings._replace(lock_timeout=BOOT_LOCK_TIMEOUT))
    try:
        with closing_if_opened(target.alias):
            migrator = target.settings.migrator(log_events(logger, process_prefix()))
            applied: list[MigrationFile] = migrator.up(to=to)
    except GooferError as exc:
        # What to run next is said as manage.py spells it (the caller may log the error).
        exc.args = (target.settings.message(exc),)
        raise
    prefix = process_prefix()
    if applied:
        s = "" if len(applied) == 1 else "s"
        logger.info("%sApplied %d migration%s.", prefix, len(applied), s)
    else:  # every worker of every boot says this: useful when debugging, noise otherwise
        logger.debug("%sNothing to apply: the database is up to date.", prefix)
    return applied


def _lock_timeout_set() -> bool:
    from django.conf import settings

    given = getattr(settings, "GOOFER", None) or {}
    return bool(os.environ.get("GOOFER_LOCK_TIMEOUT")) or "LOCK_TIMEOUT" in given


def _event_loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def run_in_thread(func: Callable[[], T], name: str, timeout: float | None = None) -> T:
    """Run ``func`` in a new thread; return its result or raise its error.

    With ``timeout``, the thread is a daemon and TimeoutError is raised when it has not finished
    by then (it is left to end on its own: a blocked driver call cannot be interrupted).
    """
    outcome: dict[str, T] = {}
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome["value"] = func()
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=target, name=name, daemon=timeout is not None)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError
    if failure:
        raise failure[0]
    return outcome["value"]
