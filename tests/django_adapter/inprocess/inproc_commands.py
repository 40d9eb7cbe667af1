"""``call_command("goofer_*")`` in-process, on every alias, with the core command's output."""

from __future__ import annotations

import io
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from goofer_integrations.django.database import dialect_of, shares_driver
from tests.django_adapter.inprocess.dj_inproc_support import (
    CONFIGURED,
    IDS,
    run,
    table_names,
    tracked_ids,
)

pytestmark = pytest.mark.django_db(databases=CONFIGURED, transaction=True)
TIME = re.compile(r" \(\d+\.\d ms\)$")


def untimed(text: str) -> list[str]:
    """Return the lines of ``text`` with the per-migration times removed."""
    return [TIME.sub("", line) for line in text.splitlines()]


def test_status_prints_the_core_table(alias: str) -> None:
    out = run("goofer_status", database=alias)
    assert out.lines[0].split() == ["ID", "NAME", "STATE", "APPLIED", "AT", "(UTC)"]
    rows = [line.split()[:3] for line in out.lines[1:]]
    assert rows == [
        [IDS[0], "create_products", "applied"],
        [IDS[1], "seed_products", "applied"],
        [IDS[2], "create_orders", "applied"],
    ]
    assert out.stderr == ""


def test_status_json(alias: str) -> None:
    rows = json.loads(run("goofer_status", database=alias, json=True).stdout)
    assert [(r["id"], r["state"]) for r in rows] == [(i, "applied") for i in IDS]


def test_down_then_up_print_one_line_per_migration(alias: str) -> None:
    down = run("goofer_down", database=alias, steps=2)
    assert untimed(down.stdout) == [
        "reverted 20240103000000_create_orders",
        "reverted 20240102000000_seed_products",
        "Reverted 2 migrations.",
    ]
    assert tracked_ids(alias) == IDS[:1]
    assert "orders" not in table_names(alias)
    up = run("goofer_up", database=alias, to=IDS[1])
    assert untimed(up.stdout) == ["applied 20240102000000_seed_products", "Applied 1 migration."]
    assert tracked_ids(alias) == IDS[:2]
    assert run("goofer_up", database=alias).lines[-1] == "Applied 1 migration."
    assert run("goofer_up", database=alias).stdout == (
        "Nothing to apply: the database is up to date.\n"
    )


def test_down_all_sql_and_check(alias: str) -> None:
    assert run("goofer_check", database=alias).stdout == (
        "OK: every migration is applied and unchanged.\n"
    )
    assert run("goofer_sql", database=alias).stdout == "-- nothing to run\n"
    assert run("goofer_down", database=alias, all=True).lines[-1] == "Reverted 3 migrations."
    sql = run("goofer_sql", database=alias).stdout
    assert sql.startswith("-- 20240101000000_create_products.up.sql\nCREATE TABLE products")
    assert "-- 20240103000000_create_orders.up.sql" in sql
    with pytest.raises(SystemExit) as exit_info:
        run("goofer_check", database=alias)
    assert exit_info.value.code == 1


def test_check_prints_the_reasons_and_exits_1(alias: str) -> None:
    run("goofer_down", database=alias, verbosity=0)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("goofer_check", database=alias, stdout=out, stderr=err)
    assert exit_info.value.code == 1
    assert out.getvalue() == "20240103000000_create_orders: pending\n"
    assert err.getvalue() == "check failed: 1 problem\n"


def test_verbosity_0_silences_progress_but_not_data(alias: str) -> None:
    assert run("goofer_down", database=alias, verbosity=0).stdout == ""
    assert len(run("goofer_status", database=alias, verbosity=0).lines) == 4
    assert run("goofer_up", database=alias, verbosity=0).stdout == ""
    assert tracked_ids(alias) == IDS


def test_verbosity_2_says_where_it_works(alias: str) -> None:
    first = run("goofer_status", database=alias, verbosity=2).lines[0]
    assert first.startswith(f"Goofer: database {alias!r} (")
    assert "goofer_migrations, table migrations" in first


def test_bad_usage_is_a_command_error_with_exit_code_2() -> None:
    with pytest.raises(CommandError, match="use only one of --steps, --to and --all") as info:
        run("goofer_down", steps=1, all=True)
    assert info.value.returncode == 2
    with pytest.raises(CommandError, match="0 is not in the range") as info:
        run("goofer_down", steps=0)
    assert info.value.returncode == 2


def test_a_goofer_error_is_a_one_line_command_error() -> None:
    with pytest.raises(CommandError) as info:
        run("goofer_up", to="20990101000000")
    assert str(info.value) == "--to 20990101000000: no migration with that id in the directory"
    assert info.value.returncode == 1


def test_resolve_passes_its_argument_and_flags() -> None:
    with pytest.raises(CommandError, match=f"resolve {IDS[2]}: no migration with that id failed"):
        run("goofer_resolve", IDS[2], applied=True)
    with pytest.raises(CommandError, match="say how it ended"):
        run("goofer_resolve", IDS[2])


def test_a_modified_migration_stops_up_and_names_the_file(migrations_copy: Path) -> None:
    run("goofer_down", verbosity=0)
    (migrations_copy / f"{IDS[1]}_seed_products.up.sql").write_text("SELECT 1;\n")
    with pytest.raises(CommandError, match=f"{IDS[1]}_seed_products.up.sql: modified after"):
        run("goofer_up")
    assert "modified" in run("goofer_status").stdout


