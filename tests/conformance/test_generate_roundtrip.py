"""generate on real databases: entities -> files -> up -> the schema; change -> up -> down."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from goofer_core.dialects import get_dialect
from goofer_core.generate import NOW, Check, Index, Registry, Unique, column
from goofer_core.generate.diff import diff_schemas
from goofer_core.generate.generator import MigrationGenerator
from goofer_core.migrations.migrator import Migrator
from goofer_core.schema.model import Schema
from goofer_core.url import DatabaseURL


class Kind(enum.Enum):
    DRAFT = "draft"
    LIVE = "live"


def blog_v1() -> Registry:
    """Return the first version of a small blog."""
    reg = Registry()

    @reg.register_entity(table="authors")
    @dataclass
    class Author:
        id: int = column(primary_key=True)
        name: str = column(max_length=50, unique=True)
        joined: datetime = column(server_default=NOW)

    @reg.register_entity(
        table="posts", uniques=[Unique("author_id", "title")], checks=[Check("views >= 0")]
    )
    @dataclass
    class Post:
        id: int = column(primary_key=True)
        author_id: int
        title: str = column(max_length=100)
        body: str = ""
        views: int = 0
        author_name: str = column(max_length=50, default="anon")
        legacy: str | None = None
        kind: Kind = Kind.DRAFT
        price: Decimal = column(precision=8, scale=2, default=Decimal("1.50"))

    return reg


def blog_v2() -> Registry:
    """Return the blog with one change of each kind the issue lists."""
    reg = Registry()

    @reg.register_entity(table="authors")
    @dataclass
    class Author:
        id: int = column(primary_key=True)
        name: str = column(max_length=50, unique=True)
        joined: datetime = column(server_default=NOW)

    @reg.register_entity(
        table="posts",
        uniques=[Unique("author_id", "title")],
        checks=[Check("views >= 0")],
        indexes=[Index("views")],
    )
    @dataclass
    class Post:
        id: int = column(primary_key=True)
        author_id: int = column(foreign_key=Author, on_delete="CASCADE")  # add a foreign key
        title: str = column(max_length=200)  # change a type
        body: str | None = ""  # make nullable
        views: int = 0  # add an index (above)
        byline: str = column(max_length=50, default="anon", renamed_from="author_name")
        kind: Kind = Kind.DRAFT
        price: Decimal = column(precision=8, scale=2, default=Decimal("1.50"))
        published: bool = False  # add a column; "legacy" is dropped

    return reg


def user_tables(dialect: str, url: str) -> Schema:
    """Return the schema of a real database, without the tracking table."""
    conn = get_dialect(dialect).connect(DatabaseURL.parse(url), 10)
    try:
        schema = get_dialect(dialect).read_schema(conn)
    finally:
        conn.close()
    return schema.without_table("migrations")


def assert_matches(schema: Schema, generator: MigrationGenerator) -> None:
    """Assert that nothing separates ``schema`` from the entities' schema."""
    assert diff_schemas(schema, generator.entities_schema()).operations == []


def query(dialect: str, url: str, sql: str) -> list[tuple[Any, ...]]:
    """Run one statement on a fresh connection and return its rows."""
    conn = get_dialect(dialect).connect(DatabaseURL.parse(url), 10)
    try:
        cur = conn.cursor()
        cur.execute(sql)
        return list(cur.fetchall()) if cur.description else []
    finally:
        conn.close()


def test_round_trip_with_changes(db_url: str, tmp_path: Path) -> None:
    dialect = DatabaseURL.parse(db_url).dialect
    out = tmp_path / "migrations"
    first = MigrationGenerator(blog_v1(), dialect, out, database_url=db_url)
    assert first.generate("create_blog") is not None
    assert first.generate("again") is None
    migrator = Migrator(db_url, dialect, out)
    migrator.up()
    assert_matches(user_tables(dialect, db_url), first)
    query(dialect, db_url, "INSERT INTO authors (id, name) VALUES (1, 'ann')")
    query(
        dialect,
        db_url,
        "INSERT INTO posts (id, author_id, title, body, views, author_name, "
        "legacy) VALUES (7, 1, 'hello', 'text', 3, 'Ann A.', 'old')",
    )

    second = MigrationGenerator(blog_v2(), dialect, out, database_url=db_url)
    paths = second.generate("change_posts")
    assert paths is not None
    assert second.last_plan is not None
    changes = sorted(op.describe().split(" (")[0] for op in second.last_plan.operations)
    assert changes == sorted(
        [
            "add column posts.published",
            "alter column posts.title: type string(100) -> string(200)",
            "alter column posts.body: nullable",
            "drop column posts.legacy",
            "rename column posts.author_name to byline",
            "create index ix_posts_views on posts",
            "add foreign key posts",
        ]
    )
    assert "DESTRUCTIVE: drop column posts.legacy" in paths[0].read_text()
    assert any("DESTRUCTIVE: drop column posts.legacy" in w for w in second.warnings)
    assert second.generate("again") is None

    migrator.up()
    assert_matches(user_tables(dialect, db_url), second)
    assert query(dialect, db_url, "SELECT title, body, views, byline FROM posts") == [
        ("hello", "text", 3, "Ann A.")
    ]

    migrator.down()
    assert_matches(user_tables(dialect, db_url), first)
    assert query(dialect, db_url, "SELECT title, body, views, author_name FROM posts") == [
        ("hello", "text", 3, "Ann A.")
    ]


def test_migrations_written_by_hand_count(db_url: str, tmp_path: Path) -> None:
    dialect = DatabaseURL.parse(db_url).dialect
    out = tmp_path / "migrations"
    out.mkdir()
    q = get_dialect(dialect).quote
    (out / "20240101000000_by_hand.up.sql").write_text(
        f"CREATE TABLE {q('authors')} ({q('id')} INTEGER NOT NULL PRIMARY KEY, "
        f"{q('name')} VARCHAR(50) NOT NULL);\n"
    )
    (out / "20240101000000_by_hand.down.sql").write_text(f"DROP TABLE {q('authors')};\n")
    generator = MigrationGenerator(blog_v1(), dialect, out, database_url=db_url)
    plan = generator.plan()
    described = [op.describe() for op in plan.operations]
    assert "create table authors" not in described
    assert "create table posts" in described
    assert any(d.startswith("add column authors.joined") for d in described)


def test_shadow_database_is_dropped(db_url: str, tmp_path: Path) -> None:
    dialect = DatabaseURL.parse(db_url).dialect
    out = tmp_path / "migrations"
    out.mkdir()
    (out / "20240101000000_broken.up.sql").write_text("CREATE TABLE t (id INTEGER);\nSELEC 1;\n")
    (out / "20240101000000_broken.down.sql").write_text("DROP TABLE t;\n")
    generator = MigrationGenerator(blog_v1(), dialect, out, database_url=db_url)

    def shadows() -> set[str]:
        if dialect == "sqlite":
            return set()
        if dialect == "postgresql":
            sql = "SELECT datname FROM pg_database WHERE datname LIKE 'goofer_shadow_%'"
        else:
            sql = "SHOW DATABASES LIKE 'goofer\\_shadow\\_%'"
        return {row[0] for row in query(dialect, db_url, sql)}

    # Compare with what existed before: other test runs on this server may hold their own.
    before = shadows()
    with pytest.raises(Exception, match=r"20240101000000_broken.up.sql: statement 2 \(line 2\)"):
        generator.plan()
    assert shadows() - before == set()
