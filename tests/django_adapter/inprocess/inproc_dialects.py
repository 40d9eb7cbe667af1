"""``GOOFER["DIALECTS"]``: one history for several dialects, a folder each, under manage.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError

from tests.django_adapter.inprocess.dj_inproc_support import run


def test_generate_empty_writes_a_pair_in_each_dialects_folder(
    tmp_path: Path, settings: Any
) -> None:
    settings.GOOFER = {
        **settings.GOOFER,
        "MIGRATIONS_DIR": tmp_path,
        "DIALECTS": ["sqlite", "postgres"],
    }
    out = run("goofer_generate", "by_hand", empty=True)
    written = [Path(line.removeprefix("Created ")) for line in out.lines]
    assert sorted(p.parent.name for p in written) == [
        "postgresql",
        "postgresql",
        "sqlite",
        "sqlite",
    ]
    assert len({p.name for p in written}) == 2  # one id in both folders


def test_an_unknown_dialect_is_named_with_its_setting(settings: Any) -> None:
    settings.GOOFER = {**settings.GOOFER, "DIALECTS": "sqlite,oracle"}
    with pytest.raises(CommandError) as info:
        run("goofer_status")
    assert str(info.value).startswith(
        "settings.GOOFER['DIALECTS']: dialect 'oracle' is not supported"
    )


@pytest.mark.django_db(transaction=True)
def test_messages_name_the_aliass_own_migrations_dirs_entry(tmp_path: Path, settings: Any) -> None:
    """With GOOFER['MIGRATIONS_DIRS'], the folder's setting is named as the user wrote it."""
    folder = tmp_path / "goofer_migrations"
    folder.mkdir()
    (folder / "20240101000000_mine.up.sql").write_text("CREATE TABLE mine (id INTEGER);\n")
    (folder / "20240101000000_mine.down.sql").write_text("DROP TABLE mine;\n")
    source = tmp_path / "dbmate"
    source.mkdir()
    (source / "20240102000000_theirs.sql").write_text(
        "-- migrate:up\nCREATE TABLE theirs (id INTEGER);\n-- migrate:down\nDROP TABLE theirs;\n"
    )
    settings.GOOFER = {**settings.GOOFER, "MIGRATIONS_DIRS": {"default": folder}}
    with pytest.raises(CommandError) as info:
        run("goofer_import", str(source), "--from", "dbmate")
    message = str(info.value)
    assert "(settings.GOOFER['MIGRATIONS_DIRS']['default']): already holds" in message, message
