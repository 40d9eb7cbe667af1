"""The system check warns about pending, modified and missing Goofer migrations."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core import checks
from django.core.management import call_command

from goofer_integrations.django.checks import check_goofer_migrations
from tests.django_adapter.inprocess.dj_inproc_support import CONFIGURED, IDS, run

pytestmark = pytest.mark.django_db(databases=CONFIGURED, transaction=True)


def goofer_messages(**kwargs: Any) -> list[tuple[str, str]]:
    """Return (id, message) of the Goofer check's messages."""
    return [(m.id, m.msg) for m in check_goofer_migrations(**kwargs)]


def test_nothing_to_say_when_every_migration_is_applied() -> None:
    assert goofer_messages() == []
    out = io.StringIO()
    call_command("check", stdout=out)
    assert out.getvalue() == "System check identified no issues (0 silenced).\n"


def test_pending_migrations_warn_like_django_does(settings: Any) -> None:
    run("goofer_down", steps=2, verbosity=0)
    try:
        assert goofer_messages() == [
            (
                "goofer.W001",
                "2 Goofer migrations are pending on database 'default': "
                f"{IDS[1]}_seed_products, {IDS[2]}_create_orders",
            )
        ]
        err = io.StringIO()
        call_command("check", stderr=err)
        assert "(goofer.W001) 2 Goofer migrations are pending" in err.getvalue()
        assert "HINT: Run 'python manage.py goofer_up'" in err.getvalue()
        assert goofer_messages(databases=["other"]) == []  # check --database other
        settings.GOOFER = {**settings.GOOFER, "SYSTEM_CHECK": False}
        assert goofer_messages() == []
    finally:
        run("goofer_up", verbosity=0)


def test_modified_and_missing_migrations_warn(migrations_copy: Path) -> None:
    (migrations_copy / f"{IDS[1]}_seed_products.up.sql").write_text("SELECT 1;\n")
    for path in migrations_copy.glob(f"{IDS[2]}_*"):
        path.unlink()
    assert goofer_messages() == [
        (
            "goofer.W002",
            "Goofer migrations on database 'default' do not match the files: "
            f"{IDS[1]}_seed_products (modified), {IDS[2]}_create_orders (missing)",
        )
    ]


def test_a_broken_migrations_directory_is_a_warning_not_a_crash(migrations_copy: Path) -> None:
    (migrations_copy / "2024_bad.up.sql").write_text("SELECT 1;\n")
    ((identifier, message),) = goofer_messages()
    assert identifier == "goofer.W003"
    assert message.startswith("Goofer could not check its migrations: 2024_bad.up.sql: ")


def test_the_check_is_registered_under_the_database_tag() -> None:
    assert check_goofer_migrations in checks.registry.registry.get_checks()
    assert checks.Tags.database in check_goofer_migrations.tags  # type: ignore[attr-defined]


def test_the_check_reads_where_goofer_status_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GOOFER_DATABASE_URL decides for the check as for the commands, whatever Django passes."""
    elsewhere = tmp_path / "elsewhere.db"
    monkeypatch.setenv("GOOFER_DATABASE_URL", f"sqlite:///{elsewhere}")
    pending = [(i, m) for i, m in goofer_messages(databases=["default"]) if i == "goofer.W001"]
    assert pending == [
        (
            "goofer.W001",
            "3 Goofer migrations are pending on GOOFER_DATABASE_URL: "
            f"{IDS[0]}_create_products, {IDS[1]}_seed_products, {IDS[2]}_create_orders",
        )
    ]
    assert goofer_messages() == goofer_messages(databases=["default"])
    status = run("goofer_status")
    assert status.stdout.count("pending") == 3


def test_a_bad_port_is_one_line_naming_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.management import CommandError
    from django.db import connections

    monkeypatch.setitem(connections["default"].settings_dict, "PORT", "abc")
    expected = (
        "settings.DATABASES['default']['PORT'] = 'abc': expected a port number from 1 to 65535"
    )
    ((identifier, message),) = goofer_messages()
    assert (identifier, message) == (
        "goofer.W003",
        f"Goofer could not check its migrations: {expected}",
    )
    with pytest.raises(CommandError) as info:
        run("goofer_status", database="default")
    assert str(info.value) == expected
