"""`flask goofer ...` in-process through `app.test_cli_runner()`, on every dialect."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from flask import Flask
from flask.cli import FlaskGroup

from goofer_core.cli import commands
from goofer_core.cli.click_app import cli as core_cli
from goofer_core.cli.spec import Command, Invocation, Kind, Option
from goofer_core.errors import GooferError
from goofer_integrations.flask import Goofer, goofer_cli, settings_for
from tests.helpers import SERVERS, require_server

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "flask_shop"
IDS = ["20260301090000", "20260302100000", "20260303110000"]
NO_URL = (
    "error: no database URL: set GOOFER_DATABASE_URL (or SQLALCHEMY_DATABASE_URI) in the "
    "Flask config, --database-url or GOOFER_DATABASE_URL\n"
)


@pytest.fixture(autouse=True)
def _no_goofer_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("GOOFER_"):
            monkeypatch.delenv(key)


def make_app(root: Path, **config: object) -> Flask:
    """Return an app rooted at ``root`` with the example's migrations in ``root/migrations``."""
    if not (root / "migrations").exists():
        shutil.copytree(EXAMPLE / "migrations", root / "migrations")
    app = Flask("goofer_flask_test", root_path=str(root), instance_path=str(root / "instance"))
    app.config.update(config)
    Goofer(app)
    return app


def flask_goofer(app: Flask, *args: str) -> click.testing.Result:
    """Run ``flask goofer ARGS`` on ``app`` in-process."""
    return app.test_cli_runner().invoke(args=["goofer", *args])


def test_up_status_sql_check_down_use_the_apps_config(db, tmp_path):
    app = make_app(tmp_path, GOOFER_DATABASE_URL=db.url)

    result = flask_goofer(app, "up")
    assert result.exit_code == 0, result.output
    assert "applied 20260301090000_create_products (" in result.stdout
    assert "applied 20260303110000_create_stock (" in result.stdout
    assert result.stdout.endswith("Applied 3 migrations.\n")
    assert db.tracking_ids() == IDS
    assert db.query("SELECT COUNT(*) FROM stock") == [(3,)]

    result = flask_goofer(app, "down")
    assert result.exit_code == 0, result.output
    assert "reverted 20260303110000_create_stock (" in result.stdout
    assert "stock" not in db.tables()

    result = flask_goofer(app, "status", "--json")
    assert result.exit_code == 0, result.output
    assert [(s["id"], s["state"]) for s in json.loads(result.stdout)] == [
        (IDS[0], "applied"),
        (IDS[1], "applied"),
        (IDS[2], "pending"),
    ]

    result = flask_goofer(app, "sql")
    assert result.stdout.startswith("-- 20260303110000_create_stock.up.sql\n")
    assert "stock" not in db.tables()

    result = flask_goofer(app, "check")
    assert result.exit_code == 1
    assert result.stdout == "20260303110000_create_stock: pending\n"


def test_output_is_the_core_commands_output(tmp_path):
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    app = make_app(tmp_path, GOOFER_DATABASE_URL=url)
    core = CliRunner()
    core_args = ["--database-url", url, "--dir", str(tmp_path / "migrations")]
    assert flask_goofer(app, "up", "--to", IDS[1]).exit_code == 0
    for command in (
        ["status"],
        ["status", "--json"],
        ["sql"],
        ["sql", "--down", "--all"],
        ["check"],
        ["down", "--to", "20990101000000"],
    ):
        ours, theirs = flask_goofer(app, *command), core.invoke(core_cli, [*core_args, *command])
        assert (ours.exit_code, ours.stdout, ours.stderr) == (
            theirs.exit_code,
            theirs.stdout,
            theirs.stderr,
        ), command


def test_every_described_command_is_served_including_ones_added_later(tmp_path, monkeypatch):
    app = make_app(tmp_path)
    ctx = click.Context(goofer_cli)
    assert set(core_cli.list_commands(ctx)) == set(goofer_cli.list_commands(ctx))

    def hello(run: Invocation, loud: bool) -> None:
        """Say hello."""
        run.out("HELLO FROM THE CORE" if loud else "hello from the core")

    described = Command(
        "hello", hello, "Say hello.", options=(Option("--loud", "loud", "Shout.", Kind.FLAG),)
    )
    monkeypatch.setitem(commands.BY_NAME, "hello", described)
    result = flask_goofer(app, "--database-url", "sqlite:///x.db", "hello", "--loud")
    assert (result.exit_code, result.stdout) == (0, "HELLO FROM THE CORE\n")
    monkeypatch.delitem(commands.BY_NAME, "hello")
    assert "hello" not in goofer_cli.list_commands(ctx)


