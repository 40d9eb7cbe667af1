"""Dialect folders and ``-- goofer:`` directives, without a database."""

from __future__ import annotations

from pathlib import Path

import pytest

from goofer_core.errors import ConfigurationError, MigrationFileError
from goofer_core.generate.several import server_urls
from goofer_core.migrations.files import asks_no_transaction, only_dialects
from goofer_core.migrations.layout import folder_differences, folder_for, layout_dialects


def pair(folder: Path, label: str, up_mark: str = "", down_mark: str | None = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{label}.up.sql").write_text(up_mark + "SELECT 1;\n")
    down = up_mark if down_mark is None else down_mark
    (folder / f"{label}.down.sql").write_text(down + "SELECT 1;\n")


def test_directives_are_the_leading_goofer_lines() -> None:
    both = "\n-- goofer:only PostgreSQL\n-- goofer:no-transaction\nCREATE INDEX CONCURRENTLY i;\n"
    assert asks_no_transaction(both)
    assert only_dialects(both, "x.up.sql") == ("postgresql",)
    assert only_dialects("-- goofer:only mariadb, postgres\n", "x.up.sql") == (
        "postgresql",
        "mysql",
    )
    later = "SELECT 1;\n-- goofer:only mysql\n"  # below the SQL: an ordinary comment
    assert only_dialects(later, "x.up.sql") == ()
    assert only_dialects("-- goofer:onlyish mysql\n", "x.up.sql") == ()
    with pytest.raises(MigrationFileError, match=r"x\.up\.sql: '-- goofer:only oracle': name"):
        only_dialects("-- goofer:only oracle\n", "x.up.sql")
    with pytest.raises(MigrationFileError, match="name the dialects"):
        only_dialects("-- goofer:only\n", "x.up.sql")


def test_folder_for_picks_the_dialect_folder_or_the_directory(tmp_path: Path) -> None:
    assert folder_for(tmp_path, "mysql") == str(tmp_path)  # a single-folder project
    (tmp_path / "sqlite").mkdir()
    assert folder_for(tmp_path, "sqlite") == str(tmp_path / "sqlite")
    with pytest.raises(ConfigurationError, match="has folders for sqlite but none for mysql"):
        folder_for(tmp_path, "mysql")
    pair(tmp_path, "20260101000000_stray")
    with pytest.raises(ConfigurationError, match=r"20260101000000_stray\.down\.sql: a migration"):
        folder_for(tmp_path, "sqlite")


def test_layout_is_the_configured_dialects_and_the_folders(tmp_path: Path) -> None:
    assert layout_dialects(tmp_path) == []
    (tmp_path / "mysql").mkdir()
    assert layout_dialects(tmp_path, ["postgres"]) == ["postgresql", "mysql"]
    with pytest.raises(ConfigurationError, match="dialect 'oracle' is not supported"):
        layout_dialects(tmp_path, ["oracle"])


def test_folder_differences_name_each_problem(tmp_path: Path) -> None:
    dialects = ["sqlite", "postgresql", "mysql"]
    for dialect in dialects:
        pair(tmp_path / dialect, "20260101000000_a")
    assert folder_differences(tmp_path, dialects) == []
    pair(tmp_path / "sqlite", "20260102000000_b")
    pair(tmp_path / "mysql", "20260102000000_c")
    pair(tmp_path / "postgresql", "20260103000000_d", "-- goofer:only postgresql\n")
    pair(tmp_path / "sqlite", "20260104000000_e", "-- goofer:only sqlite,mysql\n")
    pair(tmp_path / "mysql", "20260104000000_e", "-- goofer:only sqlite,mysql\n", "\n")
    assert folder_differences(tmp_path, dialects) == [
        f"20260104000000_e: in {tmp_path / 'mysql'}, the up file is marked for sqlite,mysql but "
        "the down file for every dialect",
        "20260102000000: named differently in the dialect folders (b in sqlite, c in mysql)",
    ]
    (tmp_path / "mysql" / "20260102000000_c.up.sql").rename(
        tmp_path / "mysql" / "20260102000000_b.up.sql"
    )
    (tmp_path / "mysql" / "20260102000000_c.down.sql").rename(
        tmp_path / "mysql" / "20260102000000_b.down.sql"
    )
    pair(tmp_path / "mysql", "20260104000000_e", "-- goofer:only sqlite,mysql\n", "")
    (tmp_path / "mysql" / "20260104000000_e.down.sql").write_text("-- goofer:only mysql\n")
    reasons = folder_differences(tmp_path, dialects)
    assert reasons[1:] == [
        f"20260102000000_b: missing from {tmp_path / 'postgresql'} (it is in sqlite, mysql; if "
        "it belongs to sqlite, mysql only, make '-- goofer:only sqlite,mysql' the first line of "
        "each of its files)"
    ]
    assert reasons[0].endswith("the up file is marked for sqlite,mysql but the down file for mysql")


def test_shadow_urls_name_one_server_per_dialect() -> None:
    servers = server_urls("postgresql://u:secret@h/db  mariadb://root@h/test")
    assert sorted(servers) == ["mysql", "postgresql"]
    with pytest.raises(ConfigurationError, match="two for postgresql") as caught:
        server_urls(["postgres://u:secret@h/a", "postgresql://u:secret@h/b"])
    assert "secret" not in str(caught.value)


def test_every_server_dialect_needs_a_scratch_server_before_anything_is_made(
    tmp_path: Path,
) -> None:
    from dataclasses import dataclass

    from goofer_core import MigrationGenerator, Registry, column

    registry = Registry()

    @registry.register_entity(table="notes")
    @dataclass
    class Note:
        id: int = column(primary_key=True)

    generator = MigrationGenerator(
        registry,
        dialects=["sqlite", "postgresql", "mysql"],
        out_path=tmp_path,
        shadow_url="postgresql://u:secret@127.0.0.1:1/db",  # never reached: mysql has none
    )
    with pytest.raises(ConfigurationError) as caught:
        generator.generate("create_notes")
    assert str(caught.value) == (
        "mysql: generating its migrations needs a mysql server for a scratch database: add a "
        "mysql:// URL to --shadow-url / GOOFER_SHADOW_DATABASE_URL (several, separated by spaces)"
    )
    assert list(tmp_path.iterdir()) == []
