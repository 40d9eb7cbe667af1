"""What the generate and check commands call: entity modules, --empty, --shadow-url, check."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from goofer_core.errors import GooferError
from goofer_core.generate import Registry, column
from goofer_core.generate.generator import (
    MigrationGenerator,
    entity_check_reasons,
    generate_migration,
    next_id,
)
from goofer_core.migrations.migrator import Migrator
from goofer_core.url import DatabaseURL
from tests.helpers import make_database

ENTITIES = """
from dataclasses import dataclass
from goofer_core.generate import Registry, column

registry = Registry()


@registry.register_entity(table="notes")
@dataclass
class Note:
    id: int = column(primary_key=True)
    text: str = column(max_length={length})
"""


def write_entities(tmp_path: Path, length: int) -> tuple[Path, Registry]:
    """Write an entity module, import it by path, and return it with its registry."""
    from goofer_core.generate.loading import import_entities

    path = tmp_path / f"notes_{length}.py"
    path.write_text(ENTITIES.format(length=length))
    module = import_entities(str(path))[0]
    return path, module.registry


def test_generate_then_check(db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "migrations"
    path, registry = write_entities(tmp_path, 20)
    written = generate_migration(
        "create_notes", directory=out, entities=str(path), database_url=db_url, registry=registry
    )
    assert written is not None and [p.name.split("_", 1)[1] for p in written] == [
        "create_notes.up.sql",
        "create_notes.down.sql",
    ]
    assert (
        generate_migration(
            "again", directory=out, entities=None, database_url=db_url, registry=registry
        )
        is None
    )
    assert (
        entity_check_reasons(directory=out, entities=None, database_url=db_url, registry=registry)
        == []
    )
    _, wider = write_entities(tmp_path, 40)
    reasons = entity_check_reasons(
        directory=out, entities=None, database_url=db_url, registry=wider
    )
    assert reasons == [
        "entities differ from the migrations: alter column notes.text: "
        "type string(20) -> string(40)"
    ]
    assert (
        entity_check_reasons(directory=out, entities=None, database_url=db_url, registry=Registry())
        == []
    )


def test_empty_pair_needs_no_entities_and_no_database(tmp_path: Path) -> None:
    paths = generate_migration(
        "by_hand", directory=tmp_path, entities=None, empty=True, registry=Registry()
    )
    assert paths is not None
    assert paths[0].read_text().startswith("-- Write the up migration here.")
    migrator = Migrator(f"sqlite:///{tmp_path / 'x.db'}", None, tmp_path)
    with pytest.raises(GooferError, match=r"by_hand\.up\.sql: has no SQL statement"):
        migrator.up()  # an unedited pair is not recorded as applied
    paths[0].write_text("CREATE TABLE by_hand (id INTEGER PRIMARY KEY);\n")
    assert migrator.up() != []


def test_generate_without_entities_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(GooferError, match="no entities are registered"):
        MigrationGenerator(Registry(), "sqlite", tmp_path).generate("x")


def test_bad_names_and_modules(tmp_path: Path) -> None:
    with pytest.raises(GooferError, match="migration name 'Bad-Name'"):
        MigrationGenerator(Registry(), "sqlite", tmp_path).generate("Bad-Name", empty=True)
    with pytest.raises(GooferError, match="--entities no_such_module_xyz: cannot import it"):
        generate_migration("x", directory=tmp_path, entities="no_such_module_xyz")


def test_server_dialects_need_a_server(tmp_path: Path) -> None:
    registry = Registry()

    @registry.register_entity
    @dataclass
    class Thing:
        id: int = column(primary_key=True)

    with pytest.raises(GooferError, match="needs a server for its scratch database"):
        MigrationGenerator(registry, "postgresql", tmp_path).plan()


@pytest.fixture(params=["postgresql", "mysql"])
def server_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh server database (SQLite replays in memory and needs no shadow server)."""
    for database in make_database(request.param, tmp_path):
        yield database.url


def test_shadow_url_is_used_instead_of_the_database(server_db_url: str, tmp_path: Path) -> None:
    db_url = server_db_url
    url = DatabaseURL.parse(db_url)
    registry = Registry()

    @registry.register_entity
    @dataclass
    class Thing:
        id: int = column(primary_key=True)

    unreachable = (
        url.with_database("db").render(show_password=True).replace(str(url.port), "1")
        if url.port
        else "postgresql://nobody@127.0.0.1:1/db"
    )
    generator = MigrationGenerator(
        registry, None, tmp_path, database_url=unreachable, shadow_url=db_url
    )
    assert generator.generate("create_thing") is not None