def test_flag_beats_environment_beats_config(tmp_path, monkeypatch):
    config, env, flag = (f"sqlite:///{tmp_path / name}.db" for name in ("config", "env", "flag"))
    app = make_app(tmp_path / "app", GOOFER_DATABASE_URL=config)
    assert flask_goofer(app, "up").stdout.count("applied ") == 3
    monkeypatch.setenv("GOOFER_DATABASE_URL", env)
    assert flask_goofer(app, "up", "--to", IDS[0]).stdout.count("applied ") == 1
    result = flask_goofer(app, "--database-url", flag, "up", "--to", IDS[1])
    assert result.stdout.count("applied ") == 2
    assert flask_goofer(app, "status").stdout.count("pending") == 2  # the environment's


def test_migrations_dir_resolves_against_the_app_root_not_the_working_directory(
    tmp_path, monkeypatch
):
    root = tmp_path / "app"
    root.mkdir()
    shutil.copytree(EXAMPLE / "migrations", root / "schema")
    app = make_app(
        root,
        GOOFER_DATABASE_URL=f"sqlite:///{tmp_path / 'a.db'}",
        GOOFER_MIGRATIONS_DIR="schema",
        GOOFER_TABLE="schema_history",
    )
    shutil.rmtree(root / "migrations")
    monkeypatch.chdir(tmp_path)
    result = flask_goofer(app, "up")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("applied ") == 3
    settings = settings_for(app, environ={"GOOFER_MIGRATIONS_DIR": "elsewhere"})
    assert settings.directory == "elsewhere"  # the environment is relative to the shell


def test_sqlalchemy_uri_is_the_fallback_and_opens_the_same_file_as_flask_sqlalchemy(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    app = make_app(tmp_path / "app", SQLALCHEMY_DATABASE_URI="sqlite:///shop.db")
    result = flask_goofer(app, "up")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "app" / "instance" / "shop.db").exists()
    assert not (tmp_path / "shop.db").exists()
    app.config["GOOFER_DATABASE_URL"] = f"sqlite:///{tmp_path / 'goofer.db'}"
    assert flask_goofer(app, "status").stdout.count("pending") == 3


def test_no_database_url_is_one_line_naming_every_place_to_set_it(tmp_path):
    result = flask_goofer(make_app(tmp_path), "status")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", NO_URL)


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("GOOFER_DATABASE_URL", "mongodb://h/db", "unsupported scheme 'mongodb'; supported: "),
        ("SQLALCHEMY_DATABASE_URI", 42, "expected a URL string, got int"),
        ("GOOFER_MIGRATIONS_DIR", 7, "expected a directory path, got int"),
        ("GOOFER_ENTITIES", {"shop": 1}, "expected module names: a list or a comma-separated"),
        ("GOOFER_TABLE", "schema history", "tracking table name 'schema history': use letters"),
        ("GOOFER_LOCK_TIMEOUT", "soon", "expected a number of seconds, got 'soon'"),
        ("GOOFER_LOCK_TIMEOUT", -1, "expected 0 or more seconds, got -1"),
    ],
)
def test_an_invalid_config_value_is_one_line_naming_its_key(tmp_path, key, value, problem):
    config = {key: value}
    if "DATABASE" not in key:
        config["GOOFER_DATABASE_URL"] = f"sqlite:///{tmp_path / 'a.db'}"
    result = flask_goofer(make_app(tmp_path, **config), "status")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {key} in the Flask config: {problem}")
    assert result.stderr.count("\n") == 1


def test_a_bad_config_url_does_not_matter_when_a_flag_overrides_it(tmp_path):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI="mssql+pyodbc://sa:pw@h/db")
    result = flask_goofer(app, "--database-url", f"sqlite:///{tmp_path / 'a.db'}", "status")
    assert result.exit_code == 0, result.output


def test_the_password_never_appears(tmp_path):
    app = make_app(tmp_path, GOOFER_DATABASE_URL="postgresql://shop:s3cr3t-pw@127.0.0.1:1/shop")
    for args in (["status"], ["--verbose", "status"]):
        result = flask_goofer(app, *args)
        assert result.exit_code == 1
        last_line = result.stderr.splitlines()[-1]
        assert last_line.startswith("error: cannot connect to postgresql://shop:***@")
        assert "s3cr3t" not in result.output


