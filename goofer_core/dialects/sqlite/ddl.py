"""SQLite DDL, with the table rebuild for every change its ALTER TABLE cannot make.

The rebuild follows https://www.sqlite.org/lang_altertable.html#otheralter: create the new
table, copy the rows, drop the old table, rename the new one, recreate indexes, triggers and
views, check foreign keys. It is written into the migration file so it can be reviewed.
Foreign key enforcement must be off while it runs: it is off on connections Goofer opens (the
sqlite3 default), and ``PRAGMA foreign_keys`` cannot change inside the migration's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ...schema.model import Column, ColumnType, Schema, Table
from ...schema.operations import (
    AddCheck,
    AddColumn,
    AddForeignKey,
    AlterColumn,
    CreateTable,
    DropCheck,
    DropColumn,
    DropForeignKey,
    DropTable,
    DropUnique,
    Operation,
    RenameColumn,
    RenameTable,
    apply_all,
)
from ...schema.render import Renderer, Step

_TYPES = {
    "integer": "INTEGER",
    "bigint": "BIGINT",
    "smallint": "SMALLINT",
    "text": "TEXT",
    "boolean": "BOOLEAN",
    "float": "REAL",
    "datetime": "TIMESTAMP",
    "date": "DATE",
    "time": "TIME",
    "binary": "BLOB",
    "uuid": "CHAR(36)",
    "json": "JSON",
}
_ALWAYS_REBUILT = (DropColumn, AlterColumn, AddForeignKey, DropForeignKey, AddCheck, DropCheck)
REBUILD_PREFIX = "_goofer_new_"
# With foreign keys enforced, dropping a referenced table would delete (CASCADE) or block on
# the rows that point at it, so a rebuild of such a table refuses to run: the insert violates
# the CHECK and the migration fails (and rolls back) before anything is dropped.
FOREIGN_KEYS_OFF_GUARD = [
    'CREATE TEMP TABLE "_goofer_guard" ("foreign_keys" INTEGER CONSTRAINT '
    '"foreign_keys_must_be_off_during_a_rebuild" CHECK ("foreign_keys" = 0))',
    'INSERT INTO "_goofer_guard" SELECT "foreign_keys" FROM pragma_foreign_keys',
    'DROP TABLE "_goofer_guard"',
]


class SQLiteRenderer(Renderer):
    """DDL for SQLite 3.25+ (RENAME COLUMN); other changes rebuild the table."""

    name = "sqlite"
    unique_as_index = True
    true_literal = "1"
    false_literal = "0"

    def type_sql(self, column_type: ColumnType) -> str:
        if column_type.kind == "string":
            return f"VARCHAR({column_type.length})"
        if column_type.kind == "decimal":
            return f"NUMERIC({column_type.precision}, {column_type.scale})"
        if column_type.kind == "other":
            return column_type.raw or ""
        return _TYPES[column_type.kind]

    def normalise_column(self, column: Column) -> Column:
        """Return ``column`` as SQLite stores it: an auto-increment key is always INTEGER."""
        if column.autoincrement and column.type.kind != "integer":
            return replace(column, type=ColumnType("integer"))
        return column

    def column_sql(self, column: Column, table: Table) -> str:
        if column.autoincrement:  # only an INTEGER PRIMARY KEY can be AUTOINCREMENT
            return f"{self.quote(column.name)} INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT"
        return super().column_sql(column, table)

    def primary_key_inline(self, table: Table) -> bool:
        return any(c.autoincrement for c in table.columns)

    def alter_column(self, op: AlterColumn) -> list[str]:
        raise AssertionError("SQLite alters columns by rebuilding the table")

    def needs_rebuild(self, op: Operation) -> bool:
        """Return whether SQLite's ALTER TABLE cannot make this change in place."""
        if isinstance(op, _ALWAYS_REBUILT):
            return True
        if isinstance(op, DropUnique):
            return op.unique.name is None  # an inline UNIQUE has no index to drop
        if isinstance(op, AddColumn):
            column = op.column
            constant = column.default is not None and column.default.kind == "literal"
            return (
                column.autoincrement
                or not (column.nullable or constant)
                or (column.default is not None and not constant)
            )
        return False

    def render_steps(self, operations: Sequence[Operation], schema: Schema) -> list[Step]:
        steps: list[Step] = []
        position = 0
        while position < len(operations):
            op = operations[position]
            if not self.needs_rebuild(op):
                steps.append(
                    Step(op.describe(), op.destructive, tuple(self.render_operation(op, schema)))
                )
                schema = op.apply(schema)
                position += 1
                continue
            group = [op]
            while position + len(group) < len(operations) and _joins_rebuild(
                operations[position + len(group)], op.table_name
            ):
                group.append(operations[position + len(group)])
            after = apply_all(schema, group)
            steps.append(self.rebuild_step(group, schema, after))
            schema = after
            position += len(group)
        return steps

    def rebuild_step(self, group: Sequence[Operation], before: Schema, after: Schema) -> Step:
        """Return the rebuild of one table that makes every change in ``group``."""
        name = group[0].table_name
        old, new = before.table(name), after.table(name)
        assert old is not None and new is not None
        description = (
            f"rebuild table {name}: SQLite cannot ALTER this in place "
            "(https://www.sqlite.org/lang_altertable.html#otheralter)"
        )
        return Step(
            description,
            any(op.destructive for op in group),
            tuple(self.rebuild_statements(old, new, after)),
            tuple((op.describe(), op.destructive) for op in group),
        )

    def rebuild_statements(self, old: Table, new: Table, schema: Schema) -> list[str]:
        """Return the statements of https://www.sqlite.org/lang_altertable.html#otheralter."""
        q, temp = self.quote, REBUILD_PREFIX + new.name
        views = [v for v in schema.views if new.name.lower() in v.sql.lower()]
        statements = [f"DROP VIEW {q(v.name)}" for v in views]
        if any(fk.ref_table == new.name for t in schema.tables for fk in t.foreign_keys):
            statements += FOREIGN_KEYS_OFF_GUARD
        statements.append(self.create_table_sql(new, temp))
        kept = self.quote_list([c.name for c in new.columns if old.column(c.name) is not None])
        if kept:
            statements.append(f"INSERT INTO {q(temp)} ({kept}) SELECT {kept} FROM {q(new.name)}")
        statements.append(f"DROP TABLE {q(new.name)}")
        statements.append(f"ALTER TABLE {q(temp)} RENAME TO {q(new.name)}")
        statements += self.create_table(new)[1:]
        statements += list(new.triggers)
        statements += [v.sql for v in views]
        statements.append(f"PRAGMA foreign_key_check({q(new.name)})")
        return statements


def _joins_rebuild(op: Operation, table: str) -> bool:
    """Return whether ``op`` can be folded into a rebuild of ``table`` that comes just before.

    The rebuild copies columns by name, so renames and table-level operations stay separate.
    """
    return op.table_name == table and not isinstance(
        op, (CreateTable, DropTable, RenameTable, RenameColumn)
    )
