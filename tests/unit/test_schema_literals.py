"""Defaults and types read back from each database reduce to the entities' canonical form."""

from __future__ import annotations

from decimal import Decimal

import pytest

from goofer_core.dialects.mysql import introspect as mysql
from goofer_core.dialects.postgresql import introspect as postgresql
from goofer_core.dialects.sqlite import introspect as sqlite
from goofer_core.dialects.sqlite.create_table import parse_create_table
from goofer_core.schema.literals import canonical_value, default_from_sql
from goofer_core.schema.model import ColumnType, Default

TEXT, INT, BOOL = ColumnType("text"), ColumnType("integer"), ColumnType("boolean")
MONEY = ColumnType("decimal", precision=10, scale=2)
STAMP = ColumnType("datetime")


@pytest.mark.parametrize(
    ("column_type", "sql", "expected"),
    [
        (TEXT, "'it''s'", Default("literal", "it's")),
        (TEXT, "'it''s'::character varying", Default("literal", "it's")),
        (TEXT, "('x')", Default("literal", "x")),
        (INT, "'-1'::integer", Default("literal", "-1")),
        (INT, "-1", Default("literal", "-1")),
        (BOOL, "true", Default("literal", "true")),
        (BOOL, "1", Default("literal", "true")),
        (BOOL, "FALSE", Default("literal", "false")),
        (MONEY, "1.5", Default("literal", "1.50")),
        (MONEY, "'1.50'::numeric", Default("literal", "1.50")),
        (STAMP, "CURRENT_TIMESTAMP", Default("now")),
        (STAMP, "current_timestamp(6)", Default("now")),
        (STAMP, "now()", Default("now")),
        (STAMP, "'2024-01-02 03:04:05.000000'", Default("literal", "2024-01-02 03:04:05")),
        (
            STAMP,
            "'2024-01-02 03:04:05.5'::timestamp without time zone",
            Default("literal", "2024-01-02 03:04:05.500000"),
        ),
        (
            ColumnType("json"),
            '\'{"b": 1, "a": [1, 2]}\'::jsonb',
            Default("literal", '{"a":[1,2],"b":1}'),
        ),
        (INT, "NULL", None),
        (TEXT, "lower('A') || 'b'", Default("sql", "lower('A') || 'b'")),
    ],
)
def test_database_defaults(column_type: ColumnType, sql: str, expected: Default | None) -> None:
    assert default_from_sql(column_type, sql) == expected


def test_mysql_backslash_escapes() -> None:
    assert default_from_sql(TEXT, "'a\\\\b''c'", backslash_escapes=True) == Default(
        "literal", "a\\b'c"
    )
    assert default_from_sql(TEXT, "'a\\b'") == Default("literal", "a\\b")


def test_entity_values_match_database_spelling() -> None:
    assert canonical_value(MONEY, Decimal("1.5")) == "1.50"
    assert canonical_value(ColumnType("float"), -0.0) == "0.0"
    assert canonical_value(BOOL, True) == "true"


@pytest.mark.parametrize(
    ("module", "text", "expected"),
    [
        (sqlite, "VARCHAR(20)", ColumnType("string", length=20)),
        (sqlite, "numeric(10, 2)", MONEY),
        (sqlite, "CHAR(36)", ColumnType("uuid")),
        (sqlite, "money", ColumnType("other", raw="money")),
        (postgresql, "character varying(20)", ColumnType("string", length=20)),
        (postgresql, "timestamp without time zone", STAMP),
        (
            postgresql,
            "timestamp with time zone",
            ColumnType("other", raw="timestamp with time zone"),
        ),
        (postgresql, "jsonb", ColumnType("json")),
        (mysql, "int(11)", INT),
        (mysql, "tinyint(1)", BOOL),
        (mysql, "datetime(6)", STAMP),
        (mysql, "datetime", ColumnType("other", raw="datetime")),
        (mysql, "int(10) unsigned", ColumnType("other", raw="int(10) unsigned")),
    ],
)
def test_type_names(module: object, text: str, expected: ColumnType) -> None:
    assert module.parse_type(text) == expected  # type: ignore[attr-defined]


def test_sqlite_create_table_checks_and_autoincrement() -> None:
    info = parse_create_table(
        'CREATE TABLE "t" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, -- a comment, with a comma\n'
        '  "a,b" TEXT CHECK (length("a,b") > 0) CONSTRAINT inline CHECK ("a,b" <> \')\'),\n'
        '  CONSTRAINT "ck ""x""" CHECK (id > 0), CHECK (id < 9))'
    )
    assert info.autoincrement_columns == ("id",)
    assert info.checks == (
        (None, 'length("a,b") > 0'),
        ("inline", "\"a,b\" <> ')'"),
        ('ck "x"', "id > 0"),
        (None, "id < 9"),
    )


def test_create_table_text_says_which_foreign_keys_are_deferred():
    info = parse_create_table(
        'CREATE TABLE "t" ("a_id" integer NOT NULL REFERENCES "a" ("id") DEFERRABLE INITIALLY '
        'DEFERRED, "b_id" integer REFERENCES b NOT DEFERRABLE INITIALLY DEFERRED, '
        '"c_id" integer REFERENCES c DEFERRABLE INITIALLY IMMEDIATE, x int, y int, '
        'CONSTRAINT "f" FOREIGN KEY ("x", [y]) REFERENCES d (p, q) ON DELETE CASCADE '
        "DEFERRABLE INITIALLY DEFERRED)"
    )
    assert info.deferred_foreign_keys == (("a_id",), ("x", "y"))