def test_ids_stay_unique_and_ordered() -> None:
    from datetime import datetime, timezone

    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert next_id(now, []) == "20260101120000"
    assert next_id(now, ["20260101120000"]) == "20260101120001"
    assert next_id(now, ["20270101000000"]) == "20270101000001"


def test_sqlite_rebuild_of_a_parent_keeps_children_triggers_and_views(tmp_path: Path) -> None:
    out, db = tmp_path / "migrations", tmp_path / "app.db"
    out.mkdir()
    (out / "20240101000000_by_hand.up.sql").write_text(
        'CREATE TABLE "authors" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,'
        ' "name" VARCHAR(10) NOT NULL);\n'
        'CREATE TABLE "books" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "author_id"'
        ' INTEGER NOT NULL, CONSTRAINT "fk" FOREIGN KEY ("author_id") REFERENCES "authors"'
        ' ("id") ON DELETE CASCADE);\n'
        'CREATE TABLE "log" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "msg" TEXT NULL);\n'
        'CREATE TRIGGER "authors_log" AFTER UPDATE ON "authors" BEGIN\n'
        '  INSERT INTO "log" ("msg") VALUES (NEW."name");\nEND;\n'
        'CREATE VIEW "author_names" AS SELECT "name" FROM "authors";\n'
        "INSERT INTO authors (name) VALUES ('ann');\nINSERT INTO books (author_id) VALUES (1);\n"
    )
    (out / "20240101000000_by_hand.down.sql").write_text("SELECT 1;\n")
    registry = Registry()

    @registry.register_entity(table="authors")
    @dataclass
    class Author:
        id: int = column(primary_key=True)
        name: str = column(max_length=30)  # VARCHAR(10) -> VARCHAR(30): a rebuild

    @registry.register_entity(table="books")
    @dataclass
    class Book:
        id: int = column(primary_key=True)
        author_id: int = column(foreign_key=Author, on_delete="CASCADE")

    @registry.register_entity(table="log")
    @dataclass
    class Log:
        id: int = column(primary_key=True)
        msg: str | None = None

    url = f"sqlite:///{db}"
    paths = MigrationGenerator(registry, "sqlite", out).generate("widen_names")
    assert paths is not None
    assert '"_goofer_new_authors"' in paths[0].read_text()
    Migrator(url, None, out).up()
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        assert conn.execute("SELECT * FROM author_names").fetchall() == [("ann",)]
        assert conn.execute("SELECT author_id FROM books").fetchall() == [(1,)]
        conn.execute("UPDATE authors SET name = 'a much longer name'")
        assert conn.execute("SELECT msg FROM log").fetchall() == [("a much longer name",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM authors")
        assert conn.execute("SELECT count(*) FROM books").fetchall() == [(0,)]
    finally:
        conn.close()
    assert MigrationGenerator(registry, "sqlite", out).generate("again") is None


def test_sqlite_rebuild_on_a_connection_with_foreign_keys_on_keeps_child_rows(
    tmp_path: Path,
) -> None:
    out, db = tmp_path / "migrations", tmp_path / "app.db"
    registry = Registry()

    @registry.register_entity(table="authors")
    @dataclass
    class Author:
        id: int = column(primary_key=True)
        name: str = column(max_length=10)

    @registry.register_entity(table="books")
    @dataclass
    class Book:
        id: int = column(primary_key=True)
        author_id: int = column(foreign_key=Author, on_delete="CASCADE")

    MigrationGenerator(registry, "sqlite", out).generate("create")
    Migrator(f"sqlite:///{db}", None, out).up()

    @dataclass
    class WiderAuthor:
        id: int = column(primary_key=True)
        name: str = column(max_length=30)

    generated = MigrationGenerator(_with_author(WiderAuthor), "sqlite", out).generate("widen")
    assert generated is not None
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("INSERT INTO authors (name) VALUES ('ann')")
    conn.execute("INSERT INTO books (author_id) VALUES (1)")
    conn.execute("PRAGMA foreign_keys = ON")  # as Django's connections do
    try:
        # Goofer switches enforcement off for the run (DROP TABLE would cascade) and back on.
        applied = Migrator(conn, "sqlite", out).up()
        assert [m.name for m in applied] == ["widen"]
        assert conn.execute("SELECT count(*) FROM books").fetchall() == [(1,)]
        assert conn.execute("PRAGMA foreign_keys").fetchall() == [(1,)]
    finally:
        conn.close()


def _with_author(author: type) -> Registry:
    registry = Registry()
    registry.register_entity(author, table="authors")

    @registry.register_entity(table="books")
    @dataclass
    class Book:
        id: int = column(primary_key=True)
        author_id: int = column(foreign_key=author, on_delete="CASCADE")

    return registry
