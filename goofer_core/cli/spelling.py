"""Messages in the words of the front-end the user typed: ``flask goofer``, ``manage.py goofer_*``.

The engine's messages name what to run or set the way the ``goofer`` command line spells it:
a command in quotes (``'goofer resolve 20240102000000 --applied'``) and a setting as its flag
and environment variable (``--entities / GOOFER_ENTITIES``). A front-end that spells them
otherwise gives its ``Spelling`` to the settings, and whatever prints a message passes it
through. Messages are the engine's only output, so this is the one place that knows both.
"""

from __future__ import annotations

import re

from ..values import Record

_COMMAND = re.compile(r"'goofer ([a-z]+)([^']*)'")
_SETTING = re.compile(r"--[a-z][a-z-]* / (GOOFER_[A-Z_]+)")


class Spelling(Record):
    """How one front-end writes commands and settings.

    ``command`` is a format with ``{command}`` and ``{args}`` (``args`` starts with a space when
    there are any); ``settings`` maps an environment variable to how the user sets it there. A
    setting it does not map is named by its environment variable alone, which every front-end
    reads.
    """

    command: str = "goofer {command}{args}"
    settings: tuple[tuple[str, str], ...] | None = None

    def respell(self, message: str) -> str:
        """Return ``message`` with its commands and settings respelled."""
        message = _COMMAND.sub(
            lambda m: "'" + self.command.format(command=m.group(1), args=m.group(2)) + "'",
            message,
        )
        if self.settings is None:
            return message
        names = dict(self.settings)
        return _SETTING.sub(lambda m: names.get(m.group(1), m.group(1)), message)


#: The ``goofer`` command line's own spelling: messages as the engine writes them.
GOOFER = Spelling()
