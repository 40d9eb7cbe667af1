"""examples/django_blog, run as the README says: its models are the entities, nothing else."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "django_blog"
ROOT = EXAMPLE.parents[1]


def manage(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOOFER_", "DJANGO_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_blog_example_migrates_and_its_models_match(tmp_path):
    project = tmp_path / "django_blog"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("__pycache__", "db.sqlite3"))
    up = manage(project, "goofer_up")
    assert up.returncode == 0, up.stderr
    assert up.stdout.endswith("Applied 1 migration.\n")
    check = manage(project, "goofer_check")
    assert (check.returncode, check.stdout) == (
        0,
        "OK: every migration is applied and unchanged.\n",
    ), check.stderr
    again = manage(project, "goofer_generate", "again")
    assert (again.returncode, again.stdout) == (0, "No changes detected\n"), again.stderr
    tests = manage(project, "test", "blog", "-v", "2")
    assert tests.returncode == 0, tests.stderr
    assert "test_a_post_with_tags (blog.tests.BlogTests" in tests.stderr
    assert "OK" in tests.stderr

    # A field added to a model only: check names it, generate writes it.
    models = project / "blog" / "models.py"
    models.write_text(
        models.read_text().replace(
            "    title = models.CharField(max_length=200)\n",
            "    title = models.CharField(max_length=200)\n"
            '    slug = models.SlugField(max_length=200, db_default="")\n',
        )
    )
    check = manage(project, "goofer_check")
    assert (check.returncode, check.stdout) == (
        1,
        "entities differ from the migrations: add column blog_post.slug; "
        "create index blog_post_slug_b95473f2 on blog_post\n",  # a SlugField is indexed
    )
    added = manage(project, "goofer_generate", "add_slug")
    assert added.returncode == 0, added.stderr
    up_sql = next((project / "goofer_migrations").glob("*_add_slug.up.sql")).read_text()
    assert 'ALTER TABLE "blog_post" ADD COLUMN "slug"' in up_sql
    assert 'CREATE INDEX "blog_post_slug_b95473f2"' in up_sql
    assert manage(project, "goofer_up").returncode == 0
    assert manage(project, "goofer_check").returncode == 0
