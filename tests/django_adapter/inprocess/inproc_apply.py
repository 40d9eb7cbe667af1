"""``apply()`` in-process: applies, logs through ``goofer``, closes what it opened."""

from __future__ import annotations

import asyncio
import logging
import os

import pytest
from django.db import connections

from goofer_core.errors import GooferError
from goofer_integrations.django import apply
from tests.django_adapter.inprocess.dj_inproc_support import CONFIGURED, IDS, run, tracked_ids

pytestmark = pytest.mark.django_db(databases=CONFIGURED, transaction=True)


def test_apply_applies_and_logs(alias: str, caplog: pytest.LogCaptureFixture) -> None:
    run("goofer_down", database=alias, steps=2, verbosity=0)
    caplog.set_level(logging.INFO, logger="goofer")
    applied = apply(database=alias)
    assert [m.id for m in applied] == IDS[1:]
    assert tracked_ids(alias) == IDS
    messages = [r.getMessage() for r in caplog.records if r.name == "goofer"]
    pid = f"goofer[{os.getpid()}]: "
    assert messages[0].startswith(f"{pid}applied {IDS[1]}_seed_products (")
    assert messages[-1] == f"{pid}Applied 2 migrations."
    # Every worker of every boot has nothing to apply: that is said at DEBUG only.
    caplog.clear()
    assert apply(database=alias) == []
    assert [r for r in caplog.records if r.name == "goofer"] == []
    caplog.set_level(logging.DEBUG, logger="goofer")
    assert apply(database=alias) == []
    [record] = [r for r in caplog.records if r.name == "goofer"]
    assert (record.levelno, record.getMessage()) == (
        logging.DEBUG,
        f"{pid}Nothing to apply: the database is up to date.",
    )


def test_apply_closes_a_connection_it_opened(alias: str) -> None:
    if alias == "default":
        pytest.skip("Django never closes its in-memory SQLite test database")
    connections[alias].close()
    apply(database=alias)
    assert connections[alias].connection is None


def test_apply_works_inside_a_running_event_loop(alias: str) -> None:
    """asgi.py may be imported inside the server's event loop."""
    run("goofer_down", database=alias, verbosity=0)

    async def boot() -> list[str]:
        return [m.id for m in apply(database=alias)]

    assert asyncio.run(boot()) == IDS[2:]


def test_apply_raises_goofer_error(alias: str) -> None:
    with pytest.raises(GooferError, match="--to 20990101000000: no migration"):
        apply(database=alias, to="20990101000000")
    with pytest.raises(GooferError, match=r"apply\(database='nope'\): no database alias"):
        apply(database="nope")
