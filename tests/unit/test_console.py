"""The console script's fast path prints exactly what the click CLI prints, without importing click.

Each parity test runs one argv through the installed ``goofer`` command (``goofer_core.console``)
and through ``python -m goofer_core.cli`` (click alone), on two identical copies of the same
database and migrations, and compares exit code, stdout and stderr.
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

import pytest
from conftest import FIXTURES, goofer_command, make_database

from goofer_core.cli import console

CLICK = [sys.executable, "-m", "goofer_core.cli"]
REPO = Path(__file__).resolve().parents[2]
CANARY = "Canary-Pw-7f3a9"
BASIC = ["20240101000000", "20240102000000", "20240103000000"]


class World:
    """A working directory (with ``migrations/``) and the environment a command runs with."""

    def __init__(self, cwd: Path, env: dict[str, str] | None = None) -> None:
        self.cwd = cwd
        self.env = env or {}

    def run(self, command: list[str], args: tuple[str, ...],
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """Run ``command args`` here, with no GOOFER_ variable but this world's and ``env``."""
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("GOOFER_")}
        full_env.update({**self.env, **(env or {})})
        return subprocess.run([*command, *args], capture_output=True, text=True, env=full_env,
                              cwd=self.cwd, timeout=120)


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
    """Drop the traceback frames of the entry points (click's and cli.py's, or console.py's)."""
    if not stderr.startswith("Traceback (most recent call last):\n"):
        return stderr
    lines = stderr.splitlines(keepends=True)
    engine = re.compile(r'  File ".*/goofer_core/(?!cli/)')
    first = next(i for i, line in enumerate(lines) if engine.match(line))
    return lines[0] + "".join(lines[first:])


