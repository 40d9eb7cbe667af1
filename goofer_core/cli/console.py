"""The ``goofer`` console script: well-formed commands run without click, the rest with it.

``goofer up`` runs at every app boot and ``goofer check`` every few seconds as a readiness probe;
importing click costs more than a no-op ``up`` on SQLite. So ``main`` parses the command line
itself, from the same descriptions the click group is built from (``commands``), and runs the
command's function with the same output. Whatever it does not take for certain (help, a usage
error, an unknown or repeated option, a value that looks like an option, shell completion) goes
to click (``click_app``), which then says exactly what click says.
"""

from __future__ import annotations

import os
import sys

from ..errors import GooferError
from .commands import BY_NAME, GROUP_OPTIONS
from .output import error_report
from .settings import resolve_settings
from .spec import Invocation, Kind, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, TextIO

    from .spec import Command, Option


def read_options(
    args: Sequence[str],
    start: int,
    options: Sequence[Option],
    into: dict[str, Any],
    positional: list[str] | None = None,
) -> int | None:
    """Read ``--opt VALUE``, ``--opt=VALUE`` and flags from ``args[start:]`` into ``into``.

    With ``positional``, other words are collected there and every argument is read; without,
    reading stops at the first word that is not an option, whose index is returned. None means
    only click should answer: an unknown or repeated option, a missing value or one starting
    with ``-``, a flag given a value, ``--``.
    """
    by_flag = {option.flag: option for option in options}
    i = start
    while i < len(args):
        arg = args[i]
        if not arg.startswith("-") or arg == "-":
            if positional is None:
                return i
            positional.append(arg)
            i += 1
            continue
        flag, equals, value = arg.partition("=")
        option = by_flag.get(flag)
        i += 1
        if option is None or option.name in into:
            return None
        if option.kind == Kind.FLAG:
            if equals:
                return None
            into[option.name] = True
            continue
        if not equals:
            if i == len(args):
                return None
            value = args[i]
            i += 1
        if value.startswith("-"):
            return None
        into[option.name] = value
    return i


def recognise(args: Sequence[str]) -> tuple[Command, dict[str, Any], dict[str, Any]] | None:
    """Return (command, group options, checked command values) for a well-formed argv, else None."""
    group: dict[str, Any] = {}
    i = read_options(args, 0, GROUP_OPTIONS, group)
    if i is None or i == len(args) or args[i] not in BY_NAME:
        return None
    command = BY_NAME[args[i]]
    given: dict[str, Any] = {}
    positional: list[str] = []
    if read_options(args, i + 1, command.options, given, positional) is None:
        return None
    if len(positional) != len(command.arguments):
        return None
    given.update(zip((a.name for a in command.arguments), positional, strict=True))
    try:
        values = command.values(given)
    except UsageError:
        return None  # click reports it, with the usage line
    return command, group, values


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


def echo(message: str, *, err: bool = False) -> None:
    """Print as ``click.echo`` does: text and newline, ANSI styles stripped off a tty, flushed."""
    stream: TextIO | None = sys.stderr if err else sys.stdout
    if stream is None:
        return
    text = message + "\n"
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


def _out(text: str) -> None:
    echo(text)


def _err(text: str) -> None:
    echo(text, err=True)


def run(command: Command, group: dict[str, Any], values: dict[str, Any]) -> int:
    """Run a recognised command; return its exit code, printing a GooferError as click does."""
    settings = None
    try:
        settings = resolve_settings(group)
        code = command.run(Invocation(settings, _out, _err), **values)
    except GooferError as exc:
        secrets = settings.secrets() if settings else []
        verbose = settings is not None and settings.verbose
        echo(error_report(exc, secrets, traceback=verbose), err=True)
        return 1
    return code or 0


def main() -> None:
    """Run the goofer command: a well-formed command here, anything else with click."""
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
