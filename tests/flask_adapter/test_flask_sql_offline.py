"""``flask goofer sql --offline``: the app's config gives the dialect; nothing is connected to."""

from __future__ import annotations

import os

import pytest

from tests.flask_adapter.test_flask_cli import IDS, flask_goofer, make_app

NOWHERE = "postgresql://dba:secret@goofer-offline.invalid:5432/app"


@pytest.fixture(autouse=True)
def _no_goofer_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("GOOFER_"):
            monkeypatch.delenv(key)


def test_flask_sql_offline_reads_the_dialect_from_the_apps_url(tmp_path):
    app = make_app(tmp_path, GOOFER_DATABASE_URL=NOWHERE)
    assert "--offline" in flask_goofer(app, "sql", "--help").stdout

    result = flask_goofer(app, "sql", "--offline", "--from", IDS[0])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("-- Goofer up: apply 2 migration(s)")
    assert "\\set ON_ERROR_STOP on\n" in result.stdout  # psql's file: PostgreSQL from the URL
    assert f"-- {IDS[0]}_" not in result.stdout
    assert [f"-- {i}_" in result.stdout for i in IDS[1:]] == [True, True]
    assert "secret" not in result.output

    result = flask_goofer(app, "sql", "--offline", "--dialect", "sqlite")
    assert result.exit_code == 0, result.output
    assert ".bail on\n" in result.stdout and result.stdout.count("BEGIN;") == 3
