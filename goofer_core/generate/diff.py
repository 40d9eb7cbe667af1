"""Compare two schemas and return the operations, in dependency order, that turn one into the other.

Order: renames; foreign keys to dropped tables; dropped tables (children first); then per
existing table, together, its dropped keys, checks, uniques and indexes, its column changes and
its new checks, uniques, indexes and keys; new tables (parents first); last, foreign keys to
the new tables. Pure functions, no database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from ..schema.model import RenameHints, Schema, Table
from ..schema.operations import (
    AddCheck,
    AddColumn,
    AddForeignKey,
    AddUnique,
    AlterColumn,
    CreateIndex,
    CreateTable,
    DropCheck,
    DropColumn,
    DropForeignKey,
    DropIndex,
    DropTable,
    DropUnique,
    Operation,
    RenameColumn,
    RenameTable,
)

Item = TypeVar("Item")


@dataclass
class Diff:
    """The operations that turn the migrations' schema into the entities', and warnings."""

    operations: list[Operation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    state: Schema = field(default_factory=Schema)

    def emit(self, op: Operation) -> None:
        """Append ``op`` and advance the schema it applies to."""
        self.operations.append(op)
        self.state = op.apply(self.state)


def diff_schemas(current: Schema, target: Schema, hints: RenameHints | None = None) -> Diff:
    """Return the operations that turn ``current`` into ``target``."""
    diff = Diff(state=current)
    _renames(diff, target, hints or RenameHints())
    common = [t for t in target.tables if diff.state.table(t.name) is not None]
    dropped = [t for t in diff.state.tables if target.table(t.name) is None]
    created = [t for t in target.tables if diff.state.table(t.name) is None]
    for wanted in common:  # keys to tables about to be dropped go first
        _drop_foreign_keys(diff, wanted, {t.name for t in dropped})
    _drop_tables(diff, dropped)
    for wanted in common:
        _alter_table(diff, wanted, {t.name for t in created})
    deferred = _create_tables(diff, created)
    for wanted in common:  # keys to the new tables come last
        _add_foreign_keys(diff, wanted, None)
    for table_name, fk in deferred:
        diff.emit(AddForeignKey(table_name, fk))
    _warn_table_renames(diff, dropped, created)
    return diff


def _renames(diff: Diff, target: Schema, hints: RenameHints) -> None:
    for wanted in target.tables:
        old = hints.old_table(wanted.name)
        if old and diff.state.table(wanted.name) is None and diff.state.table(old) is not None:
            diff.emit(RenameTable(old, wanted.name))
    for wanted in target.tables:
        for column in wanted.columns:
            old = hints.old_column(wanted.name, column.name)
            table = diff.state.table(wanted.name)
            if old and table and table.column(column.name) is None and table.column(old):
                diff.emit(RenameColumn(wanted.name, old, column.name))


def _unmatched(
    have: Sequence[Item], want: Sequence[Item], key: Callable[[Item], Any]
) -> tuple[list[Item], list[Item]]:
    """Return (items of ``have`` without a match in ``want``, items of ``want`` without one)."""
    remaining = list(want)
    extra = []
    for item in have:
        match = next((w for w in remaining if key(w) == key(item)), None)
        if match is None:
            extra.append(item)
        else:
            remaining.remove(match)
    return extra, remaining


def _current(diff: Diff, name: str) -> Table:
    table = diff.state.table(name)
    assert table is not None
    return table


def _drop_foreign_keys(diff: Diff, wanted: Table, only_to: set[str] | None) -> None:
    """Drop the keys of ``wanted`` the entities do not declare (only those to ``only_to``)."""
    have = _current(diff, wanted.name)
    extra, _ = _unmatched(have.foreign_keys, wanted.foreign_keys, lambda fk: fk.key())
    for fk in extra:
        if only_to is None or fk.ref_table in only_to:
            diff.emit(DropForeignKey(wanted.name, fk))


def _add_foreign_keys(diff: Diff, wanted: Table, not_to: set[str] | None) -> None:
    """Add the keys of ``wanted`` the table lacks (except those to tables in ``not_to``)."""
    have = _current(diff, wanted.name)
    _, missing = _unmatched(have.foreign_keys, wanted.foreign_keys, lambda fk: fk.key())
    for fk in missing:
        if not_to is None or fk.ref_table not in not_to:
            diff.emit(AddForeignKey(wanted.name, fk))


def _drop_tables(diff: Diff, dropped: list[Table]) -> None:
    """Drop tables children first; foreign keys in a cycle are dropped before the tables."""
    pending = {t.name for t in dropped}
    while pending:
        ready = [
            n
            for n in sorted(pending)
            if not any(
                fk.ref_table == n and other != n
                for other in pending
                for fk in _current(diff, other).foreign_keys
            )
        ]
        if not ready:  # a cycle: drop the foreign keys between the remaining tables first
            for name in sorted(pending):
                for fk in _current(diff, name).foreign_keys:
                    if fk.ref_table in pending and fk.ref_table != name:
                        diff.emit(DropForeignKey(name, fk))
            continue
        for name in ready:
            diff.emit(DropTable(_current(diff, name)))
            pending.discard(name)


def _alter_table(diff: Diff, wanted: Table, created: set[str]) -> None:
    """Change one existing table; everything on it stays together (one SQLite rebuild)."""
    _drop_foreign_keys(diff, wanted, None)
    have = _current(diff, wanted.name)
    name = wanted.name
    extra_checks, new_checks = _unmatched(have.checks, wanted.checks, lambda c: c.key())
    extra_uniques, new_uniques = _unmatched(have.uniques, wanted.uniques, lambda u: u.key())
    extra_indexes, new_indexes = _unmatched(have.indexes, wanted.indexes, lambda i: i.key())
    for check in extra_checks:
        diff.emit(DropCheck(name, check))
    for unique in extra_uniques:
        diff.emit(DropUnique(name, unique))
    for index in extra_indexes:
        diff.emit(DropIndex(name, index))
    _alter_columns(diff, have, wanted)
    if have.primary_key != wanted.primary_key:
        diff.warnings.append(
            f"table {name}: the primary key changes from ({', '.join(have.primary_key)}) to "
            f"({', '.join(wanted.primary_key)}); Goofer does not generate that, write it by hand"
        )
    for check in new_checks:
        diff.emit(AddCheck(name, check))
    for unique in new_uniques:
        diff.emit(AddUnique(name, unique))
    for index in new_indexes:
        diff.emit(CreateIndex(name, index))
    _add_foreign_keys(diff, wanted, created)


def _alter_columns(diff: Diff, have: Table, wanted: Table) -> None:
    name = wanted.name
    added = [c for c in wanted.columns if have.column(c.name) is None]
    removed = [c for c in have.columns if wanted.column(c.name) is None]
    for column in added:
        diff.emit(AddColumn(name, column))
    for column in wanted.columns:
        old = have.column(column.name)
        if old is not None and old.key() != column.key():
            diff.emit(AlterColumn(name, old, column))
    for column in removed:
        diff.emit(DropColumn(name, column))
    for gone in removed:
        for new in added:
            if gone.type == new.type:
                diff.warnings.append(
                    f"column {name}.{gone.name} is dropped and {name}.{new.name} added with the "
                    f"same type: if this is a rename, declare "
                    f"column(renamed_from={gone.name!r}) to keep the values"
                )


def _create_tables(diff: Diff, created: list[Table]) -> list[tuple[str, Any]]:
    """Create tables parents first; return foreign keys that must wait for a later table."""
    pending = {t.name: t for t in created}
    deferred: list[tuple[str, Any]] = []
    while pending:
        ready = [
            t
            for n, t in pending.items()
            if all(fk.ref_table == n or fk.ref_table not in pending for fk in t.foreign_keys)
        ]
        if not ready:  # a cycle: create one table without its forward foreign keys
            table = pending[min(pending)]
            forward = [
                fk
                for fk in table.foreign_keys
                if fk.ref_table in pending and fk.ref_table != table.name
            ]
            deferred += [(table.name, fk) for fk in forward]
            ready = [
                replace(
                    table, foreign_keys=tuple(fk for fk in table.foreign_keys if fk not in forward)
                )
            ]
        for table in ready:
            diff.emit(CreateTable(table))
            del pending[table.name]
    return deferred


def _warn_table_renames(diff: Diff, dropped: list[Table], created: list[Table]) -> None:
    for gone in dropped:
        for new in created:
            if set(gone.column_names()) == set(new.column_names()):
                diff.warnings.append(
                    f"table {gone.name} is dropped and {new.name} created with the same columns: "
                    f"if this is a rename, declare register_entity(renamed_from={gone.name!r}) "
                    "to keep the rows"
                )
