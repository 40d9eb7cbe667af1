"""Summaries, the issue's targets, and the Markdown and JSON outputs."""

from __future__ import annotations

import argparse
import json
import statistics
from dataclasses import asdict, dataclass, field
from typing import Any

from .measure import Sample

FLOOR = "raw"
LETTER = {"apply": "A", "noop": "B", "status": "C", "revert": "D", "startup": "E"}
TITLE = {
    "apply": "A apply all",
    "noop": "B no-op up",
    "status": "C status",
    "revert": "D revert 10",
    "startup": "E start-up",
}
LEGEND = (
    "A: apply every migration to an empty database. B: `up` with everything applied (the "
    "floor reads the table and verifies every checksum). C: status listing (the floor reads the "
    "table, lists the folder and hashes each applied up file, to tell applied from modified). "
    "D: revert the last 10. E: `--help` (Django: `manage.py help`; "
    "goofer-api: `from goofer_core import Migrator`; the floor: `python -c pass`). "
    "x floor: median over the raw floor's median, same database, N and scenario. "
    "Client CPU: user + system time of the measured process (the database server's work is "
    "not in it); less disturbed than wall time by other load on the machine."
)
# Ratio to the floor that Goofer must not exceed, per scenario; and for peak memory.
TARGETS = {"apply": 1.15, "noop": 1.5, "status": 1.5, "revert": 1.5, "startup": 6.0}
MEMORY_TARGET = 1.3
LINEAR_MAX = 3.3  # t(3000) / t(1000): "about 3x" read as no worse than linear plus 10 %
GOOFER_TOOLS = ("goofer", "goofer-api")


@dataclass
class Row:
    """One tool in one scenario: its samples and their summary against the floor."""

    db: str
    n: int
    scenario: str
    tool: str
    seconds: list[float]
    rss_kib: list[int]
    cpu_seconds: list[float] = field(default_factory=list)
    median: float = 0.0
    min: float = 0.0
    max: float = 0.0
    rss_mib: float = 0.0
    cpu: float = 0.0
    ratio: float | None = None
    rss_ratio: float | None = None
    note: str = ""

    def summarise(self) -> None:
        """Fill in median, min, max and median peak RSS."""
        self.median = statistics.median(self.seconds)
        self.min, self.max = min(self.seconds), max(self.seconds)
        self.rss_mib = statistics.median(self.rss_kib) / 1024
        self.cpu = statistics.median(self.cpu_seconds) if self.cpu_seconds else 0.0


def make_row(db: str, n: int, scenario: str, tool: str, samples: list[Sample]) -> Row:
    """Summarise one tool's samples."""
    row = Row(
        db,
        n,
        scenario,
        tool,
        [s.seconds for s in samples],
        [s.max_rss_kib for s in samples],
        [s.cpu_seconds for s in samples],
    )
    row.summarise()
    return row


def add_ratios(rows: list[Row]) -> None:
    """Set each row's time and memory ratio to the floor of the same db, N and scenario."""
    floors = {(r.db, r.n, r.scenario): r for r in rows if r.tool == FLOOR}
    for r in rows:
        floor = floors.get((r.db, r.n, r.scenario))
        if floor is not None:
            r.ratio = r.median / floor.median
            r.rss_ratio = r.rss_mib / floor.rss_mib


@dataclass
class Verdict:
    """One target checked against the measurements."""

    target: str
    db: str
    tool: str
    value: str
    limit: str
    met: bool


