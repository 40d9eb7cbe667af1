"""A Flask-SQLAlchemy app with two databases, migrated by Goofer: the tests' user app.

``users`` lives in the default database (``migrations/``), ``reports`` in the ``reports`` bind
(``migrations/reports/``, Goofer's default directory for a bind named in ``GOOFER_BINDS``).
``create_app(config)`` applies every pending migration on boot, as a real app would. Without a
config it reads ``APP_DATABASE_URL`` and ``REPORTS_DATABASE_URL`` (default: ``app.db`` and
``reports.db`` in the instance folder), so it runs from a shell::

    flask --app tests/flask_adapter/multidb_app goofer up
"""

from __future__ import annotations

import os
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from goofer_integrations.flask import Goofer

USERS = ["20260401090000", "20260402090000"]
REPORTS = ["20260401100000"]


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
goofer = Goofer()


class User(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(sa.String(80))
    email: Mapped[str | None] = mapped_column(sa.String(120))


class Report(db.Model):  # type: ignore[name-defined,misc]
    __bind_key__ = "reports"
    __tablename__ = "reports"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    title: Mapped[str] = mapped_column(sa.String(200))


def create_app(config: dict[str, Any] | None = None, *, apply: bool = True, **paths: str) -> Flask:
    """Create the app with ``config`` (and ``root_path``/``instance_path``), migrated on boot."""
    app = Flask(__name__, **paths)
    if config is None:
        config = {
            "SQLALCHEMY_DATABASE_URI": os.environ.get("APP_DATABASE_URL", "sqlite:///app.db"),
            "SQLALCHEMY_BINDS": {
                "reports": os.environ.get("REPORTS_DATABASE_URL", "sqlite:///reports.db")
            },
            "GOOFER_BINDS": ["reports"],
        }
    app.config.update(config)
    db.init_app(app)
    goofer.init_app(app)
    if apply:
        goofer.apply(app)
    return app
