"""Time one whole process and read its peak memory from the kernel (``wait4``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

LAUNCHER = str(Path(__file__).resolve().parent / "scripts" / "launch.py")


@dataclass(frozen=True)
class Sample:
    """One process run: wall time, peak resident memory and how it ended."""

    seconds: float
    max_rss_kib: int
    cpu_seconds: float  # user + system time of the process itself
    exit_code: int
    stdout: str
    stderr: str


class ProcessFailed(RuntimeError):
    """A measured process failed: the benchmark stops rather than report nonsense."""


def run_process(
    argv: Sequence[str], cwd: Path, env: dict[str, str], timeout: float = 1800.0
) -> Sample:
    """Run ``argv`` to completion in ``cwd``; return its wall time and peak RSS.

    A tiny launcher (``scripts/launch.py``) spawns the process, times it with perf_counter and
    reaps it with ``os.wait4``: the child's ``ru_maxrss`` would otherwise start at the size of
    this benchmark process. Output goes to files, so reading it cannot slow the child down.
    """
    with tempfile.TemporaryDirectory(prefix="goofer_bench_out_") as tmp:
        out, err = os.path.join(tmp, "stdout"), os.path.join(tmp, "stderr")
        launcher = [sys.executable, "-S", "-I", LAUNCHER, str(timeout), out, err, *argv]
        done = subprocess.run(
            launcher, cwd=cwd, env=env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise ProcessFailed(f"launcher failed: {done.stderr.strip()}")
        seconds, rss, status, cpu = done.stdout.split()
        stdout = Path(out).read_text("utf-8", "replace")
        stderr = Path(err).read_text("utf-8", "replace")
    wait_status = int(status)
    if os.WIFSIGNALED(wait_status) and os.WTERMSIG(wait_status) == signal.SIGKILL:
        raise ProcessFailed(f"killed after {timeout:.0f} s: {' '.join(argv)}")
    return Sample(
        float(seconds), int(rss), float(cpu), os.waitstatus_to_exitcode(wait_status), stdout, stderr
    )
