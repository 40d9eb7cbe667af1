"""Property: SQLAlchemy models evolve, and generate -> up -> down -> up round-trips, every step.

Hypothesis builds a random set of models (every column type Goofer reads from SQLAlchemy,
nullability, server defaults, indexes, uniques, foreign keys), then a random evolution of it
(tables and columns added, dropped and altered). On every database: generate and apply the
first version; generate the evolution, apply it, revert it, apply it again; after each step a
further generate must find nothing, and what the database holds must be what the models say.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sa = pytest.importorskip("sqlalchemy")

from goofer_core import Migrator, Registry  # noqa: E402
from goofer_core.dialects import get_dialect  # noqa: E402
from goofer_core.generate.diff import diff_schemas  # noqa: E402
from goofer_core.generate.generator import MigrationGenerator  # noqa: E402
from goofer_core.generate.loading import load_models  # noqa: E402
from goofer_core.url import DatabaseURL  # noqa: E402
from tests.helpers import make_database  # noqa: E402

# kind -> (SQLAlchemy type, a server default for it or None, indexable: "all", "not mysql"
# (whose TEXT and BLOB keys need a prefix length) or "none" (PostgreSQL's json has no btree))
KINDS: dict[str, tuple[Any, str | None, str]] = {
    "integer": (sa.Integer(), "7", "all"),
    "bigint": (sa.BigInteger(), "0", "all"),
    "smallint": (sa.SmallInteger(), None, "all"),
    "string": (sa.String(40), "x", "all"),
    "text": (sa.Text(), None, "not mysql"),
    "boolean": (sa.Boolean(), None, "all"),
    "float": (sa.Float(), None, "all"),
    "numeric": (sa.Numeric(9, 3), "1.5", "all"),
    "date": (sa.Date(), None, "all"),
    "time": (sa.Time(), None, "all"),
    "datetime": (sa.DateTime(), None, "all"),
    "datetime_tz": (sa.DateTime(timezone=True), None, "all"),
    "binary": (sa.LargeBinary(), None, "not mysql"),
    "uuid": (sa.Uuid(), None, "all"),
    "json": (sa.JSON(), None, "none"),
    "enum": (sa.Enum("one", "two", "three", name="level"), "one", "all"),
}
COLUMNS = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(sorted(KINDS)),
        "nullable": st.booleans(),
        "default": st.booleans(),
        "index": st.booleans(),
        "unique": st.booleans(),
    }
)
TABLE = st.fixed_dictionaries(
    {
        "columns": st.lists(COLUMNS, min_size=1, max_size=5),
        "parent": st.booleans(),  # a foreign key to the table before it
    }
)
MODELS = st.lists(TABLE, min_size=1, max_size=3)


#: Type changes a generated ALTER can make on every database (PostgreSQL casts bigint to
#: date for no table, empty or not: such a change needs a migration written by hand).
WIDENINGS = {"smallint": "integer", "integer": "bigint", "string": "text"}


def named(models: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give every table (tN) and column (cN) a name that stays with it through an evolution."""
    counter = iter(range(1000))
    return [
        {
            **t,
            "name": f"t{i}",
            "columns": [{**c, "name": f"c{next(counter)}"} for c in t["columns"]],
        }
        for i, t in enumerate(models)
    ]


