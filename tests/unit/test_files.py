"""Migration file names, pairing, encoding and checksums (no database)."""

from __future__ import annotations

import hashlib

import pytest

from goofer_core.errors import ConfigurationError, MigrationFileError
from goofer_core.migrations.files import load_migrations, parse_filename


@pytest.mark.parametrize(
    ("filename", "parsed"),
    [
        ("20240101120000_create_users.up.sql", ("20240101120000", "create_users", "up")),
        ("20240101120000_a1_b2.down.sql", ("20240101120000", "a1_b2", "down")),
        ("README.md", None),
        (".gitkeep", None),
        (".#20240101120000_x.up.sql", None),
    ],
)
def test_parse_filename_accepts_valid_names(filename, parsed):
    assert parse_filename(filename) == parsed


@pytest.mark.parametrize(
    ("filename", "problem"),
    [
        ("2024010112000_short.up.sql", "is not a 14-digit YYYYMMDDHHMMSS timestamp"),
        ("20241301120000_bad_month.up.sql", "is not a 14-digit YYYYMMDDHHMMSS timestamp"),
        ("20240101120000_Upper.up.sql", "must match [a-z0-9_]+"),
        ("20240101120000_dots..up.sql", "must match [a-z0-9_]+"),
        ("20240101120000_a b.up.sql", "must match [a-z0-9_]+"),
        ("20240101120000-dash.up.sql", "not a migration file name"),
        ("seed.sql", "not a migration file name"),
        ("20240101120000_x.sideways.sql", "not a migration file name"),
    ],
)
def test_parse_filename_names_the_problem(filename, problem):
    with pytest.raises(MigrationFileError) as info:
        parse_filename(filename)
    assert str(info.value).startswith(f"{filename}: ")
    assert problem in str(info.value)


def write_pair(directory, stem, up="SELECT 1;\n", down="SELECT 1;\n"):
    (directory / f"{stem}.up.sql").write_bytes(up if isinstance(up, bytes) else up.encode())
    (directory / f"{stem}.down.sql").write_text(down)


def test_load_sorts_by_id_and_ignores_unrelated_files(tmp_path):
    write_pair(tmp_path, "20240102000000_second")
    write_pair(tmp_path, "20240101000000_first")
    (tmp_path / "README.md").write_text("hello")
    (tmp_path / "sub").mkdir()
    assert [m.label for m in load_migrations(tmp_path)] == [
        "20240101000000_first",
        "20240102000000_second",
    ]


def test_checksum_is_md5_of_lf_text_without_bom(tmp_path):
    text = "CREATE TABLE a (id INTEGER);\nSELECT 1;\n"
    write_pair(tmp_path, "20240101000000_plain", up=text)
    crlf_bytes = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    write_pair(tmp_path, "20240102000000_crlf", up=crlf_bytes)
    plain, crlf = load_migrations(tmp_path)
    assert plain.checksum == crlf.checksum == hashlib.md5(text.encode()).hexdigest()
    assert crlf.up_sql == text


def test_no_transaction_directive_on_the_first_line(tmp_path):
    cic = "-- goofer:no-transaction\nCREATE INDEX x ON t (a);\n"
    write_pair(tmp_path, "20240101000000_cic", up=cic)
    write_pair(tmp_path, "20240102000000_later", up="SELECT 1;\n-- goofer:no-transaction\n")
    first, second = load_migrations(tmp_path)
    assert first.no_transaction and not second.no_transaction


def test_down_without_up_is_an_error(tmp_path):
    (tmp_path / "20240101000000_orphan.down.sql").write_text("SELECT 1;\n")
    orphan = r"20240101000000_orphan\.down\.sql: has no matching"
    with pytest.raises(MigrationFileError, match=orphan):
        load_migrations(tmp_path)


def test_missing_directory_names_it(tmp_path):
    with pytest.raises(ConfigurationError, match=r"migrations directory .*nope.* does not exist"):
        load_migrations(tmp_path / "nope")
