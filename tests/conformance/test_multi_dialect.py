"""Several dialects from one history: a folder per dialect, one id, each database its own folder.

Every test uses real databases: one fresh SQLite file, PostgreSQL database and MariaDB database
each; scratch databases for generate go to the servers named in GOOFER_SHADOW_DATABASE_URL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from goofer_core import GooferError, MigrationGenerator, Migrator, Registry, column
from tests.helpers import DIALECTS, SERVERS, TestDatabase, make_database, run_goofer

ENTITIES_V1 = """
from dataclasses import dataclass
from goofer_core import column, registry


@registry.register_entity(table="authors")
@dataclass
class Author:
    id: int = column(primary_key=True)
    name: str = column(max_length=100)
"""
ENTITIES_V2 = ENTITIES_V1 + "    bio: str | None = None\n"
#: One scratch server per dialect, separated by spaces (the scheme says which is which).
SHADOWS = f"{SERVERS['postgresql']} {SERVERS['mysql']}"


@pytest.fixture
def databases(tmp_path: Path) -> Iterator[dict[str, TestDatabase]]:
    """A fresh database on each dialect, by dialect name."""
    makers = [make_database(dialect, tmp_path) for dialect in DIALECTS]
    yield {db.dialect_name: db for db in (next(maker) for maker in makers)}
    for maker in makers:
        next(maker, None)  # drops the server databases


def ids_in(folder: Path) -> list[str]:
    """Return the ids of the migration pairs in ``folder``."""
    ups = sorted(p.name[:14] for p in folder.glob("*.up.sql"))
    assert ups == sorted(p.name[:14] for p in folder.glob("*.down.sql"))
    return ups


def pair(folder: Path, label: str, up: str, mark: str = "") -> None:
    """Write the pair ``label`` (``<id>_<name>``) in ``folder``, both files marked ``mark``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{label}.up.sql").write_text(mark + up)
    (folder / f"{label}.down.sql").write_text(mark + "SELECT 1;\n")


