"""How much a squash saves: ``generate`` and ``check`` on a long history, before and after.

The history is an application's: six tables, then columns added, indexed and renamed over
time (``--n`` migrations). It is squashed into one migration with ``goofer squash``, and each
command runs as a whole process, the best of ``--runs``, on each database of ``--db``::

    python -m benchmarks.squash_history --n 60,360 --db sqlite,postgresql,mysql

The servers are the test suite's (PostgreSQL and MariaDB on 127.0.0.1, ``test`` database).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

URLS = {
    "sqlite": "sqlite:///{tmp}/unused.db",
    "postgresql": "postgresql://postgres@127.0.0.1:5432/test",
    "mysql": "mysql://root@127.0.0.1:3306/test",
}
TABLES = 6
ENTITIES = """from dataclasses import dataclass
from goofer_core import column, registry

@registry.register_entity(table="t0")
@dataclass
class T0:
    id: int = column(primary_key=True)
    name: str = column(max_length=100)
"""


def migration(i: int, dialect: str) -> tuple[str, str]:
    """Return the up and down SQL of migration ``i``."""
    t = f"t{i % TABLES}"
    if i < TABLES:
        up = f"CREATE TABLE {t} (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL);\n"
        return up, f"DROP TABLE {t};\n"
    if i % 3 == 0:
        return (
            f"ALTER TABLE {t} ADD COLUMN c{i} SMALLINT;\n",
            f"ALTER TABLE {t} DROP COLUMN c{i};\n",
        )
    if i % 3 == 1:
        on = f" ON {t}" if dialect == "mysql" else ""
        return (
            f"ALTER TABLE {t} ADD COLUMN n{i} INTEGER DEFAULT 0;\n"
            f"CREATE INDEX ix_{i} ON {t} (n{i});\n",
            f"DROP INDEX ix_{i}{on};\nALTER TABLE {t} DROP COLUMN n{i};\n",
        )
    return (
        f"ALTER TABLE {t} RENAME COLUMN name TO name{i};\n"
        f"ALTER TABLE {t} RENAME COLUMN name{i} TO name;\n",
        f"ALTER TABLE {t} RENAME COLUMN name TO name{i};\n"
        f"ALTER TABLE {t} RENAME COLUMN name{i} TO name;\n",
    )


def write_history(directory: Path, n: int, dialect: str) -> str:
    """Write ``n`` migrations; return the last id."""
    directory.mkdir()
    mid = ""
    for i in range(n):
        mid = f"2026{1 + i // 672:02d}{1 + (i // 24) % 28:02d}{i % 24:02d}0000"
        up, down = migration(i, dialect)
        (directory / f"{mid}_m{i}.up.sql").write_text(up)
        (directory / f"{mid}_m{i}.down.sql").write_text(down)
    return mid


def goofer(*args: str, cwd: Path) -> float:
    """Run goofer in a process; return its wall time."""
    start = time.perf_counter()
    command = [sys.executable, "-m", "goofer_core.cli", *args]
    subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    return time.perf_counter() - start


def best_of(runs: int, cwd: Path, url: str, directory: str, *command: str) -> float:
    """Return the best wall time of ``runs`` goofer processes running ``command``."""
    args = ("--database-url", url, "--dir", directory, "--entities", "ents", *command)
    return min(goofer(*args, cwd=cwd) for _ in range(runs))


def main() -> None:
    """Print the best time of generate and check, history against squashed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", default="60,360")
    parser.add_argument("--db", default="sqlite")
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    for n in (int(x) for x in options.n.split(",")):
        for dialect in options.db.split(","):
            with tempfile.TemporaryDirectory() as tmp:
                root = Path(tmp)
                (root / "ents.py").write_text(ENTITIES)
                url = URLS[dialect].format(tmp=tmp)
                last = write_history(root / "history", n, dialect)
                write_history(root / "squashed", n, dialect)
                took = goofer("--database-url", url, "--dir", "squashed", "squash", "--to", last,
                              "all", cwd=root)  # fmt: skip
                for command in (("generate", "x", "--dry-run"), ("check",)):
                    best = [
                        best_of(options.runs, root, url, d, *command)
                        for d in ("history", "squashed")
                    ]
                    print(
                        f"{n:5} {dialect:10} {command[0]:8} history {best[0]:.2f} s, "
                        f"squashed {best[1]:.2f} s (x{best[0] / best[1]:.1f}); "
                        f"the squash took {took:.2f} s"
                    )


if __name__ == "__main__":
    main()