def test_usage_errors_exit_2(tmp_path):
    app = make_app(tmp_path, GOOFER_DATABASE_URL=f"sqlite:///{tmp_path / 'a.db'}")
    assert flask_goofer(app, "down", "--steps", "1", "--all").exit_code == 2
    assert flask_goofer(app, "nonsense").exit_code == 2


def test_apply_on_boot_stands_aside_while_a_flask_goofer_command_loads_the_app(
    tmp_path, monkeypatch
):
    """Installed, `goofer` is a flask.commands plugin: found before the app loads, it loads it."""
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "false")  # FlaskGroup sets it; restore it after
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    shutil.copytree(EXAMPLE / "migrations", tmp_path / "migrations")
    goofer = Goofer()

    def create_app() -> Flask:
        app = Flask("booting", root_path=str(tmp_path))
        app.config["GOOFER_DATABASE_URL"] = url
        goofer.init_app(app)
        goofer.apply()
        return app

    flask = FlaskGroup(create_app=create_app, load_dotenv=False)
    flask.add_command(goofer_cli)  # what the flask.commands entry point does
    result = CliRunner().invoke(flask, ["goofer", "sql"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count(".up.sql") == 3
    assert "migrations" not in _tables(tmp_path)
    result = CliRunner().invoke(flask, ["goofer", "status"])
    assert result.stdout.count("pending") == 3

    app = create_app()  # any other boot applies
    assert flask_goofer(app, "check").exit_code == 0


def _tables(root: Path) -> set[str]:
    import sqlite3

    conn = sqlite3.connect(root / "shop.db")
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


def test_resolve_refuses_both_outcomes_at_once(tmp_path):
    app = make_app(tmp_path, GOOFER_DATABASE_URL=f"sqlite:///{tmp_path / 'a.db'}")
    for flags in (["--applied", "--rolled-back"], ["--rolled-back", "--applied"]):
        result = flask_goofer(app, "resolve", IDS[0], *flags)
        assert result.exit_code == 2
        assert "use only one of --applied and --rolled-back" in result.stderr


def test_help_says_where_relative_directories_resolve(tmp_path):
    app = make_app(tmp_path)
    text = " ".join(flask_goofer(app, "--help").stdout.split())
    assert (
        "--dir DIR Migrations directory [env GOOFER_MIGRATIONS_DIR, relative to the working "
        "directory; config GOOFER_MIGRATIONS_DIR, relative to the app's root_path; default: "
        "migrations/ in the app's root_path]."
    ) in text
    assert "./migrations" not in text


def test_scratch_database_settings_come_from_the_config(tmp_path, monkeypatch):
    require_server("postgresql")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes_entities.py").write_text(
        "from dataclasses import dataclass\n"
        "from goofer_core import column, registry\n\n"
        "@registry.register_entity(table='notes')\n@dataclass\nclass Note:\n"
        "    id: int = column(primary_key=True)\n"
    )
    app = make_app(
        tmp_path,
        GOOFER_DATABASE_URL=SERVERS["postgresql"],
        GOOFER_ENTITIES="notes_entities",
        GOOFER_SHADOW_PREFIX="not-allowed",
    )
    result = flask_goofer(app, "check")
    assert result.exit_code == 1
    assert "scratch database prefix 'not-allowed'" in result.stderr


def test_hints_name_flask_goofer_commands(tmp_path):
    from tests.helpers import make_database

    failing = Path(__file__).resolve().parents[1] / "fixtures" / "migrations" / "failing_statement"
    shutil.copytree(failing, tmp_path / "migrations")
    maker = make_database("mysql", tmp_path)  # MariaDB cannot roll DDL back: a part-way failure
    maria = next(maker)
    try:
        app = make_app(tmp_path, GOOFER_DATABASE_URL=maria.url)
        result = flask_goofer(app, "up")
        assert result.exit_code == 1
        assert "run 'flask goofer resolve 20240102000000 --applied'" in result.stderr
        assert "'goofer resolve" not in result.stderr
        with pytest.raises(GooferError, match="'flask goofer resolve 20240102000000 --applied'"):
            app.extensions["goofer"].apply(app)  # on boot: the error the factory sees
    finally:
        maker.close()
