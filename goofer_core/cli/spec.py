"""How a command is described: its arguments, options, their checks, its help and its function.

``cli.commands`` describes every command once with these types; each front-end reads the
descriptions: the click group (``click_app``, reused by ``flask goofer``), the console script's
fast path (``console``) and Django's management commands. Click-free, so reading them costs
nothing at boot.
"""

from __future__ import annotations

from ..values import Choice, Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    from .settings import Settings


class UsageError(Exception):
    """The command line is wrong (exit code 2); the message says how."""


class Kind(Choice):
    """What an option's value is."""

    TEXT = "text"
    INT = "int"  # a whole number, at least ``minimum`` when one is set
    FLAG = "flag"  # no value: True when given


class Option(Record):
    """One ``--option`` of a command or of the goofer group."""

    flag: str  # as typed: "--steps"
    name: str  # the keyword argument it becomes: "steps"
    help: str
    kind: Kind = Kind.TEXT
    metavar: str | None = None
    minimum: int | None = None
    default: Any = None  # when not given (a flag's is False)

    @property
    def dest(self) -> str:
        """Return the name derived from the flag (``--rolled-back`` -> ``rolled_back``)."""
        return self.flag.lstrip("-").replace("-", "_")

    def convert(self, value: Any) -> Any:
        """Return the option's value from what was typed (or passed); raise UsageError.

        The messages are click's, so every front-end reports a bad value alike.
        """
        if value is None:
            return False if self.kind == Kind.FLAG else self.default
        if self.kind == Kind.FLAG:
            return bool(value)
        if self.kind == Kind.TEXT:
            return str(value)
        if isinstance(value, str):
            text = value.strip()
            if not (text.lstrip("+-").isascii() and text.lstrip("+-").isdigit()):
                raise UsageError(
                    f"Invalid value for '{self.flag}': {value!r} is not a valid integer."
                )
            value = int(text)
        if isinstance(value, bool) or not isinstance(value, int):
            raise UsageError(f"Invalid value for '{self.flag}': {value!r} is not a valid integer.")
        if self.minimum is not None and value < self.minimum:
            raise UsageError(
                f"Invalid value for '{self.flag}': {value} is not in the range x>={self.minimum}."
            )
        return value


class Argument(Record):
    """A positional argument of a command."""

    name: str  # the keyword argument it becomes
    metavar: str


class OneOf(Record):
    """Options of which at most one may be given, and, when ``required`` is set, at least one."""

    names: tuple[str, ...]
    required: str | None = None  # the usage error when none is given

    def check(self, command: Command, values: Mapping[str, Any]) -> None:
        """Raise UsageError when more than one (or, if required, none) of the options is given."""
        given = [name for name in self.names if values.get(name) not in (None, False)]
        if len(given) > 1:
            flags = [command.option(name).flag for name in self.names]
            listed = ", ".join(flags[:-1]) + " and " + flags[-1]
            raise UsageError(f"use only one of {listed}")
        if not given and self.required:
            raise UsageError(self.required)


class Invocation(Record):
    """What a command's function gets besides its options: the settings and where to print."""

    settings: Settings
    out: Callable[[str], None]  # print one message (a line, or several) on standard output
    err: Callable[[str], None]  # the same, on standard error


class Command(Record):
    """One command: what it is called, what it takes, and the function that runs it.

    ``run(invocation, **values)`` returns the exit code (None for 0); it raises GooferError on
    failure, which each front-end prints as one ``error:`` line with exit code 1.
    """

    name: str
    run: Callable[..., int | None]
    help: str
    arguments: tuple[Argument, ...] = ()
    options: tuple[Option, ...] = ()
    one_of: tuple[OneOf, ...] = ()
    #: Its output is its result (status, sql, verify), printed even when progress is silenced.
    prints_data: bool = False

    def option(self, name: str) -> Option:
        """Return the option whose keyword argument is ``name``."""
        return next(option for option in self.options if option.name == name)

    def values(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """Return every argument's and option's value from ``given`` (by name), checked.

        Missing options take their default; raises UsageError for a bad value or combination.
        """
        values = {argument.name: given.get(argument.name) for argument in self.arguments}
        for argument in self.arguments:
            if values[argument.name] is None:
                raise UsageError(f"Missing argument '{argument.metavar}'.")
        values.update((o.name, o.convert(given.get(o.name))) for o in self.options)
        for rule in self.one_of:
            rule.check(self, values)
        return values
