"""Benchmark Goofer against its Python peers and a raw DB-API floor, as whole processes.

    python -m benchmarks.run --quick                         # N=100, 3 runs, SQLite: a try
    python -m benchmarks.run --db sqlite,postgresql,mysql    # N=1000, 5 runs: the real thing
    python benchmarks/run.py --db sqlite --n 1000,3000 --scenarios A,C

Runs are interleaved (A B C A B C ...) so that machine drift hits every tool alike; the first
round is a warm-up and is dropped. Every database is a throwaway ``goofer_bench_*`` one (or a
SQLite file in a temporary folder), dropped at the end. Prints a Markdown table and writes it,
with a JSON file holding every sample, to ``--out``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import importlib.util
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.adapters import SCENARIOS, TOOLS, Tool, Workspace
from benchmarks.adapters.base import APPLY, NOOP, REVERT, REVERT_STEPS, STARTUP, STATUS
from benchmarks.adapters.goofer import GooferAPI
from benchmarks.databases import DIALECT_OF, Target, target_for
from benchmarks.measure import ProcessFailed, Sample, run_process
from benchmarks.report import FLOOR, Report, add_ratios, make_row
from benchmarks.workload import generate, tables_after

HERE = Path(__file__).resolve().parent
DRIVERS_AND_FRAMEWORKS = {
    "psycopg",
    "psycopg2",
    "pymysql",
    "MySQLdb",
    "sqlalchemy",
    "django",
    "flask",
    "alembic",
    "yoyo",
    "sqlparse",
}
DRIVER_OF = {"sqlite": "sqlite3", "postgresql": "psycopg", "mysql": "pymysql"}


# Dropped from the measured processes' environment: Goofer's own settings, and
# PYTHONDONTWRITEBYTECODE, which (set in some shells and CI images) would make every process
# compile its modules from source on every run; installed software runs from cached bytecode,
# which the warm-up round writes for every tool (Alembic and Django migration files included).
def child_env() -> dict[str, str]:
    """Return the environment for measured processes: ours, minus the variables above."""
    return {
        k: v
        for k, v in os.environ.items()
        if (not k.startswith("GOOFER_") or k.startswith("GOOFER_BENCH_"))
        and k != "PYTHONDONTWRITEBYTECODE"
    }


def log(message: str) -> None:
    """Print progress to stderr (stdout carries the table)."""
    print(message, file=sys.stderr, flush=True)


class Bench:
    """Drive every selected tool through the scenarios on one database and one N."""

    def __init__(self, dialect: str, n: int, tools: list[Tool], root: Path, args: Any) -> None:
        self.dialect, self.n, self.tools, self.args = dialect, n, tools, args
        self.migrations = generate(n)
        self.env = child_env()
        self.workspaces: dict[str, Workspace] = {}
        self.state: dict[str, str] = {}
        for tool in tools:
            folder = root / f"{dialect}-{n}" / tool.name
            folder.mkdir(parents=True, exist_ok=True)
            ws = Workspace(folder, target_for(dialect, tool.name, folder), self.migrations)
            tool.prepare(ws)
            self.workspaces[tool.name] = ws
            self.state[tool.name] = "unknown"

    def targets(self) -> list[Target]:
        """Return every throwaway database of this bench."""
        return [ws.target for ws in self.workspaces.values()]

    def run(self, tool: Tool, scenario: str) -> Sample:
        """Run one scenario once with ``tool``; raise if it fails."""
        ws = self.workspaces[tool.name]
        argv = tool.command(scenario, ws)
        sample = run_process(argv, ws.directory, self.env, self.args.timeout)
        if sample.exit_code != 0:
            raise ProcessFailed(
                f"{tool.name} {scenario} on {self.dialect} exited {sample.exit_code}: "
                f"{' '.join(argv)}\n{sample.stderr[-3000:]}{sample.stdout[-1000:]}"
            )
        return sample

    def setup(self, tool: Tool, scenario: str) -> None:
        """Bring the tool's database to the scenario's starting state (never timed)."""
        ws, state = self.workspaces[tool.name], self.state[tool.name]
        if scenario == STARTUP:
            return
        if scenario == APPLY:
            ws.target.reset()
            self.state[tool.name] = "empty"
            return
        if state == "full":
            return
        if state != "reverted":
            ws.target.reset()
        self.run(tool, APPLY)
        self.state[tool.name] = "full"

    def verify(self, tool: Tool, scenario: str) -> None:
        """Check, after a run, that the tool did the work (the tables are there or gone)."""
        ws = self.workspaces[tool.name]
        kept = self.migrations[:-REVERT_STEPS] if scenario == REVERT else self.migrations
        expected = tables_after(kept)
        found = ws.target.count_tables(tool.bookkeeping)
        if found != expected:
            raise ProcessFailed(
                f"{tool.name} {scenario} on {self.dialect}: {found} tables, expected {expected}"
            )

    def scenario(self, scenario: str) -> dict[str, list[Sample]]:
        """Measure one scenario for every tool, interleaved; drop the warm-up round."""
        samples: dict[str, list[Sample]] = {t.name: [] for t in self.tools}
        rounds = self.args.warmup + self.args.runs
        for i in range(rounds):
            for tool in self.tools:
                self.setup(tool, scenario)
                sample = self.run(tool, scenario)
                self.state[tool.name] = {APPLY: "full", REVERT: "reverted"}.get(
                    scenario, self.state[tool.name]
                )
                if i == 0 and scenario != STARTUP:
                    self.verify(tool, scenario)
                if i >= self.args.warmup:
                    samples[tool.name].append(sample)
                log(
                    f"  [{self.dialect} N={self.n}] {scenario} {i + 1}/{rounds} "
                    f"{tool.name:<10} {sample.seconds:8.3f} s {sample.max_rss_kib / 1024:6.1f} MiB"
                )
        return samples

    def probe(self, repeats: int) -> dict[str, Any]:
        """Run the in-process boot-path probe on Goofer's database (all applied)."""
        tool = TOOLS["goofer-api"]
        assert isinstance(tool, GooferAPI)
        self.setup(tool, NOOP)
        ws = self.workspaces[tool.name]
        sample = run_process(tool.probe_command(ws, repeats), ws.directory, self.env)
        if sample.exit_code != 0:
            raise ProcessFailed(f"probe failed:\n{sample.stderr[-3000:]}")
        result: dict[str, Any] = json.loads(sample.stdout)
        return {"db": self.dialect, "n": self.n, **result}

    def imports(self) -> tuple[str, dict[str, Any]]:
        """Return what ``goofer status`` imports on this database."""
        ws = self.workspaces["goofer"]
        self.setup(TOOLS["goofer"], STATUS)
        return (
            f"goofer status ({self.dialect})",
            import_report(
                TOOLS["goofer"].command(STATUS, ws), ws.directory, {DRIVER_OF[self.dialect]}
            ),
        )

    def drop(self) -> None:
        """Drop every database of this bench."""
        for target in self.targets():
            try:
                target.drop()
            except Exception as exc:  # keep dropping the others; say which one is left
                log(f"warning: could not drop {target.name}: {exc}")


