"""A Flask-SQLAlchemy blog whose models are Goofer's entities: nothing is declared twice.

``flask --app examples/flask_blog goofer generate NAME`` writes the migration that brings
``migrations/`` in line with the models below; the app applies pending migrations on boot.
The database URL comes from ``BLOG_DATABASE_URL``, else ``blog.db`` in the instance folder.
"""

from __future__ import annotations

import os
from datetime import datetime

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import ForeignKey, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from goofer_integrations.flask import Goofer


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
goofer = Goofer()


class Post(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(server_default="0")


class Comment(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


def create_app() -> Flask:
    """Create the blog and bring its database up to date."""
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("BLOG_DATABASE_URL", "sqlite:///blog.db")
    db.init_app(app)
    goofer.init_app(app)
    goofer.apply()

    @app.get("/posts")
    def posts() -> list[dict[str, object]]:
        return [{"id": p.id, "title": p.title} for p in db.session.scalars(db.select(Post))]

    return app
