"""Every goofer command, described once: its options, their checks, its help and its function.

The click group (``goofer``, ``flask goofer``), the console script's fast path and Django's
``manage.py goofer_*`` commands are all built from ``GROUP_OPTIONS`` and ``COMMANDS``: adding
an option is one edit in the module of its command. A command's function gets an
``Invocation`` (the settings, and where to print) and the option values by name; it returns the
exit code (None for 0) and raises GooferError for a failure. What it imports beyond the boot
path (generate, verify) it imports when it runs.

- ``common``: the options before the command, and the run's Migrator and generator;
- ``running``: up, down, status, sql, resolve (a database's migrations);
- ``schema``: check, generate, verify (entities and scratch databases);
- ``adopt``: baseline, import (a database or history that did not start with Goofer).
- ``squash``: squash (a history rewritten as one migration).
"""

from __future__ import annotations

from . import adopt, running, schema, squash
from .common import GROUP_HELP, GROUP_OPTIONS

__all__ = ["BY_NAME", "COMMANDS", "GROUP_HELP", "GROUP_OPTIONS"]

COMMANDS = running.COMMANDS + schema.COMMANDS + adopt.COMMANDS + squash.COMMANDS
#: The commands by name.
BY_NAME = {command.name: command for command in COMMANDS}
