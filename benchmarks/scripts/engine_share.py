"""Split a SQLite apply into the database engine's time and Goofer's own, at several N.

    python benchmarks/scripts/engine_share.py 1000 3000

For each N it writes the benchmark workload to a temporary folder, applies it with
``Migrator(...).up()`` under cProfile, and prints how long SQLite's ``execute`` took and how
long everything else (Goofer, the driver's Python side, the profiler's own share) took, per
migration. Apply on SQLite grows faster than N for every tool because each ``ALTER TABLE ...
ADD COLUMN`` re-reads the whole schema; this shows whether Goofer's own share grows too.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.workload import generate
from goofer_core.migrations.migrator import Migrator

EXECUTE = (
    "<method 'execute' of 'sqlite3.Connection' objects>",
    "<method 'execute' of 'sqlite3.Cursor' objects>",
)


def measure(n: int, folder: Path) -> None:
    """Apply ``n`` migrations to a new SQLite file in ``folder`` and print the split."""
    migrations = folder / "migrations"
    migrations.mkdir()
    for m in generate(n):
        (migrations / f"{m.label}.up.sql").write_text(m.up["sqlite"])
        (migrations / f"{m.label}.down.sql").write_text(m.down["sqlite"])
    migrator = Migrator(f"sqlite:///{folder / 'bench.db'}", directory=migrations)
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    migrator.up()
    profile.disable()
    wall = time.perf_counter() - start
    stats = pstats.Stats(profile)
    engine = sum(v[2] for k, v in stats.stats.items() if k[2] in EXECUTE)  # type: ignore[attr-defined]
    rest = stats.total_tt - engine  # type: ignore[attr-defined]
    print(
        f"N={n}: {wall:.2f} s in all, SQLite execute {engine:.2f} s "
        f"({engine / n * 1e3:.2f} ms per migration), everything else {rest:.3f} s "
        f"({rest / n * 1e6:.0f} us per migration)"
    )


def main() -> None:
    """Measure each N given on the command line (default 1000 and 3000)."""
    for n in [int(a) for a in sys.argv[1:]] or [1000, 3000]:
        with tempfile.TemporaryDirectory() as tmp:
            measure(n, Path(tmp))


if __name__ == "__main__":
    main()
