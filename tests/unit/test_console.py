"""The console script parses what click parses, runs the same function, and prints the same.

Both the click group and the console script's fast path are built from one description of each
command (``goofer_core.cli.commands``). The in-process checks give the same argv to both parsers
and compare what reaches the command's function; a few end-to-end runs compare what a user sees
from the installed ``goofer`` and from ``python -m goofer_core.cli`` (click alone), on SQLite.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from goofer_core.cli import commands, console
from goofer_core.cli.click_app import cli
from tests.helpers import FIXTURES, goofer_command

CLICK = [sys.executable, "-m", "goofer_core.cli"]
REPO = Path(__file__).resolve().parents[2]
CANARY = "Canary-Pw-7f3a9"
BASIC = ["20240101000000", "20240102000000", "20240103000000"]


# -- in process: both parsers hand the command's function the same values ----------------------

#: Well-formed command lines of every command and option: the fast path takes each of them.
WELL_FORMED = [
    ["up"],
    ["baseline", "20240101000000", "--verify-schema"],
    ["import", "--from", "dbmate", "db/migrations", "--force", "--from-table=versions"],
    ["up", "--to", "20240101000000"],
    ["up", "--to=20240101000000"],
    ["--verbose", "--dir=m", "--table", "t", "--lock-timeout", "2.5", "up"],
    ["--database-url", "sqlite:///a=b.db", "down", "--steps=12"],
    ["down", "--steps", "007"],
    ["down"],
    ["down", "--to", "x"],
    ["down", "--all"],
    ["--lock-timeout", "1e3", "status", "--json"],
    ["status"],
    ["check"],
    ["check", "--verify"],
    ["check", "--shadow-url", "sqlite:///x.db"],
    ["sql"],
    ["sql", "--down", "--all"],
    ["sql", "--down", "--steps", "3", "--to", "x"],
    ["resolve", "20240101000000", "--applied"],
    ["resolve", "--rolled-back", "20240101000000"],
    ["generate", "add_notes"],
    ["generate", "--empty", "add_notes", "--shadow-url", "x://"],
    ["verify"],
    ["verify", "--pending", "--json"],
    ["--entities", "shop.entities,more", "check"],
]
#: What only click answers: help, usage errors, anything the fast path is not sure of.
FOR_CLICK = [
    ["--help"],
    ["-h"],
    [],
    ["status", "--help"],
    ["nonsense"],
    ["down", "--steps", "0"],
    ["down", "--steps", "1", "--all"],
    ["down", "--to", "x", "--all"],
    ["status", "--verbose"],
    ["up", "--to"],
    ["--dir"],
    ["status", "status"],
    ["--verbose", "--verbose", "status"],
    ["--verbose=1", "status"],
    ["status", "--json=yes"],
    ["--dir", "-x", "status"],
    ["down", "--steps", "-1"],
    ["down", "--steps", "x"],
    ["check", "--json"],
    ["resolve", "20240101000000"],
    ["resolve", "20240101000000", "--applied", "--rolled-back"],
    ["resolve"],
    ["generate"],
    ["generate", "a", "b"],
    ["up", "--", "x"],
]


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any], Any]]:
    """Replace every command's function by one that records (name, values, settings)."""
    calls: list[tuple[str, dict[str, Any], Any]] = []
    for key in list(os.environ):
        if key.startswith("GOOFER_"):
            monkeypatch.delenv(key)
    for name, command in commands.BY_NAME.items():

        def record(run: Any, _name: str = name, **values: Any) -> None:
            calls.append((_name, values, run.settings))

        monkeypatch.setitem(commands.BY_NAME, name, command._replace(run=record))
    return calls


def through_click(argv: list[str]) -> click.testing.Result:
    return CliRunner().invoke(cli, argv, catch_exceptions=False)


@pytest.mark.parametrize("argv", WELL_FORMED, ids=" ".join)
def test_the_fast_path_and_click_run_the_same_function_with_the_same_values(argv, captured):
    assert through_click(argv).exit_code == 0
    recognised = console.recognise(argv)
    assert recognised is not None
    command, group, values = recognised
    assert console.run(command, group, values) == 0
    (click_name, click_values, click_settings), (name, fast_values, fast_settings) = captured
    assert (name, fast_values, fast_settings) == (click_name, click_values, click_settings)


@pytest.mark.parametrize("argv", FOR_CLICK, ids=lambda argv: " ".join(argv) or "nothing")
def test_the_fast_path_leaves_help_and_usage_errors_to_click(argv, captured):
    assert console.recognise(argv) is None
    assert through_click(argv).exit_code in (0, 2)  # help, a usage error, or what click allows