def import_report(argv: list[str], cwd: Path, needed: Iterable[str] = ()) -> dict[str, Any]:
    """Run ``argv`` with ``-X importtime``; return the top-level packages and the slowest ones."""
    env = {**child_env(), "PYTHONPROFILEIMPORTTIME": "1"}
    sample = run_process(argv, cwd, env)
    cumulative: dict[str, int] = {}
    for line in sample.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line or "cumulative" in line:
            continue
        _, cum, name = line[len("import time:") :].split("|")
        cumulative[name.strip()] = int(cum)
    packages = sorted({name.split(".")[0] for name in cumulative} - _baseline_packages(cwd))
    unneeded = sorted(DRIVERS_AND_FRAMEWORKS.intersection(packages) - set(needed))
    ours = sorted(
        ((k, v) for k, v in cumulative.items() if k.split(".")[0] in ("goofer_core", "click")),
        key=lambda kv: -kv[1],
    )[:8]
    return {
        "argv": argv[1:],
        "packages_beyond_python_c_pass": packages,
        "unneeded": unneeded,
        "slowest_ms": {k: round(v / 1000, 1) for k, v in ours},
    }


_BASELINE: set[str] = set()


def _baseline_packages(cwd: Path) -> set[str]:
    """Return the top-level modules ``python -c pass`` imports here (site, .pth files)."""
    if not _BASELINE:
        env = {**child_env(), "PYTHONPROFILEIMPORTTIME": "1"}
        sample = run_process([sys.executable, "-c", "pass"], cwd, env)
        _BASELINE.update(
            line.split("|")[2].strip().split(".")[0]
            for line in sample.stderr.splitlines()
            if line.startswith("import time:") and "cumulative" not in line
        )
    return _BASELINE


