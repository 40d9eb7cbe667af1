"""The one base class behind every ``manage.py goofer_*`` command.

Each command runs the core ``goofer`` click command of the same name with a ``DjangoSettings``
object as its context object, so parsing, validation and every line of output are the core's.
Django's side adds ``--database ALIAS``, ``--verbosity`` (0 silences progress), ``--no-color``
and ``--traceback``, and turns a ``GooferError`` into a one-line ``CommandError`` (exit 1).
"""

from __future__ import annotations

import argparse
import traceback
from contextlib import redirect_stderr, redirect_stdout
from typing import Any, ClassVar, TextIO, cast

import click
from django.core.management.base import BaseCommand, CommandError

from goofer_core.cli.click_app import cli
from goofer_core.errors import GooferError
from goofer_core.redaction import redact

from .arguments import add_click_params, click_argv
from .runs import DjangoSettings, run_settings


class _Stream:
    """A text stream that forwards to a Django ``OutputWrapper`` (or drops text when None)."""

    encoding = "utf-8"

    def __init__(self, out: Any) -> None:
        self._out = out

    def write(self, text: str) -> int:
        """Write ``text`` unchanged (no newline added, Django's style applied)."""
        if not isinstance(text, str):  # click probes streams with b"" to find binary ones
            raise TypeError("text stream")
        if self._out is not None:
            self._out.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        """Flush the wrapped stream."""
        if self._out is not None:
            self._out.flush()

    def isatty(self) -> bool:
        """Return whether the wrapped stream is a terminal."""
        return self._out is not None and bool(self._out.isatty())


class GooferCommand(BaseCommand):  # type: ignore[misc,unused-ignore]  # without django-stubs
    """Run the core command ``goofer_command`` on a Django database."""

    #: The name of the core click command in ``goofer_core.cli.cli``.
    goofer_command: ClassVar[str] = ""
    #: The command's output is its result (status, sql): printed even at --verbosity 0.
    prints_data: ClassVar[bool] = False
    # Checks would warn about the very migrations this command is about to apply.
    requires_system_checks: ClassVar[list[str]] = []

    def core_command(self) -> click.Command | None:
        """Return the core click command, or None if this Goofer does not have it."""
        return cli.commands.get(self.goofer_command)

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        """Take the help text from the core command unless the subclass gives one."""
        command = self.core_command()
        if not self.help and command is not None and command.help:
            self.help: str = command.help.split("\n\n")[0].strip()
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Add ``--database`` and the core command's own options."""
        parser.add_argument(
            "--database", metavar="ALIAS",
            help="Database alias from settings.DATABASES [default: GOOFER['DATABASE'], "
            "or GOOFER_DATABASE_URL when that is set].",
        )
        command = self.core_command()
        if command is not None:
            add_click_params(parser, command)

    def handle(self, *args: Any, **options: Any) -> None:
        """Resolve the settings, then run the core command with them."""
        command = self.core_command()
        name = self.__module__.rsplit(".", 1)[-1]
        if command is None:
            raise CommandError(f"{name}: this version of goofer_core.cli has no "
                               f"{self.goofer_command!r} command")
        settings: DjangoSettings | None = None
        try:
            settings = run_settings(options["database"],
                                    source=f"--database {options['database']}",
                                    verbose=bool(options["traceback"]))
            if options["verbosity"] >= 2:
                self.stdout.write(settings.describe())
            quiet = options["verbosity"] == 0 and not self.prints_data
            stdout = cast(TextIO, _Stream(None if quiet else self.stdout))
            stderr = cast(TextIO, _Stream(self.stderr))
            argv = click_argv(command, options)
            with redirect_stdout(stdout), redirect_stderr(stderr), \
                    command.make_context(name, argv, obj=settings) as ctx:
                command.invoke(ctx)
        except click.exceptions.Exit as exc:
            if exc.exit_code:  # `goofer_check` found problems: exit 1, like migrate --check
                raise SystemExit(exc.exit_code) from None
        except click.UsageError as exc:
            raise CommandError(exc.format_message(), returncode=2) from None
        except GooferError as exc:
            secrets = settings.secrets() if settings is not None else []
            if options["traceback"]:
                self.stderr.write(redact(traceback.format_exc(), *secrets), ending="")
            raise CommandError(redact(str(exc), *secrets), returncode=1) from None
