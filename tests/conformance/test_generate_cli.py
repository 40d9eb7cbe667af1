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


def test_generate_dry_run_prints_both_files_and_writes_nothing(db, tmp_path):
    project = tmp_path / "project"
    (project / "migrations").mkdir(parents=True)
    (project / "blog_entities.py").write_text(ENTITIES_V1)
    base = ("--database-url", db.url, "--dir", "migrations", "--entities", "blog_entities")
    result = run_goofer(*base, "generate", "initial", "--dry-run", cwd=project)
    assert result.returncode == 0, result.stderr
    headers = [line for line in result.stdout.splitlines() if line.endswith("(not written)")]
    assert [h.split("_", 1)[1] for h in headers] == [
        "initial.up.sql (not written)",
        "initial.down.sql (not written)",
    ]
    up_text = result.stdout.split(headers[1])[0]
    assert "CREATE TABLE" in up_text and "authors" in up_text
    assert "DROP TABLE" in result.stdout.split(headers[1])[1]
    assert list((project / "migrations").iterdir()) == []
    # What it printed is what generate then writes.
    assert run_goofer(*base, "generate", "initial", cwd=project).returncode == 0
    written = next((project / "migrations").glob("*_initial.up.sql")).read_text()
    assert written in up_text


def test_the_scratch_database_prefix_is_a_setting(db, tmp_path):
    project = tmp_path / "project"
    (project / "migrations").mkdir(parents=True)
    (project / "blog_entities.py").write_text(ENTITIES_V1)
    base = ("--database-url", db.url, "--dir", "migrations", "--entities", "blog_entities")
    bad = run_goofer(*base, "check", "--shadow-prefix", "not-allowed", cwd=project)
    if db.dialect.scratch_in_memory:
        assert bad.returncode == 1 and "entities differ" in bad.stdout  # no name needed
        return
    assert bad.returncode == 1
    assert bad.stderr == (
        "error: scratch database prefix 'not-allowed' (--shadow-prefix / GOOFER_SHADOW_PREFIX): "
        "use letters, digits and _, at most 40 characters, not starting with a digit\n"
    )
    env = {"GOOFER_SHADOW_PREFIX": "acme_scratch_"}
    good = run_goofer(*base, "generate", "initial", cwd=project, env=env)
    assert good.returncode == 0, good.stderr
    from_env = run_goofer(*base, "check", cwd=project, env={"GOOFER_SHADOW_PREFIX": "9bad"})
    assert from_env.returncode == 1 and "prefix '9bad'" in from_env.stderr


def test_the_scratch_database_is_named_with_the_prefix(db):
    from goofer_core.migrations.scratch import scratch_connection
    from goofer_core.url import DatabaseURL

    if db.dialect.scratch_in_memory:
        return
    query = "SELECT current_database()" if db.dialect_name == "postgresql" else "SELECT DATABASE()"
    with scratch_connection(db.dialect_name, DatabaseURL.parse(db.url), "acme_scratch_") as conn:
        cur = conn.cursor()
        cur.execute(query)
        (name,) = cur.fetchone()
    assert name.startswith("acme_scratch_") and len(name) == len("acme_scratch_") + 12