@dataclass
class Report:
    """Everything one benchmark run produced."""

    machine: dict[str, Any]
    config: dict[str, Any]
    rows: list[Row] = field(default_factory=list)
    probes: list[dict[str, Any]] = field(default_factory=list)
    imports: dict[str, Any] = field(default_factory=dict)
    verdicts: list[Verdict] = field(default_factory=list)

    def judge(self) -> None:
        """Check the issue's targets for both Goofer tools."""
        self.verdicts.clear()
        for r in self.rows:
            if r.tool not in GOOFER_TOOLS or r.ratio is None or r.rss_ratio is None:
                continue
            where = r.db if r.scenario != "startup" else "-"
            limit = TARGETS[r.scenario]
            size = f", N={r.n}" if r.scenario != "startup" else ""
            self.verdicts.append(
                Verdict(
                    f"{LETTER[r.scenario]} time{size}",
                    where,
                    r.tool,
                    f"{r.ratio:.2f}x",
                    f"<= {limit:g}x",
                    r.ratio <= limit,
                )
            )
            if r.scenario != "startup":
                self.verdicts.append(
                    Verdict(
                        f"{LETTER[r.scenario]} peak RSS, N={r.n}",
                        where,
                        r.tool,
                        f"{r.rss_ratio:.2f}x",
                        f"<= {MEMORY_TARGET:g}x",
                        r.rss_ratio <= MEMORY_TARGET,
                    )
                )
        self._judge_linearity()
        for p in self.probes:
            self.verdicts.append(
                Verdict(
                    f"B in-process round trips, N={p['n']}",
                    p["db"],
                    "goofer-api",
                    str(p["round_trips_per_up"]),
                    "<= 1",
                    p["round_trips_per_up"] <= 1,
                )
            )
            self.verdicts.append(
                Verdict(
                    f"B in-process up() vs connect+query+hash, N={p['n']}",
                    p["db"],
                    "goofer-api",
                    f"{p['ratio']:.2f}x ({p['up_ms']:.1f} ms / {p['floor_ms']['total']:.1f} ms)",
                    "<= 1.5x",
                    p["ratio"] <= 1.5,
                )
            )
        for name, found in self.imports.items():
            bad = found.get("unneeded", [])
            self.verdicts.append(
                Verdict(
                    f"E imports: {name}",
                    "-",
                    "goofer",
                    ", ".join(bad) or "none unneeded",
                    "no driver/framework not needed",
                    not bad,
                )
            )

    def _judge_linearity(self) -> None:
        by_key = {(r.db, r.n, r.scenario, r.tool): r for r in self.rows}
        for (db, n, scenario, tool), r in by_key.items():
            small = by_key.get((db, 1000, scenario, tool))
            if n != 3000 or small is None or scenario not in ("apply", "status"):
                continue
            if tool not in (*GOOFER_TOOLS, FLOOR):
                continue
            growth = r.median / small.median
            self.verdicts.append(
                Verdict(
                    f"{LETTER[scenario]} growth N=1000 to 3000",
                    db,
                    tool,
                    f"{growth:.2f}x",
                    f"<= {LINEAR_MAX:g}x",
                    growth <= LINEAR_MAX,
                )
            )

    def as_json(self) -> dict[str, Any]:
        """Return the JSON document (every sample included)."""
        return {
            "machine": self.machine,
            "config": self.config,
            "results": [asdict(r) for r in self.rows],
            "boot_probe": self.probes,
            "imports": self.imports,
            "targets": [asdict(v) for v in self.verdicts],
        }

    def markdown(self) -> str:
        """Return the tables: one per database and N, then the probe and the targets."""
        out = [machine_line(self.machine), "", LEGEND, ""]
        order = {"sqlite": 0, "postgresql": 1, "mysql": 2, "-": 3}
        groups = sorted({(r.db, r.n) for r in self.rows}, key=lambda k: (order.get(k[0], 9), k[1]))
        for db, n in groups:
            title = "start-up (no database)" if db == "-" else f"{db}, N = {n}"
            runs = max(len(r.seconds) for r in self.rows if (r.db, r.n) == (db, n))
            out += [
                f"### {title}: median of {runs} runs after {self.config['warmup']} warm-up",
                "",
                "| scenario | tool | median s | min s | max s | x floor | client CPU s "
                "| peak RSS MiB | x floor RSS |",
                "|---|---|--:|--:|--:|--:|--:|--:|--:|",
            ]
            for r in self.rows:
                if (r.db, r.n) != (db, n):
                    continue
                ratio = f"{r.ratio:.2f}" if r.ratio is not None else "-"
                rss_ratio = f"{r.rss_ratio:.2f}" if r.rss_ratio is not None else "-"
                out.append(
                    f"| {TITLE[r.scenario]} | {r.tool} | {r.median:.3f} | {r.min:.3f} "
                    f"| {r.max:.3f} | {ratio} | {r.cpu:.3f} | {r.rss_mib:.1f} "
                    f"| {rss_ratio} |"
                )
            out.append("")
        if self.probes:
            out += [
                "### (B) in-process boot path: `Migrator(...).up()` with nothing pending",
                "",
                "| db | N | up() ms | floor ms (connect + query + files) | ratio "
                "| statements sent |",
                "|---|--:|--:|--:|--:|---|",
            ]
            for p in self.probes:
                f = p["floor_ms"]
                sent = "; ".join(p["statements_per_up"]) or "-"
                out.append(
                    f"| {p['db']} | {p['n']} | {p['up_ms']:.1f} | {f['total']:.1f} "
                    f"({f['connect']:.1f} + {f['query']:.1f} + {f['files']:.1f}) "
                    f"| {p['ratio']:.2f} | {sent} |"
                )
            out.append("")
        if self.imports:
            out += ["### What Goofer imports beyond `python -c pass`", ""]
            for name, found in self.imports.items():
                added = found.get("packages_beyond_python_c_pass", found.get("packages", []))
                slow = ", ".join(f"{k} {v} ms" for k, v in found["slowest_ms"].items())
                out.append(
                    f"- `{name}`: {', '.join(p for p in added if not p.startswith('_'))}"
                    f" (slowest cumulative: {slow})"
                )
            out.append("")
        if self.verdicts:
            out += [
                "### Targets",
                "",
                "| target | db | tool | measured | limit | met |",
                "|---|---|---|--:|--:|---|",
            ]
            for v in self.verdicts:
                out.append(
                    f"| {v.target} | {v.db} | {v.tool} | {v.value} | {v.limit} "
                    f"| {'yes' if v.met else '**no**'} |"
                )
            out.append("")
        return "\n".join(out)


def load(path: str) -> Report:
    """Read a results JSON file back into a Report."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    report = Report(
        data["machine"],
        data["config"],
        [Row(**r) for r in data["results"]],
        data["boot_probe"],
        data["imports"],
    )
    report.verdicts = [Verdict(**v) for v in data["targets"]]
    return report


def main() -> None:
    """Print the Markdown of one or more results files (merged: same machine assumed)."""
    parser = argparse.ArgumentParser(description="Render benchmark results as Markdown.")
    parser.add_argument("files", nargs="+", help="results JSON files written by benchmarks.run")
    args = parser.parse_args()
    merged = load(args.files[0])
    for path in args.files[1:]:
        other = load(path)
        merged.rows += other.rows
        merged.probes += other.probes
        merged.imports.update(other.imports)
        merged.verdicts += other.verdicts
    print(merged.markdown())


def machine_line(machine: dict[str, Any]) -> str:
    """Return the one-paragraph machine description."""
    versions = ", ".join(f"{k} {v}" for k, v in machine.get("versions", {}).items())
    return (
        f"Machine: {machine.get('nproc')} cores, {machine.get('cpu')}, "
        f"{machine.get('memory_gib')} GiB, Linux {machine.get('kernel')}; "
        f"Goofer at commit {machine.get('goofer_commit', 'unknown')}; "
        f"load average {machine.get('loadavg_start')} at start, "
        f"{machine.get('loadavg_end')} at end. {versions}."
    )


if __name__ == "__main__":
    main()
