"""The shop's pages: they read the tables that the migrations create."""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import Blueprint, current_app, g

from goofer_core import DatabaseURL

blueprint = Blueprint("shop", __name__)


def connect(url_text: str) -> Any:
    """Open a DB-API connection to a sqlite://, postgresql:// or mysql:// URL."""
    url = DatabaseURL.parse(url_text)
    if url.dialect == "sqlite":
        return sqlite3.connect(url.database)
    if url.dialect == "postgresql":
        import psycopg

        return psycopg.connect(
            host=url.host, port=url.port, user=url.user, password=url.password, dbname=url.database
        )
    import pymysql

    return pymysql.connect(
        host=url.host or "localhost",
        port=url.port or 3306,
        user=url.user,
        password=url.password or "",
        database=url.database,
    )


def get_db() -> Any:
    """Return this request's connection, opened on first use."""
    if "db" not in g:
        g.db = connect(current_app.config["GOOFER_DATABASE_URL"])
    return g.db


@blueprint.teardown_app_request
def close_db(_: BaseException | None) -> None:
    """Close the request's connection, if one was opened."""
    db = g.pop("db", None)
    if db is not None:
        db.close()


@blueprint.get("/products")
def products() -> list[dict[str, Any]]:
    """List every product with its price and stock."""
    cur = get_db().cursor()
    cur.execute(
        "SELECT p.sku, p.title, p.price_cents, s.quantity"
        " FROM products p JOIN stock s ON s.product_id = p.id ORDER BY p.sku"
    )
    return [
        {"sku": sku, "title": title, "price_cents": price, "in_stock": quantity}
        for sku, title, price, quantity in cur.fetchall()
    ]
