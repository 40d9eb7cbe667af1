"""``apply()`` from a script after ``django.setup()`` (as wsgi.py does), many workers at once."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.django_adapter.dj_support import IDS, MIGRATIONS, PROJECT, clean_env

BOOT = """
import logging, sys
import django
logging.basicConfig(level=logging.INFO, stream=sys.stdout,
                    format="%(name)s %(levelname)s %(message)s")
django.setup()
from goofer_core import GooferError
from goofer_integrations.django import apply
try:
    applied = apply()
except GooferError as exc:
    print(f"GooferError: {exc}")
    sys.exit(3)
print("applied now:", len(applied))
"""
WORKERS = 4


def boot(env: dict[str, str]) -> subprocess.Popen[str]:
    """Start one process that boots Django and calls apply(), as a web worker would."""
    return subprocess.Popen(
        [sys.executable, "-c", BOOT],
        cwd=PROJECT,
        text=True,
        env={**env, "DJANGO_SETTINGS_MODULE": "testsite.settings"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_many_workers_booting_at_once_apply_each_migration_once(db: Any) -> None:
    site_env = clean_env(TESTSITE_DEFAULT_URL=db.url)
    workers = [boot(site_env) for _ in range(WORKERS)]
    results = [(w.wait(timeout=60), *w.communicate()) for w in workers]
    assert [code for code, _, _ in results] == [0] * WORKERS, results
    counts = [int(out.splitlines()[-1].split(": ")[1]) for _, out, _ in results]
    assert sum(counts) == 3, results
    assert db.tracking_ids() == IDS
    logs = "".join(out for _, out, _ in results)
    # Each line names its process: the one worker that applied (under the lock, all three).
    [applier] = [w.pid for w, count in zip(workers, counts, strict=True) if count == 3]
    assert f"goofer INFO goofer[{applier}]: applied 20240101000000_create_products (" in logs
    assert logs.count(f"goofer INFO goofer[{applier}]: Applied 3 migrations.") == 1
    assert set(re.findall(r"goofer\[(\d+)\]: applied", logs)) == {str(applier)}
    # The workers that found nothing to do say so at DEBUG only: no INFO line each.
    assert "Nothing to apply" not in logs


def test_a_failing_migration_raises_goofer_error(tmp_path: Path) -> None:
    broken = tmp_path / "migrations"
    broken.mkdir()
    for path in MIGRATIONS.glob(f"{IDS[0]}_*"):
        (broken / path.name).write_text(path.read_text())
    (broken / "20240105000000_broken.up.sql").write_text("CREATE TABLE oops (;\n")
    (broken / "20240105000000_broken.down.sql").write_text("DROP TABLE oops;\n")
    env = clean_env(
        TESTSITE_DEFAULT_URL=f"sqlite:///{tmp_path / 'app.db'}", TESTSITE_MIGRATIONS_DIR=str(broken)
    )
    worker = boot(env)
    out, err = worker.communicate(timeout=60)
    assert worker.returncode == 3, err
    assert out.splitlines()[-1].startswith(
        "GooferError: 20240105000000_broken.up.sql: statement 1 (line 1): "
    )
    assert f"goofer INFO goofer[{worker.pid}]: applied 20240101000000_create_products (" in out


def test_apply_without_django_settings_says_so() -> None:
    script = (
        "from goofer_core import GooferError\n"
        "from goofer_integrations.django import apply\n"
        "try:\n    apply()\nexcept GooferError as exc:\n    print(exc)\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script], env=clean_env(), text=True, capture_output=True, timeout=60
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("Django settings are not configured (")
    assert "call apply() after django.setup()" in ran.stdout
