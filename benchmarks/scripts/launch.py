"""Start one measured process, wait for it, print its wall time and peak RSS.

    python -S -I launch.py TIMEOUT STDOUT_FILE STDERR_FILE ARGV...

prints ``<seconds> <ru_maxrss KiB> <wait status> <user+system CPU seconds>``.

It exists because on Linux a child's ``ru_maxrss`` starts from the RSS of the process that
spawned it (``exec`` keeps the old memory's high-water mark), so the spawner must be small: this
one, started with ``-S -I``, imports nothing and stays near 9 MiB, below any Python process it
measures. The benchmark itself, with every driver loaded, would make every child look 25 MiB
or more.
"""

import os
import signal
import sys
import time


def main() -> None:
    """Spawn, time with perf_counter, reap with wait4."""
    timeout, out, err, *argv = sys.argv[1:]
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, out, flags, 0o600),
        (os.POSIX_SPAWN_OPEN, 2, err, flags, 0o600),
    ]
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
    signal.signal(signal.SIGALRM, lambda *_: os.kill(pid, signal.SIGKILL))
    signal.alarm(max(1, int(float(timeout))))
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    signal.alarm(0)
    cpu = usage.ru_utime + usage.ru_stime
    print(f"{seconds:.6f} {usage.ru_maxrss} {status} {cpu:.6f}")


main()
