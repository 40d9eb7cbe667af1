"""Django models are the entities: what goofer_generate + goofer_up builds is what migrate builds.

The project in tests/django_models has three apps (31 tables, many-to-many tables included)
with no Django migrations and ``GOOFER["MODELS"]`` naming them; the Goofer commands run with
every model ``managed = False``, as the README says to mark them (Django writes no indexes for
unmanaged models: Goofer must still get them). On each database, in two fresh
databases: ``manage.py migrate --run-syncdb`` builds the tables as Django does; ``manage.py
goofer_generate`` + ``goofer_up`` builds them from Goofer's migration. The two are compared
column by column from the catalogs; every difference must be one the README lists. Then a
second generate finds nothing, and a field added to a model is caught and generated.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import TestDatabase, make_database
from tests.schema_compare import catalog, differences, foreign_keys, indexes

PROJECT = Path(__file__).resolve().parents[1] / "django_models"
ROOT = PROJECT.parents[1]


def manage(
    db: TestDatabase,
    migrations: Path,
    *args: str,
    changed: bool = False,
    models: str = "",
    refused: bool = False,
    entities: str = "",
    catalog: bool = False,
):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GOOFER_", "MODELSITE_", "DJANGO_"))
    }
    env.update(
        MODELSITE_URL=db.url,
        MODELSITE_MIGRATIONS=str(migrations),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    if changed:
        env["MODELSITE_CHANGED"] = "1"
    if models:
        env["MODELSITE_MODELS"] = models
    if refused:
        env["MODELSITE_REFUSED"] = "1"
    if entities:
        env["MODELSITE_ENTITIES"] = entities
    if catalog:
        env["MODELSITE_CATALOG"] = "1"
    if args[0] != "migrate":  # Goofer's tables are unmanaged; Django's migrate builds the twin
        env["MODELSITE_UNMANAGED"] = "1"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture
def twin(db: TestDatabase, tmp_path: Path):
    """A second fresh database of the same dialect, for Django's own migrate."""
    (tmp_path / "twin").mkdir()
    made = make_database(db.dialect_name, tmp_path / "twin")
    yield next(made)
    next(made, None)


def intended(db: TestDatabase, what: set[str], theirs: tuple, ours: tuple) -> str | None:
    """Return the README's name for an intended difference, or None."""
    if db.dialect_name == "sqlite" and what == {"type"}:
        spelled = {("datetime", "timestamp"), ("bool", "boolean")}
        if (theirs[0].lower(), ours[0].lower()) in spelled:
            return "sqlite type names"
    return None