@st.composite
def evolutions(draw: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return (models, the same models changed): columns dropped, added, altered, tables too."""
    before = named(draw(MODELS))
    fresh = iter(range(1000, 2000))
    after = []
    for table in before:
        if len(before) > 1 and draw(st.booleans()) and draw(st.booleans()):
            continue  # the table is dropped (one in four)
        columns = []
        for column in table["columns"]:
            change = draw(st.sampled_from(["keep", "keep", "drop", "nullable", "widen"]))
            if change == "drop":
                continue
            if change == "nullable":
                column = {**column, "nullable": not column["nullable"]}
            elif change == "widen" and column["kind"] in WIDENINGS:
                column = {
                    **column,
                    "kind": WIDENINGS[column["kind"]],
                    "unique": False,
                    "index": False,
                }
            columns.append(column)
        added = draw(st.lists(COLUMNS, max_size=2))
        columns += [{**c, "name": f"c{next(fresh)}"} for c in added]
        after.append({**table, "columns": columns or table["columns"]})
    new_tables = named(draw(st.lists(TABLE, max_size=1)))
    after += [{**t, "name": f"t{9 + i}", "parent": False} for i, t in enumerate(new_tables)]
    for t in after[len(before) :]:
        t["columns"] = [{**c, "name": f"n{c['name']}"} for c in t["columns"]]
    return before, after


def metadata_of(models: list[dict[str, Any]], dialect: str) -> Any:
    """Return SQLAlchemy MetaData for the drawn models (table tN, columns cN)."""
    metadata = sa.MetaData()
    for t, spec in enumerate(models):
        name = spec["name"]
        items: list[Any] = [sa.Column("id", sa.Integer, primary_key=True)]
        if spec["parent"] and t > 0:
            parent = models[t - 1]["name"]
            items.append(sa.Column("parent_id", sa.ForeignKey(f"{parent}.id"), nullable=True))
        for column in spec["columns"]:
            kind, default, keys = KINDS[column["kind"]]
            indexable = keys == "all" or (keys == "not mysql" and dialect != "mysql")
            items.append(
                sa.Column(
                    column["name"],
                    kind,
                    # A NOT NULL column needs a default to be added to a table that has rows.
                    nullable=column["nullable"] or default is None,
                    server_default=default if column["default"] or not column["nullable"] else None,
                    index=column["index"] and indexable and not column["unique"],
                    unique=column["unique"] and indexable,
                )
            )
        sa.Table(name, metadata, *items)
    return metadata


def generator(models: list[dict[str, Any]], db_url: str, dialect: str, directory: Path) -> Any:
    return MigrationGenerator(
        Registry(),
        dialect,
        directory,
        database_url=db_url,
        models=load_models([metadata_of(models, dialect)]),
    )


def assert_nothing_left(
    models: list[dict[str, Any]], db_url: str, dialect: str, directory: Path
) -> None:
    """A further generate finds nothing: the migrations produce what the models declare."""
    plan = generator(models, db_url, dialect, directory).plan()
    assert [op.describe() for op in plan.operations] == [], plan.up_sql


def assert_database_holds(
    models: list[dict[str, Any]], db_url: str, dialect: str, directory: Path
) -> None:
    """The database itself has what the models declare (after up, and after down too)."""
    target, _ = generator(models, db_url, dialect, directory).target()
    conn = get_dialect(dialect).connect(DatabaseURL.parse(db_url), 10)
    try:
        live = get_dialect(dialect).read_schema(conn).without_table("migrations")
    finally:
        conn.close()
    assert [op.describe() for op in diff_schemas(live, target).operations] == []


def round_trip(pair: tuple[list[dict[str, Any]], list[dict[str, Any]]], dialect: str) -> None:
    """Run one evolution in a database of its own, so a failing example leaves nothing behind."""
    with tempfile.TemporaryDirectory() as name:
        made = make_database(dialect, Path(name))
        try:
            evolve(pair, next(made).url, dialect, Path(name) / "migrations")
        finally:
            next(made, None)


def evolve(
    pair: tuple[list[dict[str, Any]], list[dict[str, Any]]],
    db_url: str,
    dialect: str,
    directory: Path,
) -> None:
    """Generate and apply the first models, then the evolution, down and up again."""
    before, after = pair
    migrator = Migrator(db_url, None, directory)
    assert generator(before, db_url, dialect, directory).generate("first") is not None
    migrator.up()
    assert_nothing_left(before, db_url, dialect, directory)
    assert_database_holds(before, db_url, dialect, directory)
    if generator(after, db_url, dialect, directory).generate("second") is not None:
        migrator.up()
        assert_database_holds(after, db_url, dialect, directory)
        migrator.down()
        assert_database_holds(before, db_url, dialect, directory)
        migrator.up()
    assert_nothing_left(after, db_url, dialect, directory)
    assert_database_holds(after, db_url, dialect, directory)


def test_model_evolutions_round_trip(db: Any) -> None:
    scale = int(os.environ.get("GOOFER_PROPERTY_SCALE", "1"))
    examples = (25 if db.dialect_name == "sqlite" else 4) * scale

    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(pair=evolutions())
    def evolves(pair: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
        round_trip(pair, db.dialect_name)

    evolves()
