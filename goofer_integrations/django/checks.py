"""A system check: ``manage.py check`` warns when Goofer migrations are not all applied.

Like Django's own "You have N unapplied migration(s)" it warns rather than fails:

- ``goofer.E001`` (error): ``settings.GOOFER`` is invalid; the message names the setting;
- ``goofer.W001``: migrations are pending;
- ``goofer.W002``: applied migrations were modified, their files are missing, or one failed
  part-way;
- ``goofer.W003``: the state could not be read (database unreachable, no answer within
  ``GOOFER['CHECK_TIMEOUT']`` seconds, a bad migration file).

The database is read in a separate daemon thread with its own connection, so a database that
never answers costs at most ``CHECK_TIMEOUT`` seconds and cannot keep the process alive, and
the caller's connection and transaction are never touched.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from goofer_core.cli.settings import ENV
from goofer_core.errors import GooferError
from goofer_core.migrations.plan import MigrationStatus
from goofer_core.redaction import redact

from .boot import run_in_thread
from .conf import GooferSettings, load_settings
from .runs import run_settings

HINT_PENDING = "Run 'python manage.py goofer_up', or call goofer_integrations.django.apply()."
HINT_STATUS = "Run 'python manage.py goofer_status' for details."


def check_goofer_migrations(
    app_configs: Sequence[Any] | None = None,
    databases: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[Any]:
    """Return Django check messages about the Goofer database's migrations."""
    from django.core import checks

    try:
        conf = load_settings()
    except GooferError as exc:
        return [checks.Error(str(exc), id="goofer.E001")]
    if not conf.system_check:
        return []
    # Where to look is decided as for `goofer_status` without --database: GOOFER_DATABASE_URL
    # when set, else GOOFER['DATABASE'] (not looked at by `check --database other`, or by a test
    # run that does not use it).
    if databases is not None and conf.database not in databases and not _environment_url():
        return []
    try:
        statuses, where = run_in_thread(
            lambda: _read_status(conf), "goofer-check", conf.check_timeout
        )
    except TimeoutError:
        return [
            checks.Warning(
                f"Goofer could not check its migrations: the database did not answer within "
                f"{conf.check_timeout:g} s (GOOFER['CHECK_TIMEOUT'])",
                id="goofer.W003",
            )
        ]
    except Exception as exc:
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return [
            checks.Warning(
                f"Goofer could not check its migrations: {redact(first_line, *_passwords())}",
                id="goofer.W003",
            )
        ]
    from .interleave import interleaving

    if interleaving.get():  # `migrate` is about to apply the pending ones
        statuses = [status for status in statuses if status.state != "pending"]
    return _messages(statuses, where)


def _environment_url() -> bool:
    return bool(os.environ.get(ENV["database_url"]))


def _read_status(conf: GooferSettings) -> tuple[list[MigrationStatus], str]:
    """Read the migrations' states on this thread's own connection, and close it."""
    from django.db import connections

    target = run_settings(None, conf=conf)
    where = f"database {target.alias!r}" if target.alias else target.settings.url_hint
    try:
        statuses: list[MigrationStatus] = target.settings.migrator().status()
        return statuses, where
    finally:
        if target.alias is not None:
            connections[target.alias].close()


def _passwords() -> list[str]:
    from django.conf import settings

    return [
        str(entry.get("PASSWORD")) for entry in settings.DATABASES.values() if entry.get("PASSWORD")
    ]


def _messages(statuses: list[MigrationStatus], where: str) -> list[Any]:
    from django.core import checks

    def labels(states: set[str]) -> list[str]:
        return [f"{s.id}_{s.name}" for s in statuses if s.state in states]

    messages = []
    pending = labels({"pending"})
    if pending:
        messages.append(
            checks.Warning(
                f"{len(pending)} Goofer migration{'s are' if len(pending) != 1 else ' is'} "
                f"pending on {where}: {', '.join(pending)}",
                hint=HINT_PENDING,
                id="goofer.W001",
            )
        )
    problems = [
        f"{label} ({state})"
        for state in ("modified", "missing", "failed")
        for label in labels({state})
    ]
    if problems:
        messages.append(
            checks.Warning(
                f"Goofer migrations on {where} do not match the files: {', '.join(problems)}",
                hint=HINT_STATUS,
                id="goofer.W002",
            )
        )
    return messages
