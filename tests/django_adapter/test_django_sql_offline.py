"""``python manage.py goofer_sql --offline``: the dialect from DATABASES, no connection made."""

from __future__ import annotations

from tests.django_adapter.dj_support import IDS, clean_env, manage

NOWHERE = "mysql://dba:secret@goofer-offline.invalid:3306/app"


def test_manage_goofer_sql_offline_uses_the_alias_dialect_without_connecting() -> None:
    result = manage("goofer_sql", "--offline", env=clean_env(TESTSITE_DEFAULT_URL=NOWHERE))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("-- Goofer up: apply 3 migration(s)")
    assert "SET NAMES utf8mb4;\n" in result.stdout  # the mariadb client's file
    assert result.stdout.count("'running', 0);") == len(IDS)
    assert "secret" not in result.stdout + result.stderr

    wrong = manage("goofer_sql", "--offline", "--from", "1", env=clean_env())
    assert wrong.returncode == 1
    assert (
        wrong.stderr.strip() == "CommandError: --from 1: no migration with that id in the directory"
    )
