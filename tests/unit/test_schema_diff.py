"""The diff: which operations, in which order; reverse(); renames and their warnings."""

from __future__ import annotations

import pytest

from goofer_core.generate.diff import diff_schemas
from goofer_core.schema.model import (
    CheckConstraint,
    Column,
    ColumnType,
    Default,
    ForeignKey,
    Index,
    RenameHints,
    Schema,
    Table,
    UniqueConstraint,
)
from goofer_core.schema.operations import (
    AddColumn,
    AlterColumn,
    CreateTable,
    DropColumn,
    DropTable,
    RenameColumn,
    RenameTable,
    apply_all,
    is_narrowing,
    reverse_all,
)

INT = ColumnType("integer")
ID = Column("id", INT, False, None, True)


def table(name: str, *columns: Column, fks: tuple[ForeignKey, ...] = (), **kw: object) -> Table:
    return Table(name, (ID, *columns), ("id",), foreign_keys=fks, **kw)  # type: ignore[arg-type]


def fk(column: str, target: str, on_delete: str = "NO ACTION") -> ForeignKey:
    return ForeignKey(f"fk_{column}", (column,), target, ("id",), on_delete)


def described(current: Schema, target: Schema, hints: RenameHints | None = None) -> list[str]:
    return [op.describe() for op in diff_schemas(current, target, hints).operations]


def test_identical_schemas_have_no_operations() -> None:
    schema = Schema((table("a", Column("x", INT, True, Default("literal", "1"))),))
    assert described(schema, schema) == []


def test_names_of_indexes_and_foreign_keys_do_not_matter() -> None:
    a = table(
        "a",
        Column("x", INT),
        indexes=(Index("ix_one", ("x",)),),
        uniques=(UniqueConstraint(None, ("x",)),),
    )
    b = table(
        "a",
        Column("x", INT),
        indexes=(Index("ix_two", ("x",)),),
        uniques=(UniqueConstraint("uq_a_x", ("x",)),),
    )
    parent = table("p")
    assert described(Schema((parent, a)), Schema((parent, b))) == []
    with_fk = table("c", Column("p_id", INT), fks=(fk("p_id", "p"),))
    unnamed = table("c", Column("p_id", INT), fks=(ForeignKey(None, ("p_id",), "p", ("id",)),))
    assert described(Schema((parent, unnamed)), Schema((parent, with_fk))) == []


def test_sql_defaults_compare_loosely() -> None:
    a = table("a", Column("x", INT, True, Default("sql", "(abs( -1 ))")))
    b = table("a", Column("x", INT, True, Default("sql", "ABS(-1)")))
    assert described(Schema((a,)), Schema((b,))) == []


def test_tables_are_created_parents_first_and_dropped_children_first() -> None:
    parent, child = table("parent"), table("child", Column("p", INT), fks=(fk("p", "parent"),))
    grandchild = table("grandchild", Column("c", INT), fks=(fk("c", "child"),))
    target = Schema((grandchild, child, parent))
    assert described(Schema(), target) == [
        "create table parent",
        "create table child",
        "create table grandchild",
    ]
    drops = described(target, Schema())
    assert [d.split(" (")[0] for d in drops] == [
        "drop table grandchild",
        "drop table child",
        "drop table parent",
    ]


def test_cycles_are_broken_with_separate_foreign_keys() -> None:
    a = table("a", Column("b_id", INT), fks=(fk("b_id", "b"),))
    b = table("b", Column("a_id", INT), fks=(fk("a_id", "a"),))
    ops = described(Schema(), Schema((a, b)))
    assert ops == ["create table a", "create table b", "add foreign key a (b_id) -> b"]
    assert [d.split(" (")[0] for d in described(Schema((a, b)), Schema())] == [
        "drop foreign key a",
        "drop foreign key b",
        "drop table a",
        "drop table b",
    ]


def test_foreign_keys_to_dropped_tables_go_before_the_drop() -> None:
    old = Schema((table("gone"), table("kept", Column("g", INT), fks=(fk("g", "gone"),))))
    new = Schema((table("kept", Column("g", INT)),))
    assert [d.split(" (")[0] for d in described(old, new)] == [
        "drop foreign key kept",
        "drop table gone",
    ]


def test_column_changes() -> None:
    old = Schema(
        (
            table(
                "t",
                Column("a", INT),
                Column("b", ColumnType("string", length=9)),
                Column("gone", INT),
            ),
        )
    )
    new = Schema(
        (
            table(
                "t",
                Column("a", INT, False),
                Column("b", ColumnType("string", length=3)),
                Column("new", ColumnType("text")),
            ),
        )
    )
    ops = diff_schemas(old, new).operations
    assert [type(op) for op in ops] == [AddColumn, AlterColumn, AlterColumn, DropColumn]
    assert [op.destructive for op in ops] == [False, False, True, True]