def test_an_empty_flag_is_refused_alike_by_both_paths(capsys):
    argv = ["--dir=", "status"]
    clicked = through_click(argv)
    assert clicked.exit_code == 1
    assert "--dir '': empty; leave the option out for the default" in clicked.output
    recognised = console.recognise(argv)
    assert recognised is not None
    assert console.run(*recognised) == 1
    assert (
        capsys.readouterr().err == "error: --dir '': empty; leave the option out for the default\n"
    )


def test_recognise_returns_the_command_and_its_checked_values():
    command, group, values = console.recognise(["--verbose", "--dir=m", "down", "--steps=12"])  # type: ignore[misc]
    assert (command.name, group) == ("down", {"verbose": True, "directory": "m"})
    assert values == {
        "steps": 12,
        "to": None,
        "everything": False,
        "schemas": None,
        "schemas_from": None,
        "jobs": 4,
    }


def test_every_command_is_a_click_command_and_a_django_command():
    ctx = click.Context(cli)
    assert cli.list_commands(ctx) == sorted(commands.BY_NAME)
    django_commands = REPO / "goofer_integrations" / "django" / "management" / "commands"
    assert sorted(p.stem for p in django_commands.glob("goofer_*.py")) == sorted(
        f"goofer_{name}" for name in commands.BY_NAME
    )


# -- end to end: the installed command and click print the same ---------------------------------


class World:
    """A working directory (with ``migrations/``) and the environment a command runs with."""

    def __init__(self, cwd: Path, env: dict[str, str] | None = None) -> None:
        self.cwd = cwd
        self.env = env or {}

    def run(
        self, command: list[str], args: tuple[str, ...], env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run ``command args`` here, with no GOOFER_ variable but this world's and ``env``."""
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("GOOFER_")}
        full_env.update({**self.env, **(env or {})})
        return subprocess.run(
            [*command, *args],
            capture_output=True,
            text=True,
            env=full_env,
            cwd=self.cwd,
            timeout=120,
        )


def make_worlds(tmp_path: Path, scenario: str = "basic") -> tuple[World, World]:
    """Return two worlds with a copy of a fixture folder each, for a SQLite ``test.db``."""
    worlds = []
    for side in ("fast", "click"):
        shutil.copytree(FIXTURES / scenario, tmp_path / side / "migrations")
        worlds.append(World(tmp_path / side))
    return worlds[0], worlds[1]


