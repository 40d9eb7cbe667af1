"""SQLAlchemy models are the entities: what generate + up builds is what create_all() builds.

On each database, the 33 tables of ``tests.sa_models`` are built twice, in two fresh
databases: once by SQLAlchemy's ``metadata.create_all()``, once by ``goofer generate --models``
and ``goofer up``. Read back from each database's catalog, the two are compared column by column
(type, nullability, default) and key by key; every difference must be one of the intended ones
the README lists (``INTENDED``), and each intended one must show where expected. A second
``generate`` finds no change, and a model changed afterwards is caught by ``check`` and
generated as exactly that change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

sqlalchemy = pytest.importorskip("sqlalchemy")

from goofer_core.dialects import get_dialect  # noqa: E402
from goofer_core.url import DatabaseURL  # noqa: E402
from tests.helpers import TestDatabase, make_database, run_goofer  # noqa: E402
from tests.schema_compare import catalog, differences, foreign_keys, indexes  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
MODELS = "tests.sa_models.all:Base"
NATIVE_ENUMS = {("preferences", "theme"), ("orders", "status")}
NOW_DEFAULTS = {
    ("users", "created_at"),
    ("audit_log", "happened_at"),
    ("products", "created_at"),
    ("orders", "placed_at"),
    ("comments", "created_at"),
    ("post_revisions", "saved_at"),
}
#: The differences the README lists ("Intended differences from create_all()"), by name.
INTENDED = {
    "native enum": "a native Enum is VARCHAR with a CHECK of its values",
    "identity": "an autoincrement key on PostgreSQL is an identity column, not SERIAL",
    "sqlite type names": "on SQLite, DATETIME is written TIMESTAMP and FLOAT is written REAL",
}


def sqlalchemy_url(db: TestDatabase) -> str:
    url = DatabaseURL.parse(db.url)
    scheme = get_dialect(url.dialect).sqlalchemy_url
    return url.render(show_password=True).replace(f"{url.dialect}://", scheme, 1)


def create_all(db: TestDatabase) -> None:
    import tests.sa_models.all as models

    engine = sqlalchemy.create_engine(sqlalchemy_url(db))
    try:
        models.Base.metadata.create_all(engine)
    finally:
        engine.dispose()


def intended(
    db: TestDatabase, key: tuple[str, str], what: set[str], theirs: tuple[Any, ...]
) -> str | None:
    """Return which intended difference explains ``what`` differs for ``key``, or None."""
    if key in NATIVE_ENUMS and what == {"type"}:
        return "native enum"
    if (
        db.dialect_name == "postgresql"
        and what == {"default", "autoincrement"}
        and str(theirs[2]).startswith("nextval(")
    ):
        return "identity"
    if (
        db.dialect_name == "sqlite"
        and what == {"type"}
        and theirs[0].upper() in ("DATETIME", "FLOAT")
    ):
        return "sqlite type names"
    return None


@pytest.fixture
def twin(db: TestDatabase, tmp_path: Path):
    """A second fresh database of the same dialect, for create_all()."""
    (tmp_path / "twin").mkdir()
    made = make_database(db.dialect_name, tmp_path / "twin")
    yield next(made)
    next(made, None)


def goofer(db: TestDatabase, migrations: Path, *args: str, models: str = MODELS):
    return run_goofer(
        "--database-url", db.url, "--dir", str(migrations), "--models", models, *args, cwd=REPO
    )


def test_generate_and_up_build_what_create_all_builds(db, twin, tmp_path):
    create_all(twin)
    migrations = tmp_path / "migrations"
    generated = goofer(db, migrations, "generate", "initial")
    assert generated.returncode == 0, generated.stderr
    applied = goofer(db, migrations, "up")
    assert applied.returncode == 0, applied.stderr
    assert applied.stdout.endswith("Applied 1 migration.\n")

    theirs, ours = catalog(twin), catalog(db)
    assert len({t for t, _ in theirs}) == 33
    explained = {
        key: intended(db, key, what, theirs[key])
        for key, what in differences(db, theirs, ours).items()
    }
    unexplained = {key: (theirs[key], ours[key]) for key, why in explained.items() if why is None}
    assert unexplained == {}
    # Each intended difference shows where it should, and only there.
    assert {k for k, why in explained.items() if why == "native enum"} == (
        NATIVE_ENUMS if db.dialect_name != "sqlite" else set()
    )
    if db.dialect_name == "postgresql":
        assert {k for k, why in explained.items() if why == "identity"} == {
            k for k, v in theirs.items() if str(v[2]).startswith("nextval(")
        }
    assert set(explained.values()) <= set(INTENDED)

    # Keys, indexes and constraints: the same, by what they cover (names are the database's).
    theirs_schema = get_dialect(db.dialect_name).read_schema(twin.connect())
    ours_schema = get_dialect(db.dialect_name).read_schema(db.connect())
    for table in theirs_schema.tables:
        mine = ours_schema.table(table.name)
        assert mine is not None and table.primary_key == mine.primary_key, table.name
        assert {fk.key() for fk in table.foreign_keys} == {fk.key() for fk in mine.foreign_keys}
        assert {i.key() for i in table.indexes} == {i.key() for i in mine.indexes}, table.name
        assert {u.key() for u in table.uniques} == {u.key() for u in mine.uniques}, table.name
        named = {c.name for c in table.checks if c.name and c.name.startswith("ck_")}
        assert named <= {c.name for c in mine.checks}, table.name
    assert indexes(db) == indexes(twin)  # and by the catalog's own account of them
    assert foreign_keys(db) == foreign_keys(twin)

    again = goofer(db, migrations, "generate", "again")
    assert (again.returncode, again.stdout) == (0, "No changes detected\n"), again.stderr
    check = goofer(db, migrations, "check")
    assert (check.returncode, check.stdout) == (
        0,
        "OK: every migration is applied and unchanged.\n",
    ), check.stderr


CHANGED = """
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Post(Base):
    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
"""


def test_a_column_added_to_a_model_only_is_caught_then_generated(db, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "blog.py").write_text(CHANGED)
    base = ("--database-url", db.url, "--dir", "migrations", "--models", "blog:Base")
    assert run_goofer(*base, "generate", "initial", cwd=project).returncode == 0
    assert run_goofer(*base, "up", cwd=project).returncode == 0

    (project / "blog.py").write_text(
        CHANGED + "    slug: Mapped[str] = mapped_column(sa.String(80))\n"
    )
    check = run_goofer(*base, "check", cwd=project)
    assert check.returncode == 1
    assert check.stdout == "entities differ from the migrations: add column posts.slug\n"

    generated = run_goofer(*base, "generate", "add_slug", cwd=project)
    assert generated.returncode == 0, generated.stderr
    # Adding a NOT NULL column without a default to a table that exists: said and written.
    assert "warning: NOT NULL column posts.slug is added without a default" in generated.stderr
    up_sql = next((project / "migrations").glob("*_add_slug.up.sql")).read_text()
    assert "-- WARNING: NOT NULL column posts.slug is added without a default" in up_sql
    if db.dialect_name == "sqlite":  # SQLite cannot ADD a NOT NULL column without a default
        assert "-- rebuild table posts" in up_sql and "--   add column posts.slug" in up_sql
    else:
        assert "ADD COLUMN" in up_sql and "slug" in up_sql and "CREATE TABLE" not in up_sql
    assert run_goofer(*base, "up", cwd=project).returncode == 0
    assert "slug" in {c for _, c in catalog(db)}
    assert run_goofer(*base, "check", cwd=project).returncode == 0
