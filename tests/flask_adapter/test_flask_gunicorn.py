"""Four gunicorn workers boot the example app at once: all apply, each migration runs once."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.helpers import make_database

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "flask_shop"
LABELS = [
    "20260301090000_create_products",
    "20260302100000_seed_products",
    "20260303110000_create_stock",
]
WORKERS = 4
DEADLINE = 40.0  # seconds for the workers to boot and each answer at least once

# gunicorn serves this module: the example app, plus a header naming the worker that answered.
SERVED_APP = """
import os

from flask_shop import create_app

app = create_app()


@app.after_request
def name_the_worker(response):
    response.headers["X-Worker-Pid"] = str(os.getpid())
    return response
"""


def gunicorn_command() -> list[str]:
    """Return the installed gunicorn command, skipping (failing under CI) when there is none."""
    sibling = Path(sys.executable).parent / "gunicorn"
    found = str(sibling) if sibling.exists() else shutil.which("gunicorn")
    if found is None:
        message = "gunicorn is not installed: pip install -e '.[test]'"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return [found]


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get_products(port: int) -> tuple[int, list[dict[str, object]]] | None:
    """GET /products; return (worker pid, products), or None while nothing listens yet."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/products", timeout=10) as resp:
            return int(resp.headers["X-Worker-Pid"]), json.loads(resp.read())
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, ConnectionRefusedError):
            return None
        raise


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn gracefully (its master stops the workers), or kill its process group."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_every_worker_applies_on_boot_and_serves_a_migrated_table(tmp_path, dialect):
    command = gunicorn_command()
    databases = make_database(dialect, tmp_path)
    db = next(databases)
    try:
        (tmp_path / "served_app.py").write_text(SERVED_APP)
        # Newer gunicorns open a control socket in ~/.gunicorn; older ones ignore this name.
        (tmp_path / "gunicorn_test.conf.py").write_text("control_socket_disable = True\n")
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GOOFER_", "FLASK_"))}
        env["SHOP_DATABASE_URL"] = db.url
        log = tmp_path / "gunicorn.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [
                    *command,
                    "--config",
                    str(tmp_path / "gunicorn_test.conf.py"),
                    "--workers",
                    str(WORKERS),
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--pythonpath",
                    f"{tmp_path},{EXAMPLE.parent}",
                    "--graceful-timeout",
                    "5",
                    "served_app:app",
                ],
                cwd=tmp_path,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            answers = collect_answers(port, proc)
        finally:
            stop(proc)
        output = log.read_text()

        assert len(answers) == WORKERS, output
        for products in answers.values():
            assert [p["sku"] for p in products] == ["MUG-01", "PIN-01", "TEE-01"]
            assert all(p["in_stock"] == 10 for p in products)
        assert output.count("Booting worker with pid") == WORKERS, output
        for label in LABELS:
            assert len(re.findall(rf"goofer\[\d+\]: applied {label} \(", output)) == 1, output
        assert "Traceback" not in output, output
        assert db.tracking_ids() == [label[:14] for label in LABELS]
        assert db.query("SELECT COUNT(*) FROM products") == [(3,)]
    finally:
        databases.close()


def collect_answers(port: int, proc: subprocess.Popen[bytes]) -> dict[int, object]:
    """Send bursts of concurrent requests until every worker has answered one (or time runs out)."""
    answers: dict[int, object] = {}
    deadline = time.monotonic() + DEADLINE
    with ThreadPoolExecutor(max_workers=2 * WORKERS) as pool:
        while len(answers) < WORKERS and time.monotonic() < deadline:
            assert proc.poll() is None, "gunicorn exited early"
            results = list(pool.map(lambda _: get_products(port), range(2 * WORKERS)))
            if None in results:
                time.sleep(0.1)
            for result in results:
                if result is not None:
                    answers[result[0]] = result[1]
    return answers
