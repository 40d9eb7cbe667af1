"""The one base class behind every ``manage.py goofer_*`` command.

Each command is the goofer command of the same name, built from its description in
``goofer_core.cli.commands``: ``add_arguments`` declares its arguments and options, ``handle``
checks them as every front-end does and runs its function, printing on ``self.stdout`` and
``self.stderr``. Django's side adds ``--database ALIAS``, ``--verbosity`` (0 silences progress),
``--no-color`` and ``--traceback``, and turns a ``GooferError`` into a one-line
``CommandError`` (exit 1) and a usage error into one with exit code 2.
"""

from __future__ import annotations

import argparse
import traceback
from typing import Any, ClassVar

from django.core.management.base import BaseCommand, CommandError

from goofer_core.cli.commands import BY_NAME
from goofer_core.cli.spec import Command, Invocation, Kind, UsageError
from goofer_core.errors import GooferError
from goofer_core.redaction import redact

from .routing import require_allowed
from .runs import Target, run_settings

#: The commands that change the database: the database routers must allow Goofer there.
CHANGES_DATABASE = frozenset({"up", "down", "resolve"})


class GooferCommand(BaseCommand):  # type: ignore[misc,unused-ignore]  # without django-stubs
    """Run the goofer command ``goofer_command`` on a Django database."""

    #: The name of the goofer command, as in ``goofer_core.cli.commands.COMMANDS``.
    goofer_command: ClassVar[str] = ""
    # Checks would warn about the very migrations this command is about to apply.
    requires_system_checks: ClassVar[list[str]] = []

    @property
    def command(self) -> Command:
        """Return the description of the goofer command this management command runs."""
        return BY_NAME[self.goofer_command]

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        """Take the help text from the goofer command unless the subclass gives one."""
        if not self.help:
            self.help: str = self.command.help
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Add ``--database`` and the goofer command's own arguments and options."""
        parser.add_argument(
            "--database",
            metavar="ALIAS",
            help="Database alias from settings.DATABASES [default: GOOFER['DATABASE'], "
            "or GOOFER_DATABASE_URL when that is set].",
        )
        for argument in self.command.arguments:
            parser.add_argument(argument.name, metavar=argument.metavar, nargs="?")
        for option in self.command.options:
            help_text = option.help.replace("%", "%%")
            if option.kind == Kind.FLAG:
                parser.add_argument(
                    option.flag, dest=option.dest, action="store_true", help=help_text
                )
            else:  # values are converted and checked in handle(), as call_command passes them
                parser.add_argument(
                    option.flag, dest=option.dest, metavar=option.metavar, help=help_text
                )

    def handle(self, *args: Any, **options: Any) -> None:
        """Check the options, resolve the database, run the goofer command."""
        command = self.command
        given = {argument.name: options.get(argument.name) for argument in command.arguments}
        given.update((option.name, options.get(option.dest)) for option in command.options)
        target: Target | None = None
        try:
            values = command.values(given)
            target = run_settings(
                options["database"],
                source=f"--database {options['database']}",
                verbose=bool(options["traceback"]),
            )
            if target.alias is not None and command.name in CHANGES_DATABASE:
                require_allowed(target.alias)
            if options["verbosity"] >= 2:
                self.stdout.write(target.describe())
            quiet = options["verbosity"] == 0 and not command.prints_data
            code = command.run(
                Invocation(target.settings, self._silent if quiet else self._out, self._err),
                **values,
            )
        except UsageError as exc:
            raise CommandError(str(exc), returncode=2) from None
        except GooferError as exc:
            secrets = target.settings.secrets() if target is not None else []
            if options["traceback"]:
                self.stderr.write(redact(traceback.format_exc(), *secrets), ending="")
            message = target.settings.message(exc) if target is not None else str(exc)
            raise CommandError(message, returncode=1) from None
        if code:  # `goofer_check` found problems: exit 1, like migrate --check
            raise SystemExit(code)

    def _out(self, text: str) -> None:
        self.stdout.write(text)

    def _err(self, text: str) -> None:
        self.stderr.write(text)

    def _silent(self, text: str) -> None:
        """Print nothing (``--verbosity 0`` for a command whose output is only progress)."""