def test_a_rename_hint_renames_and_a_lookalike_is_warned_about() -> None:
    old = Schema((table("people", Column("name", INT)),))
    new = Schema((table("persons", Column("full_name", INT)),))
    plain = diff_schemas(old, new)
    assert (
        any(
            "if this is a rename, declare register_entity(renamed_from='people')" in w
            for w in plain.warnings
        )
        is False
    )  # columns differ, so no table lookalike
    same_columns = Schema((table("persons", Column("name", INT)),))
    assert any("renamed_from='people'" in w for w in diff_schemas(old, same_columns).warnings)
    hinted = diff_schemas(
        old, new, RenameHints((("persons", "people"),), (("persons", "full_name", "name"),))
    )
    assert hinted.operations == [
        RenameTable("people", "persons"),
        RenameColumn("persons", "name", "full_name"),
    ]
    lookalike = Schema((table("people", Column("full_name", INT)),))
    warnings = diff_schemas(old, lookalike).warnings
    assert warnings == [
        "column people.name is dropped and people.full_name added with the same "
        "type: if this is a rename, declare column(renamed_from='name') to keep "
        "the values"
    ]


def test_a_stale_rename_hint_is_ignored() -> None:
    schema = Schema((table("persons", Column("full_name", INT)),))
    hints = RenameHints((("persons", "people"),), (("persons", "full_name", "name"),))
    assert described(schema, schema, hints) == []


def test_rename_table_updates_references() -> None:
    schema = Schema((table("p"), table("c", Column("p_id", INT), fks=(fk("p_id", "p"),))))
    renamed = RenameTable("p", "parents").apply(schema)
    child = renamed.table("c")
    assert child is not None and child.foreign_keys[0].ref_table == "parents"


@pytest.mark.parametrize("hints", [None, RenameHints((("b", "a"),), (("b", "y", "x"),))])
def test_reverse_undoes_every_operation(hints: RenameHints | None) -> None:
    before = Schema(
        (
            table(
                "a",
                Column("x", INT),
                Column("old", INT, True),
                indexes=(Index("ix_a_x", ("x",)),),
                checks=(CheckConstraint("ck", "x > 0"),),
            ),
            table("z"),
        )
    )
    after = Schema(
        (
            table(
                "b",
                Column("y", ColumnType("bigint"), False, Default("literal", "0")),
                Column("new", INT),
                uniques=(UniqueConstraint("uq_b_y", ("y",)),),
                fks=(fk("new", "n"),),
            ),
            table("n"),
        )
    )
    ops = diff_schemas(before, after, hints).operations
    assert _same(apply_all(before, ops), after)
    assert _same(apply_all(apply_all(before, ops), reverse_all(ops)), before)


def _same(a: Schema, b: Schema) -> bool:
    return diff_schemas(a, b).operations == []


def test_reverse_pairs() -> None:
    t = table("t")
    assert CreateTable(t).reverse() == DropTable(t)
    assert DropTable(t).reverse().reverse() == DropTable(t)
    column = Column("c", INT)
    assert AddColumn("t", column).reverse() == DropColumn("t", column)
    assert RenameColumn("t", "a", "b").reverse() == RenameColumn("t", "b", "a")
    wide, narrow = Column("c", ColumnType("bigint")), Column("c", INT)
    assert AlterColumn("t", narrow, wide).reverse() == AlterColumn("t", wide, narrow)


@pytest.mark.parametrize(
    ("old", "new", "narrowing"),
    [
        (ColumnType("string", length=10), ColumnType("string", length=20), False),
        (ColumnType("string", length=20), ColumnType("string", length=10), True),
        (ColumnType("string", length=20), ColumnType("text"), False),
        (ColumnType("text"), ColumnType("string", length=20), True),
        (ColumnType("integer"), ColumnType("bigint"), False),
        (ColumnType("bigint"), ColumnType("integer"), True),
        (
            ColumnType("decimal", precision=10, scale=2),
            ColumnType("decimal", precision=12, scale=2),
            False,
        ),
        (
            ColumnType("decimal", precision=10, scale=2),
            ColumnType("decimal", precision=10, scale=1),
            True,
        ),
        (ColumnType("float"), ColumnType("integer"), True),
    ],
)
def test_narrowing(old: ColumnType, new: ColumnType, narrowing: bool) -> None:
    assert is_narrowing(old, new) is narrowing