def normalised(text: str) -> str:
    """Replace what differs from run to run: durations and applied-at times."""
    text = re.sub(r"\(\d+\.\d ms\)", "(N ms)", text)
    return re.sub(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\dZ?", "<time>", text)


def without_entry_frames(stderr: str) -> str:
    """Drop the traceback frames of the entry points (click's and the cli package's)."""
    if not stderr.startswith("Traceback (most recent call last):\n"):
        return stderr
    lines = stderr.splitlines(keepends=True)
    engine = re.compile(r'  File ".*/goofer_core/(?!cli/)')
    first = next(i for i, line in enumerate(lines) if engine.match(line))
    return lines[0] + "".join(lines[first:])


def same(
    fast_world: World, click_world: World, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``args`` both ways (each in its own world) and assert the user sees the same."""
    fast = fast_world.run(goofer_command(), args, env)
    slow = click_world.run(CLICK, args, env)
    assert (fast.returncode, normalised(fast.stdout), without_entry_frames(fast.stderr)) == (
        slow.returncode,
        normalised(slow.stdout),
        without_entry_frames(slow.stderr),
    ), args
    return fast


def test_the_installed_command_is_the_console_entry_point():
    (script,) = entry_points(group="console_scripts", name="goofer")
    assert script.value == "goofer_core.cli.console:main"
    assert Path(goofer_command()[0]).name == "goofer"


def test_up_status_check_down_match_click(tmp_path):
    fast, slow = make_worlds(tmp_path)
    env = {"GOOFER_DATABASE_URL": "sqlite:///test.db", "GOOFER_TABLE": "goofer_log"}
    result = same(fast, slow, "check", env=env)
    assert result.returncode == 1 and result.stderr == "check failed: 3 problems\n"
    assert "Applied 1 migration." in same(fast, slow, "up", "--to", BASIC[0], env=env).stdout
    assert "Applied 2 migrations." in same(fast, slow, "--verbose", "up", env=env).stdout
    assert same(fast, slow, "status", "--json", env=env).stdout.count('"applied"') == 3
    assert "up to date" in same(fast, slow, "up", env=env).stdout
    result = same(fast, slow, "check", env=env)
    assert result.stdout == "OK: every migration is applied and unchanged.\n"
    assert "Reverted 2 migrations." in same(fast, slow, "down", "--steps", "2", env=env).stdout
    same(fast, slow, "status", env=env)
    assert same(fast, slow, "down", "--all", env=env).stdout.endswith("Reverted 1 migration.\n")


def test_errors_match_click(tmp_path):
    fast, slow = make_worlds(tmp_path)
    flags = ("--database-url", "sqlite:///test.db", "--dir", "migrations")
    same(fast, slow, *flags, "up")
    for world in (fast, slow):  # an applied file changed after the fact
        path = world.cwd / "migrations" / f"{BASIC[0]}_create_users.up.sql"
        path.write_text(path.read_text() + "\n-- edited\n")
    assert "modified after being applied" in same(fast, slow, *flags, "check").stdout
    result = same(fast, slow, *flags, "up")
    assert result.returncode == 1 and "modified after being applied" in result.stderr
    assert same(fast, slow, *flags, "--verbose", "up").stderr.startswith("Traceback")
    assert same(fast, slow, "--dir", "migrations", "status").stderr.startswith(
        "error: no database URL"
    )
    same(fast, slow, "--lock-timeout", "soon", *flags, "status")
    # Entity modules are compared too (the shop's tables are not these).
    env = {"GOOFER_ENTITIES": "examples.shop.entities", "PYTHONPATH": str(REPO)}
    result = same(fast, slow, *flags, "check", env=env)
    assert result.returncode == 1 and "entities" in result.stdout


def test_a_failing_migration_prints_progress_then_the_error_like_click(tmp_path):
    fast, slow = make_worlds(tmp_path, "failing_statement")
    flags = ("--database-url", "sqlite:///test.db", "--dir", "migrations")
    result = same(fast, slow, *flags, "up")
    assert result.returncode == 1 and "create_users" in result.stdout
    same(fast, slow, *flags, "status")


@pytest.mark.parametrize("verbose", [(), ("--verbose",)])
def test_a_password_in_a_bad_url_is_masked_like_click(tmp_path, verbose):
    fast, slow = make_worlds(tmp_path)
    url = f"postgresql://u:{CANARY}@host:port/db"
    result = same(fast, slow, "--database-url", url, *verbose, "status")
    assert result.returncode == 1
    assert CANARY not in result.stdout + result.stderr
    result = same(
        fast,
        slow,
        "--database-url",
        f"mysql://u:{CANARY}@127.0.0.1:1/db",
        *verbose,
        "--lock-timeout",
        "1",
        "up",
    )
    assert result.returncode == 1
    assert CANARY not in result.stdout + result.stderr


def test_usage_errors_exit_2_from_click(tmp_path):
    fast, slow = make_worlds(tmp_path)
    for args in (
        ("down", "--steps", "0"),
        ("nonsense",),
        ("resolve", BASIC[0], "--applied", "--rolled-back"),
    ):
        result = same(fast, slow, *args)
        assert result.returncode == 2
        assert result.stderr.startswith("Usage: goofer ")
    assert fast.run(goofer_command(), ("--help",)).stdout.startswith("Usage: goofer [OPTIONS]")


def test_the_fast_path_imports_neither_click_nor_dataclasses_nor_typing(tmp_path):
    fast, _ = make_worlds(tmp_path)
    # Something in site (a .pth file of the machine's, say) may have imported one of these before
    # Goofer loads; forget them so the check sees only what the fast path itself imports.
    code = (
        "import sys\n"
        "for name in ('click', 'dataclasses', 'typing'):\n    sys.modules.pop(name, None)\n"
        "sys.argv = ['goofer', '--database-url', 'sqlite:///test.db', 'status']\n"
        "from goofer_core.cli.console import main\n"
        "try:\n    main()\n"
        "except SystemExit as exc:\n    print('exit', exc.code, file=sys.stderr)\n"
        "print(sorted(m for m in ('click', 'dataclasses', 'typing') if m in sys.modules),"
        " file=sys.stderr)\n"
    )
    result = fast.run([sys.executable, "-c", code], ())
    assert result.stdout.count("pending") == 3
    assert result.stderr == "exit 0\n[]\n"


def test_a_closed_pipe_ends_quietly_like_click(tmp_path):
    fast, slow = make_worlds(tmp_path)
    codes = []
    for world, command in ((fast, goofer_command()), (slow, CLICK)):
        env = {k: v for k, v in os.environ.items() if not k.startswith("GOOFER_")}
        proc = subprocess.Popen(
            [*command, "--database-url", "sqlite:///test.db", "status"],
            cwd=world.cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        proc.stdout.close()  # nobody reads: the first write fails with EPIPE
        _, stderr = proc.communicate(timeout=60)
        assert stderr == ""
        codes.append(proc.returncode)
    assert codes == [1, 1]


def test_echo_writes_what_click_echo_writes():
    for message, err in (("plain", False), ("a \x1b[31mred\x1b[0m word", False), ("w", True)):
        ours, theirs = io.StringIO(), io.StringIO()
        for stream, write in ((ours, console.echo), (theirs, click.echo)):
            saved = sys.stdout, sys.stderr
            sys.stdout = sys.stderr = stream
            try:
                write(message, err=err)
            finally:
                sys.stdout, sys.stderr = saved
        assert ours.getvalue() == theirs.getvalue()