def startup(tools: list[Tool], root: Path, args: Any, report: Report) -> None:
    """Scenario (E): start-up of each tool's command, against ``python -c pass``."""
    bench = Bench("sqlite", max(REVERT_STEPS + 1, 12), tools, root / "startup", args)
    samples = bench.scenario(STARTUP)
    report.rows += [make_row("-", 0, STARTUP, name, s) for name, s in samples.items()]
    goofer = bench.workspaces["goofer"]
    report.imports["goofer --help"] = import_report(
        TOOLS["goofer"].command(STARTUP, goofer), goofer.directory
    )


def machine(dialects: list[str]) -> dict[str, Any]:
    """Describe the machine, the software versions and the load."""
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    versions = {"Python": platform.python_version(), "SQLite": sqlite3.sqlite_version}
    for dialect in dialects:
        if dialect != "sqlite":
            versions.update(server_version(dialect))
    for dist in (
        "goofer",
        "click",
        "psycopg",
        "PyMySQL",
        "alembic",
        "SQLAlchemy",
        "Django",
        "yoyo-migrations",
        "sqlparse",
    ):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            versions[dist] = importlib.metadata.version(dist)
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(mem_kib / 2**20, 1),
        "kernel": platform.release(),
        "versions": versions,
        "goofer_commit": goofer_commit(),
        "loadavg_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def goofer_commit() -> str:
    """Return the checkout's commit, marked ``+changes`` when goofer_core has uncommitted edits."""
    repo = HERE.parent

    def git(*argv: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(repo), *argv], capture_output=True, text=True, check=False
        )
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + ("+changes" if git("status", "--porcelain", "--", "goofer_core") else "")


def server_version(dialect: str) -> dict[str, str]:
    """Return the server's version string."""
    from benchmarks.databases import _admin

    with _admin(Target(dialect, "")) as cur:
        cur.execute("SHOW server_version" if dialect == "postgresql" else "SELECT VERSION()")
        (version,) = cur.fetchone()
    return {"PostgreSQL" if dialect == "postgresql" else "MariaDB/MySQL": str(version)}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--db", default="sqlite", help="comma-separated: sqlite,postgresql,mysql (default sqlite)"
    )
    parser.add_argument(
        "--n",
        default=None,
        help="migrations per workload, comma-separated (default 1000; quick 100)",
    )
    parser.add_argument(
        "--runs", type=int, default=None, help="measured runs per tool (default 5; quick 3)"
    )
    parser.add_argument("--warmup", type=int, default=1, help="warm-up rounds dropped (1)")
    parser.add_argument(
        "--tools",
        default=",".join(TOOLS),
        help=f"comma-separated, of {','.join(TOOLS)} (raw is always run)",
    )
    parser.add_argument(
        "--scenarios",
        default="A,B,C,D,E",
        help="comma-separated letters: A apply, B no-op up, C status, D revert 10, E start-up",
    )
    parser.add_argument("--quick", action="store_true", help="N=100 and 3 runs, to try things")
    parser.add_argument(
        "--out", default=str(HERE / "results"), help="folder for the .md and .json results"
    )
    parser.add_argument(
        "--workdir",
        default=None,
        help="where workloads and SQLite files go (default: a temporary folder)",
    )
    parser.add_argument("--keep", action="store_true", help="keep --workdir and the databases")
    parser.add_argument(
        "--probe-repeats",
        type=int,
        default=20,
        help="repetitions inside the in-process boot probe (20)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=1800.0,
        help="seconds before one measured process is killed",
    )
    args = parser.parse_args(argv)
    args.ns = [int(x) for x in (args.n or ("100" if args.quick else "1000")).split(",")]
    args.runs = args.runs or (3 if args.quick else 5)
    args.dialects = [DIALECT_OF[d.strip().lower()] for d in args.db.split(",")]
    args.scenario_keys = [SCENARIOS[s.strip().upper()] for s in args.scenarios.split(",")]
    names = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = set(names) - set(TOOLS)
    if unknown:
        parser.error(f"unknown tools: {', '.join(sorted(unknown))}")
    args.tool_names = [FLOOR, *[t for t in TOOLS if t in names and t != FLOOR]]
    if REVERT in args.scenario_keys and min(args.ns) <= REVERT_STEPS:
        parser.error(f"--n must be more than {REVERT_STEPS} for scenario D")
    return args


