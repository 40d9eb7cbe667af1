"""``GOOFER_DIALECTS`` in the Flask config: one history, a folder per dialect, ``flask goofer``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask import Flask

from goofer_integrations.flask import Goofer


@pytest.fixture(autouse=True)
def _no_goofer_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("GOOFER_"):
            monkeypatch.delenv(key)


def make_app(root: Path, **config: object) -> Flask:
    app = Flask("goofer_flask_dialects", root_path=str(root))
    app.config.update(config)
    Goofer(app)
    return app


def test_generate_empty_then_up_and_check_use_the_databases_folder(tmp_path: Path) -> None:
    app = make_app(
        tmp_path,
        GOOFER_DATABASE_URL=f"sqlite:///{tmp_path / 'app.db'}",
        GOOFER_DIALECTS=["sqlite", "mysql"],
    )
    runner = app.test_cli_runner()
    created = runner.invoke(args=["goofer", "generate", "--empty", "create_notes"])
    assert created.exit_code == 0, created.output
    written = [Path(line.removeprefix("Created ")) for line in created.stdout.splitlines()]
    assert sorted(p.parent.name for p in written) == ["mysql", "mysql", "sqlite", "sqlite"]
    sqlite_up = next(p for p in written if p.parent.name == "sqlite" and p.name.endswith(".up.sql"))
    assert sqlite_up.parent == tmp_path / "migrations" / "sqlite"  # under the app's root_path
    sqlite_up.write_text("CREATE TABLE notes (id INTEGER PRIMARY KEY);\n")

    up = runner.invoke(args=["goofer", "up"])
    assert up.exit_code == 0, up.output
    assert up.stdout.endswith("Applied 1 migration.\n")
    check = runner.invoke(args=["goofer", "check"])
    assert check.exit_code == 0, check.output


def test_a_bad_dialects_value_names_the_key(tmp_path: Path) -> None:
    app = make_app(tmp_path, GOOFER_DATABASE_URL="sqlite:///x.db", GOOFER_DIALECTS=3)
    result = app.test_cli_runner().invoke(args=["goofer", "status"])
    assert (result.exit_code, result.output) == (
        1,
        "error: GOOFER_DIALECTS in the Flask config: expected dialect names: a list or a "
        "comma-separated string\n",
    )
    app.config["GOOFER_DIALECTS"] = "sqlite, oracle"
    result = app.test_cli_runner().invoke(args=["goofer", "generate", "--empty", "x"])
    assert (result.exit_code, result.output) == (
        1,
        "error: --dialects / GOOFER_DIALECTS: dialect 'oracle' is not supported; use one of: "
        "mariadb, mysql, postgres, postgresql, sqlite\n",
    )
    assert not (tmp_path / "migrations").exists()
