"""The ``goofer`` console script: the boot-time commands without click, everything else with it.

``goofer up``, ``goofer status``, ``goofer down`` and ``goofer check`` (a readiness probe) run
at every app boot or every few seconds, and on SQLite
importing click costs more than the command itself. ``main`` recognises exactly their
well-formed invocations and runs them with the same settings (``goofer_core.settings``) and
the same output (``goofer_core.output``) as the click commands. Any other argv (help, other
commands, ``--entities``, a usage error, a repeated option) goes to the click CLI in
``goofer_core.cli``, which stays the one definition of the command line; so this is an
accelerator, not a second parser. tests/unit/test_console.py checks both paths print the same.
"""

from __future__ import annotations

import os
import sys

from ..errors import GooferError
from ..redaction import redact
from .output import (
    CHECK_OK,
    applied_summary,
    check_failed,
    error_report,
    print_event,
    reverted_summary,
    status_json,
    status_table,
)
from .settings import Settings, resolve_settings

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TextIO

    from ..migrations.migrator import Event

# Group options before the command, then each command's options: option -> keyword argument.
GROUP_VALUES = {"--database-url": "database_url", "--dir": "directory", "--table": "table",
                "--lock-timeout": "lock_timeout"}
GROUP_FLAGS = {"--verbose": "verbose"}
COMMAND_VALUES = {"up": {"--to": "to"}, "status": {}, "down": {"--steps": "steps", "--to": "to"},
                  "check": {}}
COMMAND_FLAGS = {"up": {}, "status": {"--json": "as_json"}, "down": {"--all": "everything"},
                 "check": {}}


def read_options(
    args: list[str], start: int, values: dict[str, str], flags: dict[str, str],
    into: dict[str, Any],
) -> int | None:
    """Read ``--opt VALUE``, ``--opt=VALUE`` and flags from ``args[start:]`` into ``into``.

    Return the index of the first argument that is not an option, or None for what only click
    should answer: an unknown or repeated option, a missing value or one starting with ``-``,
    a flag given a value.
    """
    i = start
    while i < len(args) and args[i].startswith("-"):
        name, equals, value = args[i].partition("=")
        i += 1
        key = values.get(name) or flags.get(name)
        if key is None or key in into:
            return None
        if name in flags:
            if equals:
                return None
            into[key] = True
            continue
        if not equals:
            if i == len(args):
                return None
            value = args[i]
            i += 1
        if value.startswith("-"):
            return None
        into[key] = value
    return i


def recognise(args: list[str]) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
    """Return (command, group options, command options) for a boot-time argv, else None."""
    group: dict[str, Any] = {}
    i = read_options(args, 0, GROUP_VALUES, GROUP_FLAGS, group)
    if i is None or i == len(args) or args[i] not in COMMAND_VALUES:
        return None
    command = args[i]
    options: dict[str, Any] = {}
    if read_options(args, i + 1, COMMAND_VALUES[command], COMMAND_FLAGS[command],
                    options) != len(args):
        return None
    if command == "down":
        steps = options.get("steps")
        if steps is not None:
            if not (steps.isascii() and steps.isdigit() and int(steps) > 0):
                return None
            options["steps"] = int(steps)
        if len(options) > 1:  # click's "use only one of --steps, --to and --all"
            return None
    return command, group, options


def plain_environment() -> bool:
    """Return False where click would do more than parse: completion, Windows, ASCII streams."""
    if os.name == "nt" or os.environ.get("_GOOFER_COMPLETE"):
        return False
    import codecs

    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            if stream is not None and codecs.lookup(encoding).name == "ascii":
                return False  # click re-wraps such a stream as UTF-8
        except LookupError:
            pass
    return True


def echo(message: str, *, err: bool = False, nl: bool = True) -> None:
    """Print as ``click.echo`` does: text and newline, ANSI styles stripped off a tty, flushed."""
    stream: TextIO | None = sys.stderr if err else sys.stdout
    if stream is None:
        return
    text = message + "\n" if nl else message
    if "\x1b" in text and not _isatty(stream):
        import re

        text = re.sub(r"\033\[[0-?]*[ -/]*[@-~]", "", text)
    stream.write(text)
    stream.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except Exception:
        return False


def print_progress(event: Event) -> None:
    """Print one progress line (``goofer_core.output.print_event``)."""
    print_event(event, echo)


def up(settings: Settings, to: str | None = None) -> None:
    """Run ``goofer up``."""
    applied = settings.migrator(print_progress).up(to=to)
    echo(applied_summary(len(applied)))


def down(settings: Settings, steps: int | None = None, to: str | None = None,
         everything: bool = False) -> None:
    """Run ``goofer down``."""
    reverted = settings.migrator(print_progress).revert(steps or 1, to, everything)
    echo(reverted_summary(len(reverted)))


def status(settings: Settings, as_json: bool = False) -> None:
    """Run ``goofer status``."""
    statuses = settings.migrator().status()
    if as_json:
        echo(status_json(statuses))
    else:
        echo(redact(status_table(statuses), *settings.secrets()))


def check(settings: Settings) -> int:
    """Run ``goofer check`` (--verify and --shadow-url go to click); return 1 on a problem."""
    reasons = settings.check_reasons()
    secrets = settings.secrets()
    for reason in reasons:
        echo(redact(reason, *secrets))
    if reasons:
        echo(check_failed(len(reasons)), err=True)
        return 1
    echo(CHECK_OK)
    return 0


COMMANDS: dict[str, Callable[..., int | None]] = {
    "up": up, "down": down, "status": status, "check": check,
}


def run(command: str, group: dict[str, Any], options: dict[str, Any]) -> int:
    """Run a recognised command; return its exit code, printing a GooferError as click does."""
    settings = None
    try:
        settings = resolve_settings(group)
        code = COMMANDS[command](settings, **options)
    except GooferError as exc:
        secrets = settings.secrets() if settings else []
        verbose = settings is not None and settings.verbose
        echo(error_report(exc, secrets, traceback=verbose), err=True)
        return 1
    return code or 0


def main() -> None:
    """Run the goofer command: the boot-time commands here, anything else with click."""
    invocation = recognise(sys.argv[1:]) if plain_environment() else None
    if invocation is None:
        from .click_app import main as click_main

        click_main()
        return
    try:
        code = run(*invocation)
    except (EOFError, KeyboardInterrupt):
        echo("", err=True)  # as click: close the terminal's ^C echo, then say so
        echo("Aborted!", err=True)
        code = 1
    except BrokenPipeError:  # as click: `goofer status | head -1` ends quietly with 1
        devnull = os.open(os.devnull, os.O_WRONLY)
        for fd in (1, 2):  # later flushes (at exit) go nowhere instead of failing again
            os.dup2(devnull, fd)
        code = 1
    sys.exit(code)