def check_installed(tools: list[Tool]) -> None:
    """Stop early, naming the extra, when a peer is not installed."""
    missing = [m for t in tools for m in t.requires if importlib.util.find_spec(m) is None]
    if missing:
        sys.exit(f"not installed: {', '.join(missing)}: pip install -e '.[bench]'")


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and write its results."""
    args = parse_args(argv)
    tools = [TOOLS[name] for name in args.tool_names]
    check_installed(tools)
    report = Report(
        machine(args.dialects),
        {
            "dbs": args.dialects,
            "n": args.ns,
            "runs": args.runs,
            "warmup": args.warmup,
            "tools": args.tool_names,
            "scenarios": args.scenario_keys,
        },
    )
    root = Path(args.workdir or tempfile.mkdtemp(prefix="goofer_bench_"))
    started = time.perf_counter()
    try:
        for dialect in args.dialects:
            for n in args.ns:
                run_one(dialect, n, tools, root, args, report)
        if STARTUP in args.scenario_keys:
            log("[start-up]")
            startup(tools, root, args, report)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    report.machine["loadavg_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    end_commit = goofer_commit()
    if end_commit != report.machine["goofer_commit"]:  # the engine changed under the run
        report.machine["goofer_commit"] += f" (at the end: {end_commit})"
    report.config["wall_seconds"] = round(time.perf_counter() - started, 1)
    add_ratios(report.rows)
    report.judge()
    write(report, Path(args.out))


def run_one(dialect: str, n: int, tools: list[Tool], root: Path, args: Any, report: Report) -> None:
    """Measure the database scenarios for one dialect and one N."""
    log(f"[{dialect} N={n}] writing workloads to {root}")
    bench = Bench(dialect, n, tools, root, args)
    bench.targets()[0].check_server()
    try:
        for scenario in args.scenario_keys:
            if scenario == STARTUP:
                continue
            samples = bench.scenario(scenario)
            report.rows += [make_row(dialect, n, scenario, name, s) for name, s in samples.items()]
            if scenario == NOOP and "goofer-api" in bench.workspaces:
                report.probes.append(bench.probe(args.probe_repeats))
        if "goofer" in bench.workspaces and set(args.scenario_keys) & {NOOP, STATUS}:
            key, found = bench.imports()
            report.imports[key] = found
    finally:
        if args.keep:
            log(f"kept: {', '.join(t.url() for t in bench.targets())}")
        else:
            bench.drop()


def write(report: Report, out: Path) -> None:
    """Print the Markdown and write it with the JSON next to it."""
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    config = report.config
    stem = f"{stamp}-{'-'.join(config['dbs'])}-n{'-'.join(map(str, config['n']))}"
    text = report.markdown()
    (out / f"{stem}.md").write_text(text + "\n", encoding="utf-8")
    (out / f"{stem}.json").write_text(
        json.dumps(report.as_json(), indent=1) + "\n", encoding="utf-8"
    )
    print(text)
    log(f"wrote {out / stem}.md and .json ({config['wall_seconds']} s)")


if __name__ == "__main__":
    main()
