"""How ``import`` reads another tool's files and maps them (no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from goofer_core.adopt.convert import map_version, own_transaction_reason, sanitise
from goofer_core.adopt.sources import read_dbmate
from goofer_core.errors import GooferError


@pytest.mark.parametrize(
    ("version", "digits", "expected"),
    [
        (1, 6, "20000101000001"),
        (10, 2, "20000101000010"),
        (100, 3, "20000101000140"),  # 100 seconds: after 10, whatever the names' order
        (1700000000, 10, "20231114221320"),  # a Unix time
        (20240102030405, 14, "20240102030405"),  # a timestamp, kept
        (42, 14, "20000101000042"),  # 00000000000042 is no timestamp: a sequence number
    ],
)
def test_versions_map_to_ids_in_numeric_order(version: int, digits: int, expected: str) -> None:
    assert map_version(version, digits) == expected


def test_names_become_lower_case_words() -> None:
    assert sanitise("Add-Users..") == "add_users"
    assert sanitise("passkey_backup_flags.") == "passkey_backup_flags"
    assert sanitise("--") == "migration"


def test_own_transactions_and_concurrently_are_found_but_not_in_routines_or_strings() -> None:
    assert own_transaction_reason("BEGIN;\nCREATE TABLE t (i INT);\nCOMMIT;\n")
    assert own_transaction_reason("CREATE INDEX CONCURRENTLY i ON t (c);\n")
    assert own_transaction_reason("-- CONCURRENTLY\nSELECT 'BEGIN; COMMIT;';\n") is None
    assert own_transaction_reason("CREATE TABLE t (i INT);\n") is None


def test_dbmate_sections_and_options(tmp_path: Path) -> None:
    (tmp_path / "20240101000000_x.sql").write_text(
        "-- a comment\n-- migrate:up transaction:false\nSELECT 1;\n\n-- migrate:down\nSELECT 2;\n"
    )
    (tmp_path / "notes.txt").write_text("not a migration")
    [migration] = read_dbmate(tmp_path)
    assert (migration.up_sql, migration.down_sql) == ("SELECT 1;\n", "SELECT 2;\n")
    assert migration.no_transaction and not migration.down_no_transaction


def test_a_dbmate_file_without_an_up_section_is_refused(tmp_path: Path) -> None:
    (tmp_path / "1_x.sql").write_text("SELECT 1;\n")
    with pytest.raises(GooferError, match=r"^1_x.sql: expected one '-- migrate:up' line"):
        read_dbmate(tmp_path)
