"""The console script prints what click prints on every database (tests/unit/test_console.py)."""

from __future__ import annotations

from tests.helpers import make_database
from tests.unit.test_console import make_worlds, same


def test_each_dialect_matches_click(db, tmp_path):
    """Up, status and down on each server, the URL from the environment."""
    with_second = make_database(db.dialect_name, tmp_path / "second")
    (tmp_path / "second").mkdir()
    second = next(with_second)
    try:
        fast, slow = make_worlds(tmp_path)
        fast.env["GOOFER_DATABASE_URL"] = db.url
        slow.env["GOOFER_DATABASE_URL"] = second.url
        assert "Applied 3 migrations." in same(fast, slow, "up").stdout
        same(fast, slow, "status")
        same(fast, slow, "status", "--json")
        same(fast, slow, "check")
        same(fast, slow, "down", "--steps", "2")
        same(fast, slow, "check")
        same(fast, slow, "down", "--all")
        assert db.tracking_ids() == second.tracking_ids() == []
    finally:
        next(with_second, None)
