"""The Python API: Migrator with a URL or an open DB-API connection."""

from __future__ import annotations

import pytest

from goofer_core import GooferError, MigrationFailedError, Migrator


def test_migrator_with_a_url_applies_reverts_and_reports(db, scenario):
    events = []
    migrator = Migrator(db.url, None, scenario("basic"), on_event=events.append)
    applied = migrator.up()
    assert [m.id for m in applied] == ["20240101000000", "20240102000000", "20240103000000"]
    assert [e.kind for e in events] == ["applied"] * 3
    assert all(e.seconds is not None and e.seconds >= 0 for e in events)
    assert migrator.up() == []
    reverted = migrator.down()
    assert reverted is not None and reverted.id == "20240103000000"
    states = [(s.id, s.state) for s in migrator.status()]
    assert states[-1] == ("20240103000000", "pending")
    assert migrator.check() == ["20240103000000_create_posts: pending"]


def test_migrator_with_an_open_connection_leaves_it_usable(db, scenario):
    conn = db.connect()
    try:
        migrator = Migrator(conn, db.dialect_name, scenario("basic"))
        assert len(migrator.up()) == 3
        cur = conn.cursor()
        cur.execute("SELECT COUNT(*) FROM users")
        assert cur.fetchone()[0] == 1
        assert [s.state for s in migrator.status()] == ["applied"] * 3
    finally:
        conn.close()
    assert db.tracking_ids() == ["20240101000000", "20240102000000", "20240103000000"]


def test_migrator_raises_gooferror_subclasses(db, scenario):
    migrator = Migrator(db.url, None, scenario("failing_statement"))
    with pytest.raises(MigrationFailedError) as info:
        migrator.up()
    assert info.value.filename == "20240102000000_breaks.up.sql"
    assert (info.value.statement, info.value.line) == (3, 5)
    assert info.value.rolled_back is db.dialect.transactional_ddl
    assert isinstance(info.value, GooferError)


def test_connection_without_dialect_is_a_configuration_error(db):
    with pytest.raises(GooferError, match="dialect: required"):
        Migrator(object(), None, ".")
