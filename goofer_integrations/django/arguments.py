"""Mirror a core click command's parameters as argparse arguments, and turn them back into argv.

Django parses management-command options with argparse (``call_command`` needs real argparse
destinations), while the core command must still parse and validate its own options (types,
ranges, "use only one of"). So the Django side only collects strings and flags, and the click
command gets them back as the argv it would have seen from the ``goofer`` command line.
"""

from __future__ import annotations

import argparse
from typing import Any

import click


def dest_of(opt: str) -> str:
    """Return argparse's destination for an option string: ``--rolled-back`` -> ``rolled_back``."""
    return opt.lstrip("-").replace("-", "_")


def _long_opt(param: click.Option) -> str:
    return next((o for o in param.opts if o.startswith("--")), param.opts[0])


def add_click_params(parser: argparse.ArgumentParser, command: click.Command) -> None:
    """Add one argparse argument per parameter of ``command`` (values stay unconverted)."""
    for param in command.params:
        if isinstance(param, click.Argument):
            parser.add_argument(
                param.name or "",
                metavar=param.metavar or (param.name or "").upper(),
                nargs="*" if param.nargs == -1 else ("?" if not param.required else
                                                     (None if param.nargs == 1 else "+")),
            )
        elif isinstance(param, click.Option):
            dest = dest_of(_long_opt(param))
            help_text = (param.help or "").replace("%", "%%")
            if param.is_flag:
                parser.add_argument(*param.opts, dest=dest, action="store_const", const=True,
                                    default=None, help=help_text)
                if param.secondary_opts:
                    parser.add_argument(*param.secondary_opts, dest=dest, action="store_const",
                                        const=False, default=None)
            else:
                parser.add_argument(
                    *param.opts, dest=dest, default=None, help=help_text,
                    metavar=param.metavar or (param.name or "value").upper(),
                    action="append" if param.multiple else "store",
                )


def click_argv(command: click.Command, options: dict[str, Any]) -> list[str]:
    """Return the argv for ``command`` from the options Django parsed (or call_command gave)."""
    argv: list[str] = []
    positional: list[str] = []
    for param in command.params:
        if isinstance(param, click.Argument):
            value = options.get(param.name or "")
            if value is not None:
                positional.extend(map(str, value) if isinstance(value, (list, tuple))
                                  else [str(value)])
        elif isinstance(param, click.Option):
            value = options.get(dest_of(_long_opt(param)))
            if value is None or (value is False and not param.secondary_opts):
                continue
            if param.is_flag:
                argv.append(param.opts[0] if value else param.secondary_opts[0])
            else:
                for item in value if isinstance(value, (list, tuple)) else [value]:
                    argv.extend([param.opts[0], str(item)])
    return [*argv, "--", *positional] if positional else argv
