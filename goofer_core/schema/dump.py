"""A schema written out as DDL: what ``squash`` puts in the migration that replaces a history.

Each dialect's ``dump.py`` builds one from its catalogs (``Dialect.dump_schema``).
"""

from __future__ import annotations

from ..values import Record


class SchemaDump(Record):
    """Statements that create a schema in dependency order, and statements that drop it again.

    Each statement is complete SQL without its final ``;`` (added when written). ``notes`` are
    things the dump could not carry, for the user to check.
    """

    up: tuple[str, ...]
    down: tuple[str, ...]
    notes: tuple[str, ...] = ()

    def without(self, base: SchemaDump) -> SchemaDump:
        """Return this dump less the statements of ``base`` (the tables Goofer does not own)."""
        up, down = set(base.up), set(base.down)
        return SchemaDump(
            tuple(s for s in self.up if s not in up),
            tuple(s for s in self.down if s not in down),
            tuple(n for n in self.notes if n not in base.notes),
        )
