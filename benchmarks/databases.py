"""Throwaway benchmark databases: one per tool, named ``goofer_bench_*``, dropped at the end.

Servers default to the project's local ones; override with ``GOOFER_BENCH_POSTGRES_URL``
(``postgresql://user@host:port``) and ``GOOFER_BENCH_MYSQL_URL`` (``mysql://user@host:port``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DIALECT_OF = {
    "sqlite": "sqlite",
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
}
POSTGRES_SERVER = os.environ.get(
    "GOOFER_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432"
)
MYSQL_SERVER = os.environ.get("GOOFER_BENCH_MYSQL_URL", "mysql://root@127.0.0.1:3306")


@dataclass(frozen=True)
class Server:
    """Where a server listens and who logs in (no password: the benchmark uses trust auth)."""

    host: str
    port: int
    user: str
    password: str

    @classmethod
    def parse(cls, url: str, default_port: int) -> Server:
        """Parse ``scheme://user[:password]@host:port``."""
        parts = urlsplit(url)
        return cls(
            parts.hostname or "127.0.0.1",
            parts.port or default_port,
            parts.username or "",
            parts.password or "",
        )

    def auth(self) -> str:
        """Return ``user[:password]`` for a URL."""
        return f"{self.user}:{self.password}" if self.password else self.user


@dataclass(frozen=True)
class Target:
    """One throwaway database: a SQLite file, or a database on a server."""

    dialect: str  # sqlite | postgresql | mysql
    name: str  # the file path for SQLite, else the database name

    @property
    def server(self) -> Server:
        """Return the server this database lives on (not for SQLite)."""
        if self.dialect == "postgresql":
            return Server.parse(POSTGRES_SERVER, 5432)
        return Server.parse(MYSQL_SERVER, 3306)

    def url(self, flavour: str = "plain") -> str:
        """Return the URL: ``plain`` (Goofer, raw), ``sqlalchemy`` (Alembic) or ``yoyo``."""
        if self.dialect == "sqlite":
            return f"sqlite:///{self.name}"  # name is absolute: sqlite:////abs/path
        s = self.server
        if self.dialect == "postgresql":
            scheme = "postgresql" if flavour == "plain" else "postgresql+psycopg"
        else:
            scheme = "mysql+pymysql" if flavour == "sqlalchemy" else "mysql"
        return f"{scheme}://{s.auth()}@{s.host}:{s.port}/{self.name}"

    def django_settings(self) -> dict[str, Any]:
        """Return the ``DATABASES['default']`` entry for Django."""
        if self.dialect == "sqlite":
            return {"ENGINE": "django.db.backends.sqlite3", "NAME": self.name}
        s = self.server
        engine = "postgresql" if self.dialect == "postgresql" else "mysql"
        entry: dict[str, Any] = {
            "ENGINE": f"django.db.backends.{engine}",
            "NAME": self.name,
            "USER": s.user,
            "PASSWORD": s.password,
            "HOST": s.host,
            "PORT": str(s.port),
        }
        if self.dialect == "mysql":
            entry["OPTIONS"] = {"charset": "utf8mb4"}
        return entry

    # -- administration (run by the benchmark itself, never timed) ---------------------------

    def reset(self) -> None:
        """Drop the database if it exists and create it empty."""
        if self.dialect == "sqlite":
            self.drop()
            return
        with _admin(self) as cur:
            cur.execute(
                f"DROP DATABASE IF EXISTS {self.name}"
                + (" WITH (FORCE)" if self.dialect == "postgresql" else "")
            )
            cur.execute(
                f"CREATE DATABASE {self.name}"
                + (" CHARACTER SET utf8mb4" if self.dialect == "mysql" else "")
            )

    def drop(self) -> None:
        """Drop the database (or delete the SQLite file and its journals)."""
        if self.dialect == "sqlite":
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(self.name + suffix).unlink(missing_ok=True)
            return
        with _admin(self) as cur:
            cur.execute(
                f"DROP DATABASE IF EXISTS {self.name}"
                + (" WITH (FORCE)" if self.dialect == "postgresql" else "")
            )

    def count_tables(self, exclude: tuple[str, ...]) -> int:
        """Return how many tables the migrations made (tables named in ``exclude`` not counted)."""
        if self.dialect == "sqlite":
            import sqlite3

            conn = sqlite3.connect(self.name)
            try:
                rows = conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                    " AND name NOT LIKE 'sqlite_%'"
                ).fetchall()
            finally:
                conn.close()
        else:
            schema = "public" if self.dialect == "postgresql" else self.name
            with _admin(self, self.name) as cur:
                cur.execute(
                    "SELECT table_name FROM information_schema.tables "
                    f"WHERE table_schema = '{schema}'"
                )
                rows = cur.fetchall()
        return sum(1 for (name,) in rows if name.lower() not in exclude)

    def check_server(self) -> None:
        """Raise a readable error when the server cannot be reached."""
        if self.dialect != "sqlite":
            with _admin(self) as cur:
                cur.execute("SELECT 1")


@contextmanager
def _admin(target: Target, database: str | None = None) -> Iterator[Any]:
    """Yield an autocommit cursor on the server's maintenance database (or ``database``)."""
    s = target.server
    conn: Any
    if target.dialect == "postgresql":
        import psycopg

        conn = psycopg.connect(
            host=s.host,
            port=s.port,
            user=s.user,
            password=s.password or None,
            dbname=database or "postgres",
            autocommit=True,
        )
    else:
        import pymysql

        conn = pymysql.connect(
            host=s.host,
            port=s.port,
            user=s.user,
            password=s.password,
            database=database,
            autocommit=True,
        )
    try:
        yield conn.cursor()
    finally:
        conn.close()


def target_for(dialect: str, tool: str, workdir: Path) -> Target:
    """Return the throwaway database of ``tool`` on ``dialect``."""
    slug = tool.replace("-", "_")
    if dialect == "sqlite":
        return Target("sqlite", str((workdir / f"{slug}.db").resolve()))
    return Target(dialect, f"goofer_bench_{os.getpid()}_{slug}")
