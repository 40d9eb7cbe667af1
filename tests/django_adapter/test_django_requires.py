"""The ``-- requires:`` header of a Goofer migration (no database, no Django settings)."""

from __future__ import annotations

import pytest

from goofer_core.errors import MigrationFileError
from goofer_core.migrations.files import MigrationFile
from goofer_integrations.django.requires import DjangoMigration, requirements


def up_file(text: str) -> MigrationFile:
    """Return a migration whose up file holds ``text``."""
    return MigrationFile("20250101000000", "create_billing", "/nowhere", text)


def test_headers_before_the_first_statement_name_django_migrations() -> None:
    text = (
        "-- goofer:no-transaction\n"
        "-- requires: catalog 0002_product\n\n"
        "--REQUIRES: auth.0012_alter_user_first_name_max_length, catalog 0003_refund\n"
        "-- an ordinary comment\n"
        "CREATE TABLE t (id INTEGER);\n"
        "-- requires: late 0001_ignored\n"
    )
    assert requirements(up_file(text)) == [
        DjangoMigration("catalog", "0002_product"),
        DjangoMigration("auth", "0012_alter_user_first_name_max_length"),
        DjangoMigration("catalog", "0003_refund"),
    ]
    assert requirements(up_file("CREATE TABLE t (id INTEGER);\n")) == []


@pytest.mark.parametrize("header", ["-- requires: catalog", "-- requires: catalog 0002 x, a b"])
def test_a_malformed_header_names_the_file_and_line(header: str) -> None:
    with pytest.raises(MigrationFileError) as info:
        requirements(up_file(f"-- note\n{header}\nSELECT 1;\n"))
    assert str(info.value).startswith(
        "20250101000000_create_billing.up.sql: line 2: '-- requires:' expects "
        "'app_label migration_name' (e.g. 'catalog 0002_product'), got "
    )