def test_goofer_builds_what_django_migrate_builds(db, twin, tmp_path):
    migrations = tmp_path / "goofer_migrations"
    built = manage(twin, migrations, "migrate", "--run-syncdb", "-v", "0")
    assert built.returncode == 0, built.stderr
    generated = manage(db, migrations, "goofer_generate", "initial")
    assert generated.returncode == 0, generated.stderr
    applied = manage(db, migrations, "goofer_up")
    assert applied.returncode == 0, applied.stderr

    theirs = {k: v for k, v in catalog(twin).items() if k[0] != "django_migrations"}
    ours = catalog(db)
    assert len({t for t, _ in ours}) == 31
    found = differences(db, theirs, ours)
    unexplained = {
        k: (theirs[k], ours[k])
        for k, what in found.items()
        if intended(db, what, theirs[k], ours[k]) is None
    }
    assert unexplained == {}
    their_indexes = [i for i in indexes(twin) if i[0] != "django_migrations"]
    assert indexes(db) == their_indexes
    assert foreign_keys(db) == foreign_keys(twin)

    again = manage(db, migrations, "goofer_generate", "again")
    assert (again.returncode, again.stdout) == (0, "No changes detected\n"), again.stderr
    check = manage(db, migrations, "goofer_check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_field_added_to_a_model_is_caught_then_generated(db, tmp_path):
    migrations = tmp_path / "goofer_migrations"
    assert manage(db, migrations, "goofer_generate", "initial").returncode == 0
    assert manage(db, migrations, "goofer_up").returncode == 0
    check = manage(db, migrations, "goofer_check", changed=True)
    assert check.returncode == 1
    assert check.stdout == (
        "entities differ from the migrations: add column people_person.nickname\n"
    )
    generated = manage(db, migrations, "goofer_generate", "add_nickname", changed=True)
    assert generated.returncode == 0, generated.stderr
    up_sql = next(migrations.glob("*_add_nickname.up.sql")).read_text()
    assert "nickname" in up_sql and "people_team" not in up_sql
    assert manage(db, migrations, "goofer_up", changed=True).returncode == 0
    assert ("people_person", "nickname") in catalog(db)
    assert manage(db, migrations, "goofer_check", changed=True).returncode == 0


@pytest.mark.parametrize(
    ("models", "message"),
    [
        ("nope", "settings.GOOFER['MODELS']: 'nope': no installed app with the label 'nope'"),
        ("shop.Nope", "settings.GOOFER['MODELS']: 'shop.Nope': app 'shop' has no model 'Nope'"),
        # Goofer's own app has no models: generating from it would drop every table.
        ("goofer", "settings.GOOFER['MODELS']: goofer: no models with tables of their own"),
        (
            "sales",
            "Django models sales: sales_order (sales.Order).customer_id: its foreign key "
            "points at people.Person, which is neither in settings.GOOFER['MODELS'] nor made by "
            "Django's migrations",
        ),
    ],
)
def test_a_wrong_models_setting_is_one_line_naming_it(tmp_path, models, message):
    db = TestDatabase("sqlite", f"sqlite:///{tmp_path / 'x.db'}")
    result = manage(db, tmp_path / "m", "goofer_generate", "x", models=models)
    assert result.returncode == 1
    assert result.stderr == f"CommandError: {message}\n"
    # Only generate and check read the models: applying migrations does not trip on them.
    (tmp_path / "m").mkdir()
    applied = manage(db, tmp_path / "m", "goofer_up", models=models)
    assert (applied.returncode, applied.stdout) == (
        0,
        "Nothing to apply: the database is up to date.\n",
    ), applied.stderr


def test_what_goofer_cannot_generate_is_refused_naming_model_and_index(tmp_path):
    db = TestDatabase("sqlite", f"sqlite:///{tmp_path / 'x.db'}")
    result = manage(db, tmp_path / "m", "goofer_generate", "x", refused=True)
    assert result.returncode == 1
    assert result.stderr == (
        "CommandError: Django models people, shop, sales: sales_refund (sales.Refund): index "
        "sales_refund_amount_desc: a descending field (-amount) cannot be generated; write the "
        "index in a migration by hand\n"
    )
    assert not (tmp_path / "m").exists()


def test_models_and_dataclass_entities_are_generated_together(tmp_path):
    db = TestDatabase("sqlite", f"sqlite:///{tmp_path / 'x.db'}")
    migrations = tmp_path / "m"
    generated = manage(db, migrations, "goofer_generate", "initial", models="people", entities="1")
    assert generated.returncode == 0, generated.stderr
    assert manage(db, migrations, "goofer_up", models="people", entities="1").returncode == 0
    tables = {t for t, _ in catalog(db)}
    assert "audit_note" in tables and "people_person" in tables

    clash = manage(db, migrations, "goofer_generate", "x", models="people", entities="clash")
    assert clash.returncode == 1
    assert clash.stderr == (
        "CommandError: table people_badge is declared twice: by entity Badge and by Django "
        "models people\n"
    )


def test_goofers_tables_stand_on_the_tables_of_djangos_migrations(db, tmp_path):
    """sales.Invoice (Goofer's) points at catalog (Django-migrated): generate, up, check, verify."""
    migrations = tmp_path / "m"
    migrations.mkdir()
    built = manage(db, migrations, "migrate", catalog=True)
    assert built.returncode == 0, built.stderr
    assert {"catalog_item", "catalog_category", "catalog_item_tags"} <= db.tables()

    generated = manage(db, migrations, "goofer_generate", "initial", catalog=True)
    assert generated.returncode == 0, generated.stderr
    up = next(migrations.glob("*_initial.up.sql")).read_text()
    assert "sales_invoice" in up and "catalog_item" in up  # its foreign key
    assert not any(
        line.startswith("CREATE TABLE") and "catalog_" in line.split("(")[0]
        for line in up.splitlines()
    ), up
    applied = manage(db, migrations, "goofer_up", catalog=True)
    assert applied.returncode == 0, applied.stderr
    invoice_fks = [str(fk[1:]) for fk in foreign_keys(db) if fk[0] == "sales_invoice"]
    assert len(invoice_fks) == 2, invoice_fks
    assert all(any(t in fk for fk in invoice_fks) for t in ("catalog_item", "catalog_category"))

    again = manage(db, migrations, "goofer_generate", "again", catalog=True)
    assert (again.returncode, again.stdout) == (0, "No changes detected\n"), again.stderr
    checked = manage(db, migrations, "goofer_check", "--verify", catalog=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    verified = manage(db, migrations, "goofer_verify", catalog=True)
    assert verified.returncode == 0, verified.stdout + verified.stderr
