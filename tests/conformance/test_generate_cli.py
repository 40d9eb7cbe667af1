"""The installed `goofer generate` and `goofer check --entities`, as a user runs them."""

from __future__ import annotations

from tests.helpers import run_goofer

ENTITIES_V1 = """
from dataclasses import dataclass
from goofer_core import column, registry


@registry.register_entity(table="authors")
@dataclass
class Author:
    id: int = column(primary_key=True)
    name: str = column(max_length=100)
"""

ENTITIES_V2 = (
    ENTITIES_V1
    + """    bio: str | None = None
"""
)


def test_generate_up_change_generate_check(db, tmp_path):
    project = tmp_path / "project"
    (project / "migrations").mkdir(parents=True)
    (project / "blog_entities.py").write_text(ENTITIES_V1)
    base = ("--database-url", db.url, "--dir", "migrations", "--entities", "blog_entities")

    first = run_goofer(*base, "generate", "initial", cwd=project)
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("Created ") == 2
    assert run_goofer(*base, "up", cwd=project).returncode == 0
    assert "authors" in db.tables()

    again = run_goofer(*base, "generate", "again", cwd=project)
    assert (again.returncode, again.stdout.strip()) == (0, "No changes detected")
    assert run_goofer(*base, "check", cwd=project).returncode == 0

    (project / "blog_entities.py").write_text(ENTITIES_V2)
    stale = run_goofer(*base, "check", cwd=project)
    assert stale.returncode == 1
    assert "entities differ from the migrations" in stale.stdout

    second = run_goofer(*base, "generate", "add_bio", cwd=project)
    assert second.returncode == 0, second.stderr
    up_file = next((project / "migrations").glob("*_add_bio.up.sql"))
    assert "bio" in up_file.read_text() and "CREATE TABLE" not in up_file.read_text()
    assert run_goofer(*base, "up", cwd=project).returncode == 0
    assert run_goofer(*base, "check", cwd=project).returncode == 0
    assert len(db.tracking_ids()) == 2


def test_generate_empty_writes_a_pair_without_entities_or_database(tmp_path):
    result = run_goofer("--dir", str(tmp_path), "generate", "--empty", "by_hand")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name[15:] for p in tmp_path.iterdir())
    assert names == ["by_hand.down.sql", "by_hand.up.sql"]