def same(fast_world: World, click_world: World, *args: str,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``args`` both ways (each in its own world) and assert the user sees the same."""
    fast = fast_world.run(goofer_command(), args, env)
    slow = click_world.run(CLICK, args, env)
    assert (fast.returncode, normalised(fast.stdout), without_entry_frames(fast.stderr)) == (
        slow.returncode, normalised(slow.stdout), without_entry_frames(slow.stderr)), args
    return fast


def test_the_installed_command_is_the_console_entry_point():
    (script,) = entry_points(group="console_scripts", name="goofer")
    assert script.value == "goofer_core.cli.console:main"
    assert Path(goofer_command()[0]).name == "goofer"


def test_up_down_status_with_flags_match_click(tmp_path):
    fast, slow = make_worlds(tmp_path)
    flags = ("--database-url", "sqlite:///test.db", "--dir", "migrations")
    assert same(fast, slow, *flags, "status").stdout.count("pending") == 3
    assert "Applied 1 migration." in same(fast, slow, *flags, "up", "--to", BASIC[0]).stdout
    same(fast, slow, *flags, "status", "--json")
    same(fast, slow, *flags, "--verbose", "up", f"--to={BASIC[1]}")
    assert "Applied 1 migration." in same(fast, slow, *flags, "up").stdout
    assert "up to date" in same(fast, slow, *flags, "up").stdout
    same(fast, slow, *flags, "status")
    assert "Reverted 1 migration." in same(fast, slow, *flags, "down").stdout
    same(fast, slow, *flags, "down", "--steps", "1")
    same(fast, slow, *flags, "up")
    same(fast, slow, *flags, "down", f"--to={BASIC[0]}")
    assert "Reverted 1 migration." in same(fast, slow, *flags, "down", "--all").stdout
    assert same(fast, slow, *flags, "down").stdout == "Nothing to revert.\n"
    same(fast, slow, *flags, "down", "--steps=007")


def test_equals_forms_and_every_group_option_match_click(tmp_path):
    fast, slow = make_worlds(tmp_path)
    flags = ("--database-url=sqlite:///test.db", "--dir=migrations", "--table=goofer_log",
             "--lock-timeout=2.5", "--verbose")
    assert "Applied 3 migrations." in same(fast, slow, *flags, "up").stdout
    same(fast, slow, *flags, "status")
    same(fast, slow, *flags, "status", "--json")
    same(fast, slow, "--table", "goofer_log", "--lock-timeout", "3", "--dir", "migrations",
         "--database-url", "sqlite:///test.db", "down", "--all")


def test_settings_from_the_environment_match_click(tmp_path):
    fast, slow = make_worlds(tmp_path)
    (fast.cwd / "migrations").rename(fast.cwd / "sql")
    (slow.cwd / "migrations").rename(slow.cwd / "sql")
    env = {"GOOFER_DATABASE_URL": "sqlite:///env.db", "GOOFER_MIGRATIONS_DIR": "sql",
           "GOOFER_TABLE": "env_log", "GOOFER_LOCK_TIMEOUT": "5"}
    assert "Applied 3 migrations." in same(fast, slow, "up", env=env).stdout
    assert same(fast, slow, "status", "--json", env=env).stdout.count('"applied"') == 3
    # A flag beats the variable; an empty flag value falls back to it.
    same(fast, slow, "--table", "other_log", "status", env=env)
    same(fast, slow, "--table=", "status", env=env)
    same(fast, slow, "down", "--steps", "2", env=env)
    same(fast, slow, "--lock-timeout", "abc", "--verbose", "status", env=env)
    same(fast, slow, "status", env={**env, "GOOFER_LOCK_TIMEOUT": "soon"})


def test_check_matches_click(tmp_path):
    fast, slow = make_worlds(tmp_path)
    flags = ("--database-url", "sqlite:///test.db", "--dir", "migrations")
    result = same(fast, slow, *flags, "check")
    assert result.returncode == 1 and result.stderr == "check failed: 3 problems\n"
    same(fast, slow, *flags, "up", "--to", BASIC[1])
    assert same(fast, slow, *flags, "check").stderr == "check failed: 1 problem\n"
    same(fast, slow, *flags, "up")
    result = same(fast, slow, *flags, "check")
    assert result.returncode == 0
    assert result.stdout == "OK: every migration is applied and unchanged.\n"
    for world in (fast, slow):  # an applied file changed after the fact
        path = world.cwd / "migrations" / f"{BASIC[0]}_create_users.up.sql"
        path.write_text(path.read_text() + "\n-- edited\n")
    assert "modified after being applied" in same(fast, slow, *flags, "check").stdout
    # Entity modules from the environment are compared too (the shop's are not these tables).
    env = {"GOOFER_ENTITIES": "examples.shop.entities", "PYTHONPATH": str(REPO)}
    result = same(fast, slow, *flags, "check", env=env)
    assert result.returncode == 1 and "entities" in result.stdout
    same(fast, slow, "--dir", "migrations", "check")  # no database URL


def test_errors_match_click(tmp_path):
    fast, slow = make_worlds(tmp_path)
    flags = ("--database-url", "sqlite:///test.db", "--dir", "migrations")
    same(fast, slow, *flags, "up")
    for world in (fast, slow):  # an applied file changed after the fact
        path = world.cwd / "migrations" / f"{BASIC[0]}_create_users.up.sql"
        path.write_text(path.read_text() + "\n-- edited\n")
    assert "modified" in same(fast, slow, *flags, "status").stdout
    result = same(fast, slow, *flags, "up")
    assert result.returncode == 1 and "modified after being applied" in result.stderr
    assert same(fast, slow, *flags, "--verbose", "up").stderr.startswith("Traceback")
    same(fast, slow, "--dir", "migrations", "status")  # no database URL
    same(fast, slow, "--database-url", "sqlite:///test.db", "--dir", "nowhere", "up")
    same(fast, slow, *flags, "down", "--to", "20991231000000")


def test_a_failing_migration_prints_progress_then_the_error_like_click(tmp_path):
    fast, slow = make_worlds(tmp_path, "failing_statement")
    flags = ("--database-url", "sqlite:///test.db", "--dir", "migrations")
    result = same(fast, slow, *flags, "up")
    assert result.returncode == 1 and "create_users" in result.stdout
    result = same(fast, slow, *flags, "--verbose", "up")
    assert result.stderr.startswith("Traceback (most recent call last):\n")
    same(fast, slow, *flags, "status")


@pytest.mark.parametrize("verbose", [(), ("--verbose",)])
def test_a_password_in_a_bad_url_is_masked_like_click(tmp_path, verbose):
    fast, slow = make_worlds(tmp_path)
    url = f"postgresql://u:{CANARY}@host:port/db"
    result = same(fast, slow, "--database-url", url, *verbose, "status")
    assert result.returncode == 1
    assert CANARY not in result.stdout + result.stderr
    result = same(fast, slow, "--database-url", f"mysql://u:{CANARY}@127.0.0.1:1/db", *verbose,
                  "--lock-timeout", "1", "up")
    assert result.returncode == 1
    assert CANARY not in result.stdout + result.stderr


def test_each_dialect_matches_click(db, tmp_path):
    """Up, status and down on each server, the URL from the environment."""
    with_second = make_database(db.dialect_name, tmp_path / "second")
    (tmp_path / "second").mkdir()
    second = next(with_second)
    try:
        fast, slow = make_worlds(tmp_path)
        fast.env["GOOFER_DATABASE_URL"] = db.url
        slow.env["GOOFER_DATABASE_URL"] = second.url
        assert "Applied 3 migrations." in same(fast, slow, "up").stdout
        same(fast, slow, "status")
        same(fast, slow, "status", "--json")
        same(fast, slow, "check")
        same(fast, slow, "down", "--steps", "2")
        same(fast, slow, "check")
        same(fast, slow, "down", "--all")
        assert db.tracking_ids() == second.tracking_ids() == []
    finally:
        next(with_second, None)


@pytest.mark.parametrize("args", [
    ("--help",), ("-h",), (), ("status", "--help"), ("nonsense",), ("down", "--steps", "0"),
    ("down", "--steps", "1", "--all"), ("down", "--to", "x", "--all"), ("status", "--verbose"),
    ("up", "--to"), ("--dir",), ("status", "status"), ("--verbose", "--verbose", "status"),
    ("--verbose=1", "status"), ("status", "--json=yes"), ("--dir", "-x", "status"),
    ("check", "--verify"), ("check", "--shadow-url", "sqlite:///x.db"), ("sql",),
    ("--entities", "nothing_here", "status"), ("--entities", "x", "check"),
    ("down", "--steps", "-1"), ("check", "--json"),
])
def test_everything_else_is_clicks(tmp_path, args):
    fast, slow = make_worlds(tmp_path)
    env = {"GOOFER_DATABASE_URL": "sqlite:///test.db"}
    same(fast, slow, *args, env=env)
    assert console.recognise(list(args)) is None


def test_usage_errors_exit_2_from_click(tmp_path):
    fast, _ = make_worlds(tmp_path)
    for args in (("down", "--steps", "0"), ("nonsense",)):
        result = fast.run(goofer_command(), args)
        assert result.returncode == 2
        assert result.stderr.startswith("Usage: goofer ")
    assert fast.run(goofer_command(), ("--help",)).stdout.startswith("Usage: goofer [OPTIONS]")


@pytest.mark.parametrize(("args", "expected"), [
    (["status"], ("status", {}, {})),
    (["--verbose", "--dir=m", "--table", "t", "up", "--to", "1"],
     ("up", {"verbose": True, "directory": "m", "table": "t"}, {"to": "1"})),
    (["--database-url", "sqlite:///a=b.db", "down", "--steps=12"],
     ("down", {"database_url": "sqlite:///a=b.db"}, {"steps": 12})),
    (["--lock-timeout", "up", "status", "--json"],
     ("status", {"lock_timeout": "up"}, {"as_json": True})),
    (["down", "--all"], ("down", {}, {"everything": True})),
    (["--database-url", "sqlite:///a.db", "check"], ("check", {"database_url": "sqlite:///a.db"},
                                                     {})),
])
def test_recognise_reads_the_boot_time_forms(args, expected):
    assert console.recognise(args) == expected


def test_the_fast_path_imports_neither_click_nor_dataclasses_nor_typing(tmp_path):
    fast, _ = make_worlds(tmp_path)
    # Something in site (a .pth file of the machine's, say) may have imported one of these before
    # Goofer loads; forget them so the check sees only what the fast path itself imports.
    code = ("import sys\n"
            "for name in ('click', 'dataclasses', 'typing'):\n    sys.modules.pop(name, None)\n"
            "sys.argv = ['goofer', '--database-url', 'sqlite:///test.db', 'status']\n"
            "from goofer_core.cli.console import main\n"
            "try:\n    main()\n"
            "except SystemExit as exc:\n    print('exit', exc.code, file=sys.stderr)\n"
            "print(sorted(m for m in ('click', 'dataclasses', 'typing') if m in sys.modules),"
            " file=sys.stderr)\n")
    result = fast.run([sys.executable, "-c", code], ())
    assert result.stdout.count("pending") == 3
    assert result.stderr == "exit 0\n[]\n"


def test_a_closed_pipe_ends_quietly_like_click(tmp_path):
    fast, slow = make_worlds(tmp_path)
    codes = []
    for world, command in ((fast, goofer_command()), (slow, CLICK)):
        env = {k: v for k, v in os.environ.items() if not k.startswith("GOOFER_")}
        proc = subprocess.Popen([*command, "--database-url", "sqlite:///test.db", "status"],
                                cwd=world.cwd, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        proc.stdout.close()  # nobody reads: the first write fails with EPIPE
        _, stderr = proc.communicate(timeout=60)
        assert stderr == ""
        codes.append(proc.returncode)
    assert codes == [1, 1]


def test_echo_writes_what_click_echo_writes():
    import click

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
