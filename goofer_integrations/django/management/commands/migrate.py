"""``manage.py migrate``: Django's migrations and Goofer's, in one order (``interleave.py``)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management import CommandError
from django.core.management.commands import migrate

from goofer_core.errors import GooferError, IntegrityError
from goofer_integrations.django.flushing import remember_seeded_rows
from goofer_integrations.django.interleave import (
    Interleaver,
    interleaver_for,
    interleaving,
    report_to,
)
from goofer_integrations.django.testdb import creating_test_database, kept_database_error

#: Options under which migrate changes no schema: Goofer stays out too.
HANDS_OFF = ("plan", "check_unapplied", "prune", "fake", "fake_initial")
#: Options under which migrate only reports what is unapplied: Goofer's pending count too.
LOOKS = ("plan", "check_unapplied")


class Command(migrate.Command):  # type: ignore[misc,unused-ignore]  # without django-stubs
    """Django's migrate, applying Goofer's migrations where their requirements put them."""

    help = migrate.Command.help + " Goofer's migrations are applied in the same run."
    goofer: Interleaver | None = None

    def handle(self, *args: Any, **options: Any) -> None:
        """Migrate as Django does, applying Goofer's migrations in between and at the end."""
        alias = options["database"]
        if any(options.get(option) for option in LOOKS):
            self._look(alias, *args, **options)
            return
        try:
            if not any(options.get(option) for option in HANDS_OFF):
                self.goofer = interleaver_for(
                    alias, report_to(self.stdout, options["verbosity"], alias)
                )
            token = interleaving.set(self.goofer is not None)
            try:
                super().handle(*args, **options)
            finally:
                interleaving.reset(token)
            if self.goofer is not None:
                self._finish(alias)
        except IntegrityError as exc:
            raise CommandError(str(kept_database_error(exc, alias))) from None
        except GooferError as exc:
            raise CommandError(str(exc)) from None

    def _look(self, alias: str, *args: Any, **options: Any) -> None:
        """``--plan`` / ``--check``: Django's answer, with Goofer's pending migrations added.

        ``--plan`` lists them after Django's plan, each with the Django migration it still
        waits for; ``--check`` exits 1 when any is pending, as it does for Django's own.
        """
        try:
            interleaver = interleaver_for(alias, None)
            pending = interleaver.pending if interleaver is not None else []
            waits = [(m, interleaver.history.missing(m)) for m in pending] if interleaver else []
        except GooferError as exc:
            raise CommandError(str(exc)) from None
        unapplied = False
        try:
            super().handle(*args, **options)
        except SystemExit as exc:  # --check, and Django has unapplied migrations
            unapplied = exc.code not in (0, None)
        if options.get("plan"):
            folder = interleaver.migrator.directory if interleaver is not None else None
            self.stdout.write(
                f"Goofer migrations ({folder}):" if folder else "Goofer migrations:",
                self.style.MIGRATE_LABEL,
            )
            if not waits:
                self.stdout.write("  No pending Goofer migrations.")
            for migration, required in waits:
                after = f" (after Django migration {required})" if required else ""
                self.stdout.write(f"  {migration.label}{after}")
        if options.get("check_unapplied") and (unapplied or waits):
            sys.exit(1)

    def check(self, *args: Any, **kwargs: Any) -> None:
        """Run the system checks without the "pending" warning: this run applies them."""
        token = interleaving.set(True)
        try:
            super().check(*args, **kwargs)
        finally:
            interleaving.reset(token)

    def _finish(self, alias: str) -> None:
        assert self.goofer is not None
        waiting = self.goofer.advance()
        if waiting is not None and self.verbosity >= 1:
            required = self.goofer.history.missing(waiting)
            self.stdout.write(
                f"  Goofer: {waiting.label} and later wait for Django migration {required}"
            )
        if creating_test_database():
            remember_seeded_rows(alias)

    def migration_progress_callback(
        self, action: str, migration: Any = None, fake: bool = False
    ) -> None:
        """Apply Goofer's migrations before and after each Django migration, as they allow."""
        if self.goofer is not None and action == "apply_start" and not fake:
            self.goofer.before(migration)
        super().migration_progress_callback(action, migration, fake)
        if self.goofer is not None and action == "apply_success" and not fake:
            self.goofer.after(migration)
