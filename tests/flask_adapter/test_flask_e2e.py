"""The installed `flask --app ... goofer` command on the example app, run from another directory."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from tests.helpers import run_goofer

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "flask_shop"
IDS = ["20260301090000", "20260302100000", "20260303110000"]
PLUGIN = "goofer_integrations.flask.cli:goofer_cli"
NO_URL = (
    "error: no database URL: set GOOFER_DATABASE_URL (or SQLALCHEMY_DATABASE_URI) in the "
    "Flask config, --database-url or GOOFER_DATABASE_URL\n"
)


def plugin_installed() -> bool:
    """Return whether the installed goofer declares `goofer` as a flask.commands plugin."""
    return any(
        ep.name == "goofer" and ep.value == PLUGIN
        for ep in metadata.entry_points(group="flask.commands")
    )


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Return a PYTHONPATH entry declaring the plugin when the installed metadata lacks it."""
    if plugin_installed():
        return ""
    root = tmp_path_factory.mktemp("plugin")
    info = root / "goofer_flask_plugin-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: goofer-flask-plugin\nVersion: 0\n")
    (info / "entry_points.txt").write_text(f"[flask.commands]\ngoofer = {PLUGIN}\n")
    return str(root)


def flask_command() -> list[str]:
    """Return the argv prefix that runs the installed flask command of this Python."""
    sibling = Path(sys.executable).parent / "flask"
    if sibling.exists():
        return [str(sibling)]
    found = shutil.which("flask")
    return [found] if found else [sys.executable, "-m", "flask"]


@pytest.fixture
def flask(tmp_path: Path, plugin_path: str):
    """Run ``flask --app APP ARGS`` in a subprocess whose working directory is a fresh folder."""
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()

    def run(app: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        full_env = {
            k: v for k, v in os.environ.items() if not k.startswith(("GOOFER_", "FLASK_", "SHOP_"))
        }
        if plugin_path:
            full_env["PYTHONPATH"] = os.pathsep.join(
                filter(None, [plugin_path, os.environ.get("PYTHONPATH")])
            )
        full_env.update(env)
        return subprocess.run(
            [*flask_command(), "--app", app, *args],
            capture_output=True,
            text=True,
            cwd=cwd,
            env=full_env,
            timeout=60,
        )

    return run


def test_up_status_down_on_the_example_app(db, flask):
    shop = {"SHOP_DATABASE_URL": db.url}
    result = flask(str(EXAMPLE), "goofer", "up", **shop)
    assert result.returncode == 0, result.stderr
    assert [line.split(" (")[0] for line in result.stdout.splitlines()] == [
        "applied 20260301090000_create_products",
        "applied 20260302100000_seed_products",
        "applied 20260303110000_create_stock",
        "Applied 3 migrations.",
    ]
    assert db.tracking_ids() == IDS

    result = flask(str(EXAMPLE), "goofer", "down", **shop)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("reverted 20260303110000_create_stock (")

    result = flask(str(EXAMPLE), "goofer", "status", "--json", **shop)
    assert result.returncode == 0, result.stderr
    assert [s["state"] for s in json.loads(result.stdout)] == ["applied", "applied", "pending"]
    assert "stock" not in db.tables()


def test_status_prints_what_the_goofer_command_prints(tmp_path, flask):
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    result = flask(str(EXAMPLE), "goofer", "up", "--to", IDS[0], SHOP_DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    ours = flask(str(EXAMPLE), "goofer", "status", SHOP_DATABASE_URL=url)
    theirs = run_goofer("--database-url", url, "--dir", str(EXAMPLE / "migrations"), "status")
    assert (ours.returncode, ours.stdout, ours.stderr) == (0, theirs.stdout, theirs.stderr)
    assert ours.stdout.count("pending") == 2


def test_any_other_command_boots_the_app_which_applies_and_logs(tmp_path, flask):
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    result = flask(str(EXAMPLE), "routes", SHOP_DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert "/products" in result.stdout
    assert len(re.findall(r"INFO in events: goofer\[\d+\]: applied 2026030", result.stderr)) == 3
    result = flask(str(EXAMPLE), "goofer", "check", SHOP_DATABASE_URL=url)
    assert result.returncode == 0, result.stdout
    assert result.stdout == "OK: every migration is applied and unchanged.\n"


def test_missing_url_is_one_line_and_exit_1(tmp_path, flask):
    app = tmp_path / "bare_app.py"
    app.write_text(
        "from flask import Flask\n"
        "from goofer_integrations.flask import Goofer\n\n"
        "app = Flask(__name__)\n"
        "Goofer(app)\n"
    )
    (tmp_path / "migrations").mkdir()  # beside the module: the app's root path
    result = flask(str(app), "goofer", "status")
    assert (result.returncode, result.stdout, result.stderr) == (1, "", NO_URL)
    result = flask(str(app), "goofer", "status", GOOFER_DATABASE_URL=f"sqlite:///{tmp_path}/a.db")
    assert (result.returncode, result.stdout) == (0, "No migrations.\n"), result.stderr


def test_goofer_is_installed_as_a_flask_command_plugin():
    """The entry point lets `flask goofer` load the app itself, so boot-time apply stands aside."""
    if not plugin_installed():
        message = (
            'goofer\'s [project.entry-points."flask.commands"] goofer = '
            f'"{PLUGIN}" is not installed: add it to pyproject.toml and reinstall'
        )
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