@pytest.mark.django_db(databases=CONFIGURED)  # inside TestCase-style transaction
def test_inside_an_atomic_block_it_refuses_with_the_way_out(alias: str) -> None:
    wrapper = connections[alias]
    # The test project uses PyMySQL even where mysqlclient is installed, so Goofer shares
    # Django's connection on every alias here, and that is what must refuse.
    assert shares_driver(wrapper, dialect_of(wrapper))
    with pytest.raises(CommandError, match=r"cannot run inside transaction\.atomic\(\)"):
        run("goofer_status", database=alias)


def test_goofer_database_url_overrides_settings_but_not_the_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "elsewhere.db"
    monkeypatch.setenv("GOOFER_DATABASE_URL", f"sqlite:///{target}")
    assert run("goofer_up").lines[-1] == "Applied 3 migrations."
    assert sqlite3.connect(target).execute("SELECT COUNT(*) FROM products").fetchone() == (2,)
    assert run("goofer_up", database="default").lines[-1].startswith("Nothing to apply")


def test_goofer_migrations_dir_overrides_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOOFER_MIGRATIONS_DIR", str(tmp_path))
    (tmp_path / "20240104000000_extra.up.sql").write_text("CREATE TABLE extra (id INTEGER);\n")
    (tmp_path / "20240104000000_extra.down.sql").write_text("DROP TABLE extra;\n")
    status = run("goofer_status").stdout
    assert "20240104000000  extra" in status and "missing" in status


def test_url_fallback_for_other_drivers(alias: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """With psycopg2 or mysqlclient, Goofer opens its own connection from DATABASES."""
    from goofer_integrations.django import database

    monkeypatch.setattr(database, "shares_driver", lambda wrapper, dialect: False)
    run("goofer_down", database=alias, verbosity=0)
    connections[alias].close()  # ignored for the in-memory SQLite test database
    up = run("goofer_up", database=alias)
    assert untimed(up.stdout) == ["applied 20240103000000_create_orders", "Applied 1 migration."]
    if alias != "default":
        assert connections[alias].connection is None  # Django's connection was not used
    assert tracked_ids(alias) == IDS


def test_generate_empty_writes_a_pair(migrations_copy: Path) -> None:
    out = run("goofer_generate", "add_notes", empty=True)
    up, down = (next(migrations_copy.glob(f"*_add_notes.{d}.sql")) for d in ("up", "down"))
    assert out.lines == [f"Created {up}", f"Created {down}"]


def test_generate_writes_the_entities_difference_once(
    alias: str, tmp_path: Path, settings: Any
) -> None:
    """On PostgreSQL and MariaDB the scratch database goes on the DATABASES entry's server."""
    target = tmp_path / "generated"
    settings.GOOFER = {
        **settings.GOOFER,
        "MIGRATIONS_DIR": target,
        "ENTITIES": ["testsite.entities"],
    }
    first = run("goofer_generate", "create_notes", database=alias)
    up, down = (next(target.glob(f"*_create_notes.{d}.sql")) for d in ("up", "down"))
    assert first.lines == [f"Created {up}", f"Created {down}"]
    assert "CREATE TABLE" in up.read_text() and "notes" in up.read_text()
    assert "DROP TABLE" in down.read_text()
    assert run("goofer_generate", "again", database=alias).stdout == "No changes detected\n"


def test_resolve_refuses_both_outcomes_at_once() -> None:
    for options in ({"applied": True, "rolled_back": True},):
        with pytest.raises(
            CommandError, match="use only one of --applied and --rolled-back"
        ) as info:
            run("goofer_resolve", IDS[2], **options)
        assert info.value.returncode == 2


def test_generate_dry_run_prints_and_writes_nothing(
    alias: str, tmp_path: Path, settings: Any
) -> None:
    target = tmp_path / "generated"
    target.mkdir()
    settings.GOOFER = {
        **settings.GOOFER,
        "MIGRATIONS_DIR": target,
        "ENTITIES": ["testsite.entities"],
    }
    out = run("goofer_generate", "create_notes", database=alias, dry_run=True)
    assert out.lines[0].endswith("_create_notes.up.sql (not written)")
    assert "CREATE TABLE" in out.stdout
    assert list(target.iterdir()) == []


def test_the_scratch_database_settings_are_read(alias: str, tmp_path: Path, settings: Any) -> None:
    """GOOFER['SHADOW_PREFIX'] and ['SHADOW_DATABASE_URL'] reach generate (on a server)."""
    settings.GOOFER = {
        **settings.GOOFER,
        "MIGRATIONS_DIR": tmp_path,
        "ENTITIES": ["testsite.entities"],
        "SHADOW_PREFIX": "not-allowed",
    }
    if alias == "default":  # SQLite's scratch database is in memory: no name, no server
        assert run("goofer_generate", "x", database=alias, dry_run=True).stdout
        return
    with pytest.raises(CommandError, match="scratch database prefix 'not-allowed'"):
        run("goofer_generate", "x", database=alias)
    settings.GOOFER = {
        **settings.GOOFER,
        "SHADOW_PREFIX": "acme_",
        "SHADOW_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
    }
    with pytest.raises(CommandError, match=r"127\.0\.0\.1:1"):  # the setting's scratch server
        run("goofer_generate", "x", database=alias)
