"""How much a Goofer-migrated test database costs next to ``db.create_all()``, for the same models.

Run by hand (not part of the test suite)::

    python -m benchmarks.flask_fixture                       # every backend, 20 rounds
    python -m benchmarks.flask_fixture --db sqlite-memory,postgresql --rounds 50

Each round is what the README's pytest recipe does per test (function scope): a new database
(``temporary_database``), a new Flask app on it, then its schema, either by ``goofer.apply()``
(the migrations ``flask goofer generate`` wrote from the models) or by ``db.create_all()``. It
prints the median of the schema step alone and of the whole round, and Goofer's ratio to
``create_all``. Servers: ``GOOFER_TEST_POSTGRES_URL`` and ``GOOFER_TEST_MYSQL_URL`` (defaults:
the test suite's, postgres@127.0.0.1:5432/test and root@127.0.0.1:3306/test).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from goofer_integrations.flask import Goofer
from goofer_integrations.flask.testing import temporary_database

BACKENDS = {
    "sqlite-memory": "sqlite://",
    "sqlite-file": "sqlite:///bench.db",
    "postgresql": os.environ.get(
        "GOOFER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
    ).replace("postgresql://", "postgresql+psycopg://", 1),
    "mysql": os.environ.get("GOOFER_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/test").replace(
        "mysql://", "mysql+pymysql://", 1
    ),
}


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Customer(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(200), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))


class Product(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "products"
    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200), index=True)
    price_cents: Mapped[int]


class Order(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), server_default="new")


class OrderLine(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "order_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(server_default="1")


class Review(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), index=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id"))
    stars: Mapped[int]
    body: Mapped[str] = mapped_column(sa.Text)


def make_app(url: str, root: Path) -> Flask:
    """Return an app on ``url`` whose migrations are in ``root/migrations``."""
    app = Flask(__name__, root_path=str(root), instance_path=str(root / "instance"))
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    db.init_app(app)
    Goofer(app)
    return app


def close(app: Flask) -> None:
    """Close the app's connections (so the server database can be dropped at once)."""
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()


def generate_migrations(url: str, root: Path) -> None:
    """Write the models' first migration for this backend, as ``flask goofer generate`` does."""
    with temporary_database(url) as fresh:
        app = make_app(fresh, root)
        result = app.test_cli_runner().invoke(args=["goofer", "generate", "initial"])
        close(app)
    if result.exit_code != 0:
        raise SystemExit(f"generate failed: {result.output}")


def goofer_schema(app: Flask) -> None:
    app.extensions["goofer"].apply(app)


def create_all_schema(app: Flask) -> None:
    with app.app_context():
        db.create_all()


def one_round(
    url: str, root: Path, schema: Callable[[Flask], None], check: bool = False
) -> tuple[float, float]:
    """Return (seconds for the schema step, seconds for the whole fresh database)."""
    start = time.perf_counter()
    with temporary_database(url) as fresh:
        app = make_app(fresh, root)
        before = time.perf_counter()
        schema(app)
        step = time.perf_counter() - before
        if check:  # the warm-up round: both ways must build every table
            with app.app_context():
                tables = set(sa.inspect(db.engine).get_table_names())
            if not set(db.metadata.tables) <= tables:
                raise SystemExit(f"{schema.__name__}: tables missing, found {sorted(tables)}")
        close(app)
    return step, time.perf_counter() - start


def measure(name: str, rounds: int) -> str:
    """Return one result line for a backend."""
    url = BACKENDS[name]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        generate_migrations(url, root)
        results = {}
        for label, schema in (("goofer", goofer_schema), ("create_all", create_all_schema)):
            one_round(url, root, schema, check=True)  # warm-up: imports, first connection
            samples = [one_round(url, root, schema) for _ in range(rounds)]
            results[label] = (
                statistics.median(s for s, _ in samples) * 1000,
                statistics.median(t for _, t in samples) * 1000,
            )
    (g_step, g_total), (c_step, c_total) = results["goofer"], results["create_all"]
    return (
        f"{name:<14} schema: goofer {g_step:7.1f} ms  create_all {c_step:7.1f} ms  "
        f"x{g_step / c_step:4.2f}   fresh database: goofer {g_total:7.1f} ms  "
        f"create_all {c_total:7.1f} ms  x{g_total / c_total:4.2f}"
    )


def main() -> None:
    """Measure the chosen backends and print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=",".join(BACKENDS), help="comma-separated backends")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    print(f"median of {args.rounds} rounds; 5 tables, 3 foreign keys, indexes and uniques")
    for name in args.db.split(","):
        print(measure(name, args.rounds), flush=True)


if __name__ == "__main__":
    main()
