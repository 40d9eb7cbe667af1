"""Entity declaration: what a dataclass turns into, and the errors that name entity and field."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Optional

import pytest

from goofer_core.dialects import get_dialect
from goofer_core.errors import GooferError
from goofer_core.generate import (
    NOW,
    Check,
    EntityDefinitionError,
    Index,
    Registry,
    Sql,
    Unique,
    column,
)
from goofer_core.schema import model


class Size(enum.Enum):
    SMALL = "s"
    LARGE = "large"


def table_of(reg: Registry, name: str, dialect: str = "sqlite") -> model.Table:
    schema, _ = reg.build_schema(get_dialect(dialect).renderer())
    table = schema.table(name)
    assert table is not None
    return table


def test_every_type_maps_to_a_column_type() -> None:
    reg = Registry()

    @reg.register_entity
    @dataclass
    class Everything:
        id: int = column(primary_key=True)
        a: str = column(max_length=20)
        b: str = ""
        c: bool = False
        d: float = 0.5
        e: Decimal = column(precision=10, scale=2, default=Decimal("1.5"))
        f: Optional[datetime] = None  # noqa: UP045 - both spellings are supported
        g: date | None = None
        h: time | None = None
        i: bytes | None = None
        j: uuid.UUID | None = None
        k: dict[str, Any] = column(default_factory=dict)
        m: list[int] = column(default_factory=list)
        n: Size = Size.SMALL
        o: int = column(big=True, default=0)

    table = table_of(reg, "everything")
    kinds = {c.name: c.type for c in table.columns}
    ct = model.ColumnType
    assert kinds == {
        "id": ct("integer"),
        "a": ct("string", length=20),
        "b": ct("text"),
        "c": ct("boolean"),
        "d": ct("float"),
        "e": ct("decimal", precision=10, scale=2),
        "f": ct("datetime"),
        "g": ct("date"),
        "h": ct("time"),
        "i": ct("binary"),
        "j": ct("uuid"),
        "k": ct("json"),
        "m": ct("json"),
        "n": ct("string", length=5),
        "o": ct("bigint"),
    }
    nullable = {c.name for c in table.columns if c.nullable}
    assert nullable == {"f", "g", "h", "i", "j"}
    assert table.column("id") == model.Column("id", model.ColumnType("integer"), False, None, True)
    assert table.column("e").default == model.Default("literal", "1.50")  # type: ignore[union-attr]
    assert table.column("n").default == model.Default("literal", "s")  # type: ignore[union-attr]
    assert table.column("k").default is None  # type: ignore[union-attr]
    assert table.checks == (model.CheckConstraint(table.checks[0].name, "\"n\" IN ('s', 'large')"),)


def test_options_become_keys_indexes_and_constraints() -> None:
    reg = Registry()

    @reg.register_entity(table="customers")
    @dataclass
    class Customer:
        id: int = column(primary_key=True)
        email: str = column(max_length=200, unique=True)

    @reg.register_entity(
        table="orders",
        indexes=[Index("customer_id", "placed_at")],
        uniques=[Unique("customer_id", "number")],
        checks=[Check("number > 0", name="positive_number")],
    )
    @dataclass
    class Order:
        id: int = column(primary_key=True)
        customer_id: int = column(foreign_key=Customer, on_delete="cascade", index=True)
        number: int = column(name="order_number")
        placed_at: datetime = column(server_default=NOW)
        token: str = column(max_length=36, server_default=Sql("lower(hex(randomblob(18)))"))

    customers, orders = table_of(reg, "customers"), table_of(reg, "orders")
    assert customers.uniques == (model.UniqueConstraint("uq_customers_email", ("email",)),)
    assert orders.foreign_keys == (
        model.ForeignKey(
            "fk_orders_customer_id_customers", ("customer_id",), "customers", ("id",), "CASCADE"
        ),
    )
    assert orders.indexes == (
        model.Index("ix_orders_customer_id", ("customer_id",)),
        model.Index("ix_orders_customer_id_placed_at", ("customer_id", "placed_at")),
    )
    assert orders.uniques == (
        model.UniqueConstraint(
            "uq_orders_customer_id_order_number", ("customer_id", "order_number")
        ),
    )
    assert orders.checks == (model.CheckConstraint("positive_number", "number > 0"),)
    assert orders.column("placed_at").default == model.Default("now")  # type: ignore[union-attr]
    assert orders.column("token").default == model.Default(  # type: ignore[union-attr]
        "sql", "lower(hex(randomblob(18)))"
    )


def test_composite_primary_key_has_no_autoincrement() -> None:
    reg = Registry()

    @reg.register_entity(table="lines")
    @dataclass
    class Line:
        order_id: int = column(primary_key=True)
        position: int = column(primary_key=True)

    table = table_of(reg, "lines")
    assert table.primary_key == ("order_id", "position")
    assert not any(c.autoincrement for c in table.columns)


def test_decorator_forms_and_plain_classes() -> None:
    reg = Registry()

    @reg.register_entity
    class PlainThing:  # not a dataclass: annotations and class attributes are enough
        id: int = column(primary_key=True)
        label: str | None = "x"

    assert PlainThing in reg
    table = table_of(reg, "plain_thing")
    assert table.column("label") == model.Column(
        "label", model.ColumnType("text"), True, model.Default("literal", "x")
    )


def test_renamed_from_hints_are_collected() -> None:
    reg = Registry()

    @reg.register_entity(table="people", renamed_from="persons")
    @dataclass
    class Person:
        id: int = column(primary_key=True)
        full_name: str = column(renamed_from="name", default="")

    _, hints = reg.build_schema(get_dialect("sqlite").renderer())
    assert hints.old_table("people") == "persons"
    assert hints.old_column("people", "full_name") == "name"


def test_generated_names_fit_postgresql() -> None:
    reg = Registry()
    long_name = "a_really_long_column_name_that_goes_on_and_on"

    @reg.register_entity(table="a_table_with_a_fairly_long_name")
    @dataclass
    class Wide:
        id: int = column(primary_key=True)
        a_really_long_column_name_that_goes_on_and_on: int = column(index=True)

    index = table_of(reg, "a_table_with_a_fairly_long_name", "postgresql").indexes[0]
    assert index.columns == (long_name,)
    assert len(index.name.encode()) == 63
    assert index.name.startswith("ix_a_table_with_a_fairly_long_name_a_really")


@pytest.mark.parametrize(
    ("declare", "message"),
    [
        ("unknown_type", "entity Bad, field when: type complex has no column type"),
        ("no_decimal_precision", "entity Bad, field price: Decimal needs precision and scale"),
        ("union", "entity Bad, field when: type "),
        ("optional_pk", "entity Bad, field id: a primary key cannot be Optional"),
        ("bad_default", "entity Bad, field when: 'soon' is not a valid default"),
        ("bad_on_delete", "entity Bad, field when: on_delete 'EXPLODE' is not one of"),
        ("no_pk", "entity Bad: has no primary key"),
        ("unknown_index_field", "entity Bad, field nope: Index"),
        ("now_on_int", "entity Bad, field when: NOW needs a datetime field"),
    ],
)
def test_invalid_definitions_name_entity_and_field(declare: str, message: str) -> None:
    reg = Registry()
    with pytest.raises(EntityDefinitionError) as info:
        cls, options = _bad_entity(declare)
        reg.register_entity(cls, **options)
        reg.build_schema(get_dialect("sqlite").renderer())
    assert str(info.value).startswith(message)
    assert isinstance(info.value, GooferError)


def _bad_entity(kind: str) -> tuple[type, dict[str, Any]]:
    namespace: dict[str, Any] = {"__annotations__": {"id": int}, "id": column(primary_key=True)}
    options: dict[str, Any] = {}
    hints = namespace["__annotations__"]
    if kind == "unknown_type":
        hints["when"] = complex
    elif kind == "no_decimal_precision":
        hints["price"] = Decimal
    elif kind == "union":
        hints["when"] = int | str
    elif kind == "optional_pk":
        hints["id"] = Optional[int]  # noqa: UP045
    elif kind == "bad_default":
        hints["when"] = datetime
        namespace["when"] = "soon"
    elif kind == "bad_on_delete":
        hints["when"] = int
        namespace["when"] = column(on_delete="explode")
    elif kind == "no_pk":
        namespace["id"] = 0
    elif kind == "unknown_index_field":
        options["indexes"] = [Index("nope")]
    elif kind == "now_on_int":
        hints["when"] = int
        namespace["when"] = column(server_default=NOW)
    return type("Bad", (), namespace), options


def test_foreign_key_to_an_unregistered_entity() -> None:
    class Elsewhere:
        id: int = column(primary_key=True)

    reg = Registry()

    @reg.register_entity
    class Comment:
        id: int = column(primary_key=True)
        post_id: int = column(foreign_key=Elsewhere)

    with pytest.raises(
        EntityDefinitionError,
        match=r"^entity Comment, field post_id: foreign key "
        r"to Elsewhere, which is not a registered",
    ):
        reg.build_schema(get_dialect("sqlite").renderer())


def test_two_entities_with_one_table() -> None:
    reg = Registry()

    @reg.register_entity(table="things")
    class First:
        id: int = column(primary_key=True)

    class Second:
        id: int = column(primary_key=True)

    with pytest.raises(
        EntityDefinitionError,
        match=r"^entity Second: table 'things' is already used by entity First",
    ):
        reg.register_entity(Second, table="things")


def test_name_too_long_for_postgresql_but_fine_on_sqlite() -> None:
    reg = Registry()
    attrs = {"__annotations__": {"id": int, "c" * 64: int}, "id": column(primary_key=True)}
    reg.register_entity(type("Long", (), attrs))
    reg.build_schema(get_dialect("sqlite").renderer())
    with pytest.raises(
        EntityDefinitionError,
        match=rf"^entity Long, field {'c' * 64}: name .* is longer than 63 bytes "
        r"\(on postgresql\)",
    ):
        reg.build_schema(get_dialect("postgresql").renderer())


def test_mysql_refuses_to_index_text_and_emoji_defaults() -> None:
    reg = Registry()

    @reg.register_entity
    class Note:
        id: int = column(primary_key=True)
        body: str = column(unique=True)

    reg.build_schema(get_dialect("postgresql").renderer())
    with pytest.raises(EntityDefinitionError, match="field body: mysql cannot index a text column"):
        reg.build_schema(get_dialect("mysql").renderer())

    emoji = Registry()

    @emoji.register_entity
    class Mood:
        id: int = column(primary_key=True)
        face: str = column(max_length=4, default="\N{GRINNING FACE}")

    with pytest.raises(EntityDefinitionError, match="field face: mysql cannot keep characters"):
        emoji.build_schema(get_dialect("mysql").renderer())


def test_registering_the_same_class_again_replaces_it() -> None:
    reg = Registry()

    @dataclass
    class Thing:
        id: int = column(primary_key=True)

    reg.register_entity(Thing)
    reg.register_entity(Thing)
    assert len(reg) == 1
