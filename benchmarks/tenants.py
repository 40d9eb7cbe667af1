"""Benchmark tenants: one ``goofer up --schemas ... --jobs N`` against a ``goofer up`` per tenant.

    python -m benchmarks.tenants                                  # PostgreSQL, 100 x 10
    python -m benchmarks.tenants --db postgresql,mysql --tenants 100 --n 10 --jobs 4

For each database: T tenants (PostgreSQL: schemas in one throwaway database; MariaDB:
throwaway databases), N migrations of the usual workload (``workload.py``). Timed, each as
whole processes: the apply pass and the no-op pass of one ``goofer up --schemas`` run, then
the same two passes as one ``goofer up`` process per tenant, in turn (the tenant chosen as
users did: ``?options=-csearch_path=TENANT`` on PostgreSQL, the URL's database on MariaDB).
Prints seconds and ratios; goals: no-op <= 1 s, apply <= 5 s. Not a test: run by hand.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.adapters.base import console_script
from benchmarks.databases import MYSQL_SERVER, POSTGRES_SERVER, Server
from benchmarks.workload import generate

GOALS = {"apply": 5.0, "no-op": 1.0}


def log(message: str) -> None:
    """Print progress to stderr (stdout carries the table)."""
    print(message, file=sys.stderr, flush=True)


class Tenancy:
    """Throwaway tenants on one server: schemas of one database, or databases."""

    def __init__(self, dialect: str, count: int) -> None:
        self.dialect = dialect
        self.prefix = f"gbt{os.getpid()}_"
        self.names = [f"{self.prefix}{i:03d}" for i in range(count)]
        default_port = 5432 if dialect == "postgresql" else 3306
        self.server = Server.parse(
            POSTGRES_SERVER if dialect == "postgresql" else MYSQL_SERVER, default_port
        )
        self.home = f"goofer_bench_{os.getpid()}_tenants"  # the database the URL names

    def url(self, database: str | None = None) -> str:
        """Return the URL of ``database`` (default: the tenants' home database)."""
        s = self.server
        scheme = "postgresql" if self.dialect == "postgresql" else "mysql"
        return f"{scheme}://{s.auth()}@{s.host}:{s.port}/{database or self.home}"

    def tenant_url(self, tenant: str) -> str:
        """Return the URL one process per tenant is given."""
        if self.dialect == "postgresql":
            return f"{self.url()}?options=-csearch_path%3D{tenant}"
        return self.url(tenant)

    def _admin(self, database: str, *statements: str) -> None:
        from goofer_core.dialects import get_dialect
        from goofer_core.url import DatabaseURL

        conn = get_dialect(self.dialect).connect(DatabaseURL.parse(self.url(database)), 10)
        try:
            cur = conn.cursor()
            for sql in statements:
                cur.execute(sql)
        finally:
            conn.close()

    def reset(self) -> None:
        """Create the home database and the empty tenants (dropping what was there)."""
        admin = "postgres" if self.dialect == "postgresql" else "mysql"
        self.drop()
        self._admin(admin, f"CREATE DATABASE {self.home}")
        if self.dialect == "postgresql":
            self._admin(self.home, *(f"CREATE SCHEMA {n}" for n in self.names))
        else:
            self._admin(admin, *(f"CREATE DATABASE {n}" for n in self.names))

    def drop(self) -> None:
        """Drop the home database and, on MariaDB, the tenants' databases."""
        admin = "postgres" if self.dialect == "postgresql" else "mysql"
        force = " WITH (FORCE)" if self.dialect == "postgresql" else ""
        drops = [f"DROP DATABASE IF EXISTS {self.home}{force}"]
        if self.dialect == "mysql":
            drops += [f"DROP DATABASE IF EXISTS {n}" for n in self.names]
        self._admin(admin, *drops)


def write_migrations(folder: Path, dialect: str, n: int) -> None:
    """Write the workload's first ``n`` migrations as Goofer files."""
    folder.mkdir(parents=True)
    for m in generate(n):
        (folder / f"{m.label}.up.sql").write_text(m.up[dialect])
        (folder / f"{m.label}.down.sql").write_text(m.down[dialect])


def timed(argv: list[str]) -> float:
    """Run one process; return its wall time; raise with its stderr if it fails."""
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(argv)}\n{done.stderr}")
    return took


def one_run(tenancy: Tenancy, migrations: Path, jobs: int) -> float:
    """Time ``goofer up --schemas ...`` over every tenant."""
    goofer = console_script("goofer")
    schemas = ",".join(tenancy.names)
    command = [goofer, "--database-url", tenancy.url(), "--dir", str(migrations), "up"]
    return timed([*command, "--schemas", schemas, "--jobs", str(jobs)])


def process_per_tenant(tenancy: Tenancy, migrations: Path) -> float:
    """Time one ``goofer up`` process per tenant, in turn."""
    goofer = console_script("goofer")
    started = time.perf_counter()
    for tenant in tenancy.names:
        timed(
            [goofer, "--database-url", tenancy.tenant_url(tenant), "--dir", str(migrations), "up"]
        )
    return time.perf_counter() - started


def bench(dialect: str, tenants: int, n: int, jobs: int, baseline: bool) -> list[list[str]]:
    """Return the table rows for one database."""
    tenancy = Tenancy(dialect, tenants)
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        migrations = Path(tmp) / "migrations"
        write_migrations(migrations, dialect, n)
        try:
            tenancy.reset()
            log(f"{dialect}: goofer up --schemas ({tenants} tenants x {n}) --jobs {jobs}")
            ours = {"apply": one_run(tenancy, migrations, jobs)}
            ours["no-op"] = one_run(tenancy, migrations, jobs)
            theirs: dict[str, float] = {}
            if baseline:
                tenancy.reset()
                log(f"{dialect}: one goofer up process per tenant ({tenants}), apply then no-op")
                theirs["apply"] = process_per_tenant(tenancy, migrations)
                theirs["no-op"] = process_per_tenant(tenancy, migrations)
        finally:
            tenancy.drop()
    for scenario in ("apply", "no-op"):
        goal = GOALS[scenario]
        mine = ours[scenario]
        other = theirs.get(scenario)
        rows.append(
            [
                dialect,
                f"{scenario} ({tenants} x {n})",
                f"{mine:.2f}",
                "-" if other is None else f"{other:.2f}",
                "-" if other is None else f"{other / mine:.1f}x",
                f"<= {goal:g} s: {'met' if mine <= goal else 'MISSED'}",
            ]
        )
    return rows


def main() -> None:
    """Parse the options, run each database, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="postgresql", help="postgresql,mysql (MariaDB)")
    parser.add_argument("--tenants", type=int, default=100)
    parser.add_argument("--n", type=int, default=10, help="migrations per tenant")
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip the process-per-tenant passes (slow)"
    )
    args = parser.parse_args()
    rows = [
        [
            "database",
            "pass",
            f"goofer --schemas --jobs {args.jobs} s",
            "process per tenant s",
            "ratio",
            "goal",
        ],
    ]
    for dialect in args.db.split(","):
        rows += bench(dialect.strip(), args.tenants, args.n, args.jobs, not args.no_baseline)
    print("| " + " | ".join(rows[0]) + " |")
    print("|" + "---|" * len(rows[0]))
    for row in rows[1:]:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
