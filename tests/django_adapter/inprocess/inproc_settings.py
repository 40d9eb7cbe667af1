"""Missing or wrong settings give one clear error that names the setting."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import CommandError

from goofer_core.errors import ConfigurationError
from goofer_integrations.django.checks import check_goofer_migrations
from goofer_integrations.django.database import dialect_of, url_of
from tests.django_adapter.inprocess.dj_inproc_support import run

BAD_SETTINGS = [
    ("not a dict", "settings.GOOFER: expected a dict"),
    (
        {"MIGRATION_DIR": "x"},
        "settings.GOOFER['MIGRATION_DIR']: unknown setting; did you mean 'MIGRATIONS_DIR'?",
    ),
    (
        {"DATABASE": "nope"},
        "settings.GOOFER['DATABASE']: no database alias 'nope' in settings.DATABASES",
    ),
    (
        {"MIGRATIONS_DIR": "/no/such/dir"},
        "settings.GOOFER['MIGRATIONS_DIR']: migrations directory '/no/such/dir' does not exist",
    ),
    ({"MIGRATIONS_DIR": 3}, "settings.GOOFER['MIGRATIONS_DIR']: expected a path"),
    ({"MIGRATIONS_DIRS": ["x"]}, "settings.GOOFER['MIGRATIONS_DIRS']: expected a dict"),
    (
        {"MIGRATIONS_DIRS": {"nope": "x"}},
        "settings.GOOFER['MIGRATIONS_DIRS']: no database alias 'nope' in settings.DATABASES",
    ),
    (
        {"MIGRATIONS_DIRS": {"default": 3}},
        "settings.GOOFER['MIGRATIONS_DIRS']['default']: expected a path",
    ),
    ({"LOCK_TIMEOUT": "soon"}, "settings.GOOFER['LOCK_TIMEOUT']: expected a number of seconds"),
    ({"TABLE": "bad name"}, "settings.GOOFER['TABLE']: tracking table name 'bad name'"),
    ({"ENTITIES": 3}, "settings.GOOFER['ENTITIES']: expected a list of module names"),
    ({"APPLY_TO_TEST_DATABASES": "yes"}, "settings.GOOFER['APPLY_TO_TEST_DATABASES']: expected"),
    (
        {"APPLY_TO_TEST_DATABASES": ["nope"]},
        "settings.GOOFER['APPLY_TO_TEST_DATABASES']: no database alias 'nope'",
    ),
    ({"SYSTEM_CHECK": "no"}, "settings.GOOFER['SYSTEM_CHECK']: expected True or False"),
]


@pytest.mark.parametrize(("goofer", "message"), BAD_SETTINGS)
def test_a_bad_setting_is_named_by_commands_and_the_check(
    goofer: Any, message: str, settings: Any
) -> None:
    settings.GOOFER = goofer
    with pytest.raises(CommandError) as info:
        run("goofer_status")
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)
    (error,) = check_goofer_migrations()
    if "does not exist" in message:  # settings are valid; the check cannot read the state
        assert (error.id, error.msg) == (
            "goofer.W003",
            f"Goofer could not check its migrations: {message}",
        )
    else:
        assert (error.id, error.msg[: len(message)]) == ("goofer.E001", message)


def test_an_unknown_database_flag_is_named() -> None:
    with pytest.raises(
        CommandError,
        match="--database nope: no database alias 'nope' in "
        r"settings.DATABASES \(it has 'default'",
    ):
        run("goofer_status", database="nope")


def test_no_goofer_setting_at_all_means_defaults(settings: Any) -> None:
    del settings.GOOFER
    with pytest.raises(
        CommandError,
        match=r"settings.GOOFER\['MIGRATIONS_DIR'\]: migrations "
        r"directory '.*/project/migrations' does not exist",
    ):
        run("goofer_status")


def test_an_unsupported_engine_is_named() -> None:
    oracle = SimpleNamespace(
        vendor="oracle", alias="legacy", settings_dict={"ENGINE": "django.db.backends.oracle"}
    )
    with pytest.raises(
        ConfigurationError,
        match=r"settings.DATABASES\['legacy'\]\['ENGINE'\] = "
        "'django.db.backends.oracle': Goofer supports",
    ):
        dialect_of(oracle)


def wrapper(vendor: str, **entry: Any) -> Any:
    """Return a stand-in for a Django connection with this DATABASES entry."""
    return SimpleNamespace(vendor=vendor, alias="x", settings_dict=entry)


def test_urls_built_from_databases_entries() -> None:
    pg = url_of(
        wrapper(
            "postgresql",
            NAME="shop",
            USER="app",
            PASSWORD="p@ss",
            HOST="db",
            PORT="5433",
            OPTIONS={"sslmode": "require", "isolation_level": 1},
        )
    )
    assert pg.render(show_password=True) == "postgresql://app:p%40ss@db:5433/shop?sslmode=require"
    assert str(pg) == "postgresql://app:***@db:5433/shop?sslmode=require"
    socket = url_of(
        wrapper(
            "mysql",
            NAME="shop",
            USER="root",
            HOST="/run/mysqld/mysqld.sock",
            PORT="",
            OPTIONS={"charset": "utf8mb4", "ssl": {"ca": "x"}},
        )
    )
    assert (socket.host, dict(socket.query)) == (
        None,
        {"charset": "utf8mb4", "unix_socket": "/run/mysqld/mysqld.sock"},
    )
    memory = url_of(wrapper("sqlite", NAME="file:memorydb_default?mode=memory&cache=shared"))
    assert (memory.database, memory.query) == (
        "memorydb_default",
        (("mode", "memory"), ("cache", "shared")),
    )
    with pytest.raises(ConfigurationError, match=r"settings.DATABASES\['x'\]\['NAME'\] is empty"):
        url_of(wrapper("postgresql", NAME="", OPTIONS={"service": "shop"}))
