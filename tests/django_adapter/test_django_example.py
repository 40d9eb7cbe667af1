"""The example project in examples/django_shop works as its README section says."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.django_adapter.dj_support import ROOT, clean_env, manage

EXAMPLE = ROOT / "examples" / "django_shop"
SERVE = """
import json
import config.wsgi
from django.test import Client
print(json.dumps(Client().get("/products/").json()))
"""


def test_example_commands_and_its_django_test_suite(tmp_path: Path) -> None:
    env = clean_env(SHOP_DB_NAME=str(tmp_path / "shop.db"))
    status = manage("goofer_status", env=env, cwd=EXAMPLE)
    assert (status.returncode, status.stdout.count(" pending ")) == (0, 3)
    up = manage("goofer_up", env=env, cwd=EXAMPLE)
    assert up.stdout.splitlines()[-1] == "Applied 3 migrations.", up.stderr
    tested = manage("test", "shop", env=env, cwd=EXAMPLE)
    assert tested.returncode == 0, tested.stderr
    assert "Ran 3 tests" in tested.stderr


def test_example_wsgi_applies_migrations_at_boot_and_serves(tmp_path: Path) -> None:
    env = clean_env(SHOP_DB_NAME=str(tmp_path / "fresh.db"))
    served = subprocess.run(
        [sys.executable, "-c", SERVE],
        cwd=EXAMPLE,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert served.returncode == 0, served.stderr
    assert "Applied 3 migrations." in served.stderr  # the goofer logger, via LOGGING
    products = json.loads(served.stdout)["products"]
    assert [p["name"] for p in products] == ["Desk lamp", "Oak chair", "Notebook"]