def test_one_history_is_generated_and_applied_on_every_dialect(
    databases: dict[str, TestDatabase], tmp_path: Path
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "blog_entities.py").write_text(ENTITIES_V1)
    env = {"GOOFER_SHADOW_DATABASE_URL": SHADOWS}
    base = ("--dir", "migrations", "--entities", "blog_entities")
    migrations = project / "migrations"

    first = run_goofer(
        *base, "--dialects", "sqlite,postgresql,mysql", "generate", "initial", env=env, cwd=project
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("Created ") == 6
    (initial,) = ids_in(migrations / "sqlite")
    for dialect in DIALECTS:
        assert ids_in(migrations / dialect) == [initial]
    assert "AUTO_INCREMENT" in next((migrations / "mysql").glob("*.up.sql")).read_text()

    for dialect, db in databases.items():
        up = run_goofer("--database-url", db.url, *base, "up", env=env, cwd=project)
        assert up.returncode == 0, up.stderr
        assert db.tracking_ids() == [initial] and "authors" in db.tables()
        # The script recorded is this dialect's own file.
        ((script,),) = db.query("SELECT script FROM migrations")
        own = next((migrations / dialect).glob("*.up.sql")).read_text()
        assert script == own

    (project / "blog_entities.py").write_text(ENTITIES_V2)
    # No --dialects now: the folders that exist say which dialects the history is for.
    second = run_goofer("--database-url", databases["sqlite"].url, *base, "generate", "add_bio",
                        env=env, cwd=project)  # fmt: skip
    assert second.returncode == 0, second.stderr
    assert second.stdout.count("Created ") == 6
    ids = ids_in(migrations / "sqlite")
    assert len(ids) == 2 and ids[0] == initial
    for dialect in DIALECTS:
        assert ids_in(migrations / dialect) == ids
        newest = sorted((migrations / dialect).glob("*_add_bio.up.sql"))
        assert "bio" in newest[0].read_text() and "CREATE TABLE" not in newest[0].read_text()

    mysql = ("--database-url", databases["mysql"].url, "--dir", "migrations")
    sql = run_goofer(*mysql, "sql", cwd=project)
    assert sql.returncode == 0, sql.stderr
    assert sql.stdout.startswith(f"-- {ids[1]}_add_bio.up.sql\n")
    assert "ALTER TABLE `authors` ADD COLUMN `bio`" in sql.stdout  # MySQL's own file
    for db in databases.values():
        pending = run_goofer("--database-url", db.url, *base, "check", env=env, cwd=project)
        assert pending.returncode == 1 and f"{ids[1]}_add_bio: pending" in pending.stdout
        assert (
            run_goofer("--database-url", db.url, *base, "up", env=env, cwd=project).returncode == 0
        )
        check = run_goofer("--database-url", db.url, *base, "check", env=env, cwd=project)
        assert check.returncode == 0, check.stdout + check.stderr
        assert db.tracking_ids() == ids
    verify = run_goofer("--database-url", databases["postgresql"].url, *base, "verify",
                        env=env, cwd=project)  # fmt: skip
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert verify.stdout.splitlines()[-1].startswith("Verified 2 migrations")
    down = run_goofer(*mysql, "down", cwd=project)
    assert down.returncode == 0, down.stderr
    assert databases["mysql"].tracking_ids() == [initial]
    status = run_goofer(*mysql, "status", "--json", cwd=project)
    states = [(row["id"], row["state"]) for row in json.loads(status.stdout)]
    assert states == [(initial, "applied"), (ids[1], "pending")]


def test_check_names_the_id_a_folder_misses_unless_it_is_marked(
    databases: dict[str, TestDatabase], tmp_path: Path
) -> None:
    migrations = tmp_path / "migrations"
    for dialect in DIALECTS:
        pair(migrations / dialect, "20260101000000_create_a", "CREATE TABLE a (id INT);\n")
    for dialect in ("sqlite", "postgresql"):
        pair(migrations / dialect, "20260102000000_create_b", "CREATE TABLE b (id INT);\n")
    sqlite = databases["sqlite"]
    base = ("--database-url", sqlite.url, "--dir", str(migrations))
    check = run_goofer(*base, "check")
    assert check.returncode == 1
    missing = [line for line in check.stdout.splitlines() if "missing" in line]
    assert missing == [
        f"20260102000000_create_b: missing from {migrations / 'mysql'} (it is in sqlite, "
        "postgresql; if it belongs to sqlite, postgresql only, make '-- goofer:only "
        "sqlite,postgresql' the first line of each of its files)"
    ]

    # Marked as belonging to sqlite and postgresql only: accepted, and applied where it is.
    mark = "-- goofer:only sqlite, postgresql\n"
    for dialect in ("sqlite", "postgresql"):
        pair(migrations / dialect, "20260102000000_create_b", "CREATE TABLE b (id INT);\n", mark)
    mysql, postgresql = databases["mysql"], databases["postgresql"]
    for db, expected in ((sqlite, {"a", "b"}), (postgresql, {"a", "b"}), (mysql, {"a"})):
        up = run_goofer("--database-url", db.url, "--dir", str(migrations), "up")
        assert up.returncode == 0, up.stderr
        assert db.tables() - {"migrations"} == expected
        check = run_goofer("--database-url", db.url, "--dir", str(migrations), "check")
        assert check.returncode == 0, check.stdout + check.stderr


def test_a_migration_marked_for_another_dialect_is_an_error(
    databases: dict[str, TestDatabase], tmp_path: Path
) -> None:
    migrations = tmp_path / "migrations"
    for dialect in DIALECTS:
        pair(migrations / dialect, "20260101000000_create_a", "CREATE TABLE a (id INT);\n")
    only_pg = "-- goofer:only postgresql\n"
    pair(migrations / "postgresql", "20260102000000_pg_only", "CREATE TABLE p (id INT);\n", only_pg)
    pair(migrations / "mysql", "20260102000000_pg_only", "CREATE TABLE p (id INT);\n", only_pg)
    mysql = databases["mysql"]
    up = run_goofer("--database-url", mysql.url, "--dir", str(migrations), "up")
    assert up.returncode == 1
    assert up.stderr == (
        "error: 20260102000000_pg_only.up.sql: marked '-- goofer:only postgresql' but it is in "
        f"{migrations / 'mysql'}, run on mysql: move the pair to the postgresql folder, or "
        "remove the mark\n"
    )
    assert mysql.tables() == set()  # nothing ran, not even the well-placed first migration
    sqlite = databases["sqlite"]
    check = run_goofer("--database-url", sqlite.url, "--dir", str(migrations), "check")
    assert check.returncode == 1
    assert check.stderr.startswith("error: 20260102000000_pg_only.up.sql: marked")


def test_generate_empty_writes_a_pair_in_every_folder(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    first = run_goofer(
        "--dir", str(migrations), "--dialects", "sqlite,postgres,mariadb",
        "generate", "--empty", "by_hand",
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("Created ") == 6
    (by_hand,) = ids_in(migrations / "sqlite")
    # Later --empty runs find the folders; GOOFER_DIALECTS may also name them.
    second = run_goofer(
        "--dir", str(migrations), "generate", "--empty", "more", env={"GOOFER_DIALECTS": "mysql"}
    )
    assert second.returncode == 0, second.stderr
    ids = ids_in(migrations / "sqlite")
    assert len(ids) == 2 and ids[0] == by_hand
    assert [ids_in(migrations / d) for d in DIALECTS] == [ids] * 3
    top = [p.name for p in migrations.iterdir() if p.is_file()]
    assert top == []
    typo = run_goofer(
        "--dir", str(migrations), "--dialects", "sqlite,oracle", "generate", "--empty", "x"
    )
    assert (typo.returncode, typo.stderr) == (
        1,
        "error: --dialects / GOOFER_DIALECTS: dialect 'oracle' is not supported; use one of: "
        "mariadb, mysql, postgres, postgresql, sqlite\n",
    )


def test_python_api_generates_for_the_dialects_it_is_given(
    databases: dict[str, TestDatabase], tmp_path: Path
) -> None:
    out = tmp_path / "migrations"
    registry = Registry()

    @registry.register_entity(table="notes")
    @dataclass
    class Note:
        id: int = column(primary_key=True)
        text: str = column(max_length=20)

    servers = [SERVERS["postgresql"], SERVERS["mysql"]]
    generator = MigrationGenerator(registry, dialects=DIALECTS, out_path=out, shadow_url=servers)
    paths = generator.generate("create_notes")
    assert paths is not None and sorted(p.parent.name for p in paths) == sorted(DIALECTS * 2)
    assert len({p.name for p in paths}) == 2  # one id, one name: the same two file names
    for db in databases.values():
        applied = Migrator(db.url, None, out).up()  # the folder of the database's dialect
        assert [m.directory for m in applied] == [str(out / db.dialect_name)]
        assert "notes" in db.tables()
    # The folders that exist say which dialects; the check covers every one of them.
    assert MigrationGenerator(registry, out_path=out, shadow_url=" ".join(servers)).check() == []

    # A change only some dialects see (SQLite keeps an auto-increment key INTEGER): the pair
    # goes to their folders only, marked as theirs, and the folders still agree.
    bigger = Registry()

    @bigger.register_entity(table="notes")
    @dataclass
    class BigNote:
        id: int = column(primary_key=True, big=True)
        text: str = column(max_length=20)

    widened = MigrationGenerator(bigger, out_path=out, shadow_url=servers).generate("big_ids")
    assert widened is not None
    assert sorted(p.parent.name for p in widened) == ["mysql", "mysql", "postgresql", "postgresql"]
    for path in widened:
        assert path.read_text().startswith("-- goofer:only postgresql,mysql\n-- Generated by")
    assert MigrationGenerator(bigger, out_path=out, shadow_url=servers).check() == []
    for db in databases.values():
        applied = Migrator(db.url, None, out).up()
        assert [m.name for m in applied] == ([] if db.dialect_name == "sqlite" else ["big_ids"])
    for path in widened:
        if path.parent.name == "postgresql":
            path.unlink()
    reasons = MigrationGenerator(bigger, out_path=out, shadow_url=servers).check()
    assert reasons == [
        f"{widened[0].name[:14]}_big_ids: missing from {out / 'postgresql'} (it is in mysql)",
        "postgresql: entities differ from the migrations: alter column notes.id: "
        "type integer -> bigint",
    ]
    with pytest.raises(GooferError, match="writes for several dialects"):
        generator.plan()
