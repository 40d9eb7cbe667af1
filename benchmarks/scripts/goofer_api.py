"""Goofer in-process: ``Migrator`` called from Python, as an app does at boot.

    python goofer_api.py apply|noop|status|revert URL DIR
    python goofer_api.py probe URL DIR [REPEATS]    # the boot-path probe, prints JSON

``probe`` times ``Migrator(...).up()`` with nothing pending inside one process, counts the
statements it sends, and times the floor it is held to in the same process: open a connection,
one query of the tracking table, list the directory, read and MD5 every up file.
"""

from __future__ import annotations

import sys

# Only what a boot needs is imported at the top (not even typing, as the floor does not): the
# probe's tools load inside probe().
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def run(scenario: str, url: str, directory: str) -> None:
    """Run one scenario through the public API."""
    from goofer_core import Migrator

    migrator = Migrator(url, directory=directory)
    if scenario in ("apply", "noop"):
        applied = migrator.up()
        print(f"applied {len(applied)}")
    elif scenario == "status":
        print(len(migrator.status()))
    elif scenario == "revert":
        print(f"reverted {len(migrator.revert(steps=10))}")
    else:
        sys.exit(f"unknown scenario {scenario}")


class _Counting:
    """Wrap a DB-API connection (and its cursors) and record every statement sent."""

    def __init__(self, target: Any, sent: list[str]) -> None:
        self._target, self._sent = target, sent

    def execute(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        self._sent.append(" ".join(sql.split())[:80])
        return self._target.execute(sql, *args, **kwargs)

    def cursor(self, *args: Any, **kwargs: Any) -> _Counting:
        return _Counting(self._target.cursor(*args, **kwargs), self._sent)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target, name)

    def __enter__(self) -> _Counting:
        return self

    def __exit__(self, *exc: object) -> None:
        self._target.close()


def _median_ms(samples: list[float]) -> float:
    import statistics

    return round(statistics.median(samples) * 1000, 3)


def probe(url: str, directory: str, repeats: int) -> dict[str, Any]:
    """Measure the boot path against its floor; return the figures."""
    import hashlib
    import os
    import statistics
    import time

    from goofer_core import Migrator
    from goofer_core.migrations.files import load_migrations
    from goofer_core.migrations.plan import is_up_to_date
    from goofer_core.migrations.tracking import TrackingTable

    migrator = Migrator(url, directory=directory)
    dialect, real_connect = migrator.dialect, migrator.dialect.connect
    sent: list[str] = []
    dialect.connect = lambda u, t: _Counting(real_connect(u, t), sent)  # type: ignore[method-assign,assignment]
    if migrator.up():
        raise SystemExit("probe needs every migration applied first")
    up, statements = [], []
    for _ in range(repeats):
        sent.clear()
        start = time.perf_counter()
        migrator.up()
        up.append(time.perf_counter() - start)
        statements.append(list(sent))
    dialect.connect = real_connect  # type: ignore[method-assign]

    # The floor: connect, one query, read and hash every up file (no parsing, no objects).
    floor: dict[str, list[float]] = {"connect": [], "query": [], "files": [], "total": []}
    phases: dict[str, list[float]] = {"connect": [], "read_table": [], "load_files": [], "plan": []}
    assert migrator.url is not None
    for _ in range(repeats):
        t0 = time.perf_counter()
        conn = real_connect(migrator.url, 10.0)
        t1 = time.perf_counter()
        cur = conn.cursor()
        cur.execute(f"SELECT id, checksum FROM {dialect.quote(migrator.table)}")
        stored = dict(cur.fetchall())
        t2 = time.perf_counter()
        for entry in sorted(os.listdir(directory)):
            if entry.endswith(".up.sql"):
                with open(os.path.join(directory, entry), "rb") as f:
                    digest = hashlib.md5(f.read()).hexdigest()
                assert stored.get(entry.split("_", 1)[0]) == digest
        t3 = time.perf_counter()
        conn.close()
        for key, value in (
            ("connect", t1 - t0),
            ("query", t2 - t1),
            ("files", t3 - t2),
            ("total", t3 - t0),
        ):
            floor[key].append(value)

        # Goofer's own stages, timed one by one.
        t0 = time.perf_counter()
        conn = real_connect(migrator.url, 10.0)
        t1 = time.perf_counter()
        rows = TrackingTable(dialect, conn, migrator.table).read_checksums_if_exists()
        t2 = time.perf_counter()
        files = load_migrations(directory)
        t3 = time.perf_counter()
        assert rows is not None and is_up_to_date(files, rows)
        t4 = time.perf_counter()
        conn.close()
        for key, value in (
            ("connect", t1 - t0),
            ("read_table", t2 - t1),
            ("load_files", t3 - t2),
            ("plan", t4 - t3),
        ):
            phases[key].append(value)
    return {
        "repeats": repeats,
        "statements_per_up": statements[-1],
        "round_trips_per_up": len(statements[-1]),
        "up_ms": _median_ms(up),
        "floor_ms": {k: _median_ms(v) for k, v in floor.items()},
        "goofer_stages_ms": {k: _median_ms(v) for k, v in phases.items()},
        "ratio": round(statistics.median(up) / statistics.median(floor["total"]), 3),
    }


def main() -> None:
    """Run a scenario or the probe."""
    scenario, url, directory = sys.argv[1:4]
    if scenario == "probe":
        repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 20
        import json

        print(json.dumps(probe(url, directory, repeats)))
    else:
        run(scenario, url, directory)


if __name__ == "__main__":
    main()
