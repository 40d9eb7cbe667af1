"""A Flask-SQLAlchemy app with no Goofer declarations: its models are the entities.

On every database: `flask goofer generate` writes the first migration from `db.metadata`,
`up` applies it, a column added to a model only makes `check` fail naming it, and `generate`
writes exactly that change. `GOOFER_MODELS` names other models, or (empty) none.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

flask_sqlalchemy = pytest.importorskip("flask_sqlalchemy")

import sqlalchemy as sa  # noqa: E402
from flask import Flask  # noqa: E402
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column  # noqa: E402

from goofer_core import registry  # noqa: E402
from goofer_integrations.flask import Goofer  # noqa: E402
from tests.helpers import TestDatabase  # noqa: E402


@pytest.fixture(autouse=True)
def _no_goofer_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("GOOFER_"):
            monkeypatch.delenv(key)


def make_app(root: Path, db_url: str, with_slug: bool = False, **config: object) -> Flask:
    """Return a blog app: Flask-SQLAlchemy models (posts with or without slug, comments)."""

    class Base(DeclarativeBase):
        pass

    db = flask_sqlalchemy.SQLAlchemy(model_class=Base)

    class Post(db.Model):  # type: ignore[name-defined,misc]
        __tablename__ = "posts"
        id: Mapped[int] = mapped_column(primary_key=True)
        title: Mapped[str] = mapped_column(sa.String(200))
        published: Mapped[bool] = mapped_column(server_default=sa.false())
        if with_slug:
            slug: Mapped[str | None] = mapped_column(sa.String(80), unique=True)

    class Comment(db.Model):  # type: ignore[name-defined,misc]
        __tablename__ = "comments"
        id: Mapped[int] = mapped_column(primary_key=True)
        post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"))
        body: Mapped[str] = mapped_column(sa.Text)

    app = Flask("blog", root_path=str(root), instance_path=str(root / "instance"))
    app.config["SQLALCHEMY_DATABASE_URI"] = sqlalchemy_url(db_url)
    app.config.update(config)
    db.init_app(app)
    Goofer(app)
    return app


def sqlalchemy_url(url: str) -> str:
    """Return the URL as Flask-SQLAlchemy wants it (the driver Goofer uses named)."""
    for plain, with_driver in (
        ("postgresql://", "postgresql+psycopg://"),
        ("mysql://", "mysql+pymysql://"),
    ):
        if url.startswith(plain):
            return with_driver + url[len(plain) :]
    return url


def flask_goofer(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["goofer", *args])


def test_the_apps_models_are_generated_checked_and_changed(db: TestDatabase, tmp_path: Path):
    app = make_app(tmp_path, db.url)
    first = flask_goofer(app, "generate", "initial")
    assert first.exit_code == 0, first.output
    assert first.stdout.count("Created ") == 2
    up_sql = next((tmp_path / "migrations").glob("*_initial.up.sql")).read_text()
    assert "posts" in up_sql and "comments" in up_sql
    applied = flask_goofer(app, "up")
    assert applied.exit_code == 0, applied.output
    assert {"posts", "comments"} <= db.tables()
    check = flask_goofer(app, "check")
    assert (check.exit_code, check.stdout) == (
        0,
        "OK: every migration is applied and unchanged.\n",
    ), check.output

    changed = make_app(tmp_path, db.url, with_slug=True)
    check = flask_goofer(changed, "check")
    assert check.exit_code == 1
    assert check.stdout.splitlines()[0].startswith(
        "entities differ from the migrations: add column posts.slug"
    )
    generated = flask_goofer(changed, "generate", "add_slug")
    assert generated.exit_code == 0, generated.output
    up_sql = next((tmp_path / "migrations").glob("*_add_slug.up.sql")).read_text()
    assert "slug" in up_sql and 'CREATE TABLE "comments"' not in up_sql
    applied = flask_goofer(changed, "up")
    assert applied.exit_code == 0, applied.output
    assert flask_goofer(changed, "check").exit_code == 0


def test_goofer_models_names_other_models_or_none(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "other_models.py").write_text(
        "import sqlalchemy as sa\n"
        "metadata = sa.MetaData()\n"
        "sa.Table('things', metadata, sa.Column('id', sa.Integer, primary_key=True))\n"
    )
    url = f"sqlite:///{tmp_path / 'blog.db'}"
    app = make_app(tmp_path, url, GOOFER_MODELS="other_models:metadata")
    plan = flask_goofer(app, "generate", "things", "--dry-run")
    assert plan.exit_code == 0, plan.output
    assert 'CREATE TABLE "things"' in plan.stdout and "posts" not in plan.stdout

    off = make_app(tmp_path, url, GOOFER_MODELS="")
    monkeypatch.setattr(registry, "_entities", {})  # other tests may have registered entities
    result = flask_goofer(off, "generate", "nothing")
    assert result.exit_code == 1
    assert "no entities are registered" in result.stderr
    (tmp_path / "migrations").mkdir()
    assert flask_goofer(off, "check").exit_code == 0  # nothing pending, no entities to compare
