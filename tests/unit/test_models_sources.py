"""SQLAlchemy models as entities, without a server: what is refused, and how specs are read.

Generation here targets SQLite, whose scratch databases live in memory.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

sa = pytest.importorskip("sqlalchemy")

from goofer_core import GooferError, MigrationGenerator, Registry, column  # noqa: E402
from goofer_core.errors import ConfigurationError  # noqa: E402
from goofer_core.generate.loading import load_models  # noqa: E402


def generator(tmp_path: Path, metadata: object, registry: Registry | None = None):
    return MigrationGenerator(
        registry or Registry(),
        "sqlite",
        tmp_path / "m",
        models=load_models([metadata]),
    )


def table(metadata: object, name: str, *items: object, **options: object) -> object:
    return sa.Table(
        name, metadata, sa.Column("id", sa.Integer, primary_key=True), *items, **options
    )


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda m: table(m, "t", sa.Column("x", sa.Integer), schema="other"),
            "t: is in schema 'other'; Goofer migrates one schema: declare it without schema=",
        ),
        (
            lambda m: table(m, "t", sa.Column("x", sa.Integer, sa.Computed("id + 1"))),
            "t.x: a computed column (Computed) cannot be generated; write it in a migration by "
            "hand",
        ),
        (
            lambda m: table(m, "t", sa.Column("x", sa.Integer, sa.Sequence("t_x_seq"))),
            "t.x: a Sequence cannot be generated; use an autoincrement primary key, or Identity()",
        ),
        (
            lambda m: table(
                m,
                "t",
                sa.Column("x", sa.String(20)),
                sa.Index("ix_t_lower", sa.func.lower(sa.column("x"))),
            ),
            "t: index ix_t_lower: an index on an expression cannot be generated; write it in a "
            "migration by hand",
        ),
        (
            lambda m: table(
                m,
                "t",
                sa.Column("x", sa.Integer),
                sa.Index("ix_t_x", "x", sqlite_where=sa.text("x > 0")),
            ),
            "t: index ix_t_x: sqlite_where cannot be generated; write the index in a migration by "
            "hand",
        ),
        (
            lambda m: (
                table(m, "parent"),
                table(m, "child", sa.Column("p", sa.ForeignKey("parent.id", onupdate="CASCADE"))),
            ),
            "child.p: a foreign key's onupdate cannot be generated (only ondelete is)",
        ),
    ],
)
def test_what_goofer_cannot_represent_is_one_error_naming_table_and_column(
    tmp_path, build, message
):
    metadata = sa.MetaData()
    build(metadata)
    with pytest.raises(GooferError) as caught:
        generator(tmp_path, metadata).generate("initial")
    assert str(caught.value) == f"SQLAlchemy models MetaData: {message}"
    assert not (tmp_path / "m").exists()


def test_a_table_declared_by_an_entity_and_a_model_is_an_error_naming_both(tmp_path):
    registry = Registry()

    @registry.register_entity(table="users")
    @dataclass
    class User:
        id: int = column(primary_key=True)

    metadata = sa.MetaData()
    table(metadata, "users")
    with pytest.raises(GooferError) as caught:
        generator(tmp_path, metadata, registry).plan()
    assert str(caught.value) == (
        "table users is declared twice: by entity User and by SQLAlchemy models MetaData"
    )


def test_entities_and_models_are_generated_together(tmp_path):
    registry = Registry()

    @registry.register_entity(table="notes")
    @dataclass
    class Note:
        id: int = column(primary_key=True)

    metadata = sa.MetaData()
    table(metadata, "posts", sa.Column("title", sa.String(100), nullable=False))
    plan = generator(tmp_path, metadata, registry).plan()
    assert sorted(op.describe() for op in plan.operations) == [
        "create table notes",
        "create table posts",
    ]
    assert '"title" VARCHAR(100) NOT NULL' in plan.up_sql


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "models_mod",
            "--models models_mod: expected MODULE:ATTRIBUTE, for example shop.models:Base",
        ),
        ("models_mod:Nope", "--models models_mod:Nope: models_mod has no attribute 'Nope'"),
        (
            "models_mod:NUMBER",
            "--models models_mod:NUMBER: expected a SQLAlchemy MetaData, a "
            "declarative base or a Flask-SQLAlchemy db, got int",
        ),
        ("no_such_module_xyz:Base", "--models no_such_module_xyz: cannot import it: "),
    ],
)
def test_a_bad_models_spec_is_one_line_naming_it(tmp_path, monkeypatch, spec, message):
    (tmp_path / "models_mod.py").write_text("NUMBER = 3\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delitem(sys.modules, "models_mod", raising=False)
    with pytest.raises(ConfigurationError) as caught:
        load_models(spec)
    assert str(caught.value).startswith(message)


def test_a_spec_may_name_a_declarative_base_or_a_dotted_attribute(tmp_path, monkeypatch):
    (tmp_path / "shop_models.py").write_text(
        "from sqlalchemy.orm import DeclarativeBase\n"
        "class Base(DeclarativeBase):\n    pass\n"
        "class Holder:\n    metadata = Base.metadata\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delitem(sys.modules, "shop_models", raising=False)
    first, second = load_models("shop_models:Base, shop_models:Holder.metadata")
    assert first.label == "SQLAlchemy models shop_models:Base"  # type: ignore[attr-defined]
    assert first.metadata is second.metadata  # type: ignore[attr-defined]
