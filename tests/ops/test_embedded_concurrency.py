"""The embedded default (SQLite file, eager Celery) under concurrent writers, through a real server.

gunicorn with threads against a temp SQLite database, as `make run` serves it: concurrent writers
queue for SQLite's one write lock (WAL, IMMEDIATE transactions, busy timeout) instead of failing with
"database is locked" (a 503, or a lost event dispatch after the commit), and ten concurrent requests with one Idempotency-Key write one row.
"""

import json
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.ops.test_servers import BIN, ROOT, Server, embedded_env, free_port

SETUP = """
import django; from django.conf import settings; django.setup()
settings.PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher']
from django.core.management import call_command
call_command('migrate', interactive=False, verbosity=0)
from agri_platform.accounts.services import token_issue
from tests import factories
factories.prefecture('511400', 'Meishan', '眉山市')
owner = factories.MembershipFactory(enterprise=factories.EnterpriseFactory()).user
print('TOKEN=' + token_issue(user=owner)[1])
"""
WRITERS = 10
DIFFERENT_KEY_WRITERS = 40


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("embedded")
    env = embedded_env(tmp, DJANGO_SETTINGS_MODULE="agri_platform.settings")
    setup = subprocess.run(
        [sys.executable, "-c", SETUP],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # a bound against hangs, not a speed test
    )
    assert setup.returncode == 0, setup.stdout + setup.stderr
    token = setup.stdout.split("TOKEN=")[1].strip()
    port = free_port()
    served = Server(
        [
            str(BIN / "gunicorn"),
            "agri_platform.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=4",
            "--threads=10",
            "--timeout=120",
        ],
        env,
        port,
        tmp / "gunicorn.log",
    )
    try:
        served.wait_ready()
        yield port, token, tmp / "db.sqlite3", served
    finally:
        served.stop()


def base_body(name: str) -> dict:
    return {
        "name": name,
        "kind": "orchard",
        "prefecture": "511400",
        "county": "Danling County",
        "area_mu": "300",
    }


def post_concurrently(port: int, token: str, requests: list[tuple[str, dict]]) -> list[tuple]:
    """POST every (Idempotency-Key, body) at once, from one thread each; (status, body) back."""
    import http.client

    barrier = threading.Barrier(len(requests))
    answers: list = [None] * len(requests)

    def send(index: int, key: str, body: dict) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            barrier.wait(timeout=30)
            conn.request(
                "POST",
                "/api/v1/production-bases/",
                body=json.dumps(body),
                headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": key,
                },
            )
            response = conn.getresponse()
            answers[index] = (response.status, response.read().decode(errors="replace"))
        finally:
            conn.close()

    threads = [
        threading.Thread(target=send, args=(index, key, body))
        for index, (key, body) in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    return answers


def rows_named(database: Path, prefix: str) -> int:
    with sqlite3.connect(database, timeout=30) as conn:
        return conn.execute(
            "SELECT count(*) FROM enterprises_productionbase WHERE name LIKE ?", (f"{prefix}%",)
        ).fetchone()[0]


def undispatched_events(database: Path) -> int:
    with sqlite3.connect(database, timeout=30) as conn:
        return conn.execute(
            "SELECT count(*) FROM events_event WHERE dispatched_at IS NULL"
        ).fetchone()[0]


def test_concurrent_writers_with_different_keys_all_succeed(server):
    port, token, database, served = server
    answers = post_concurrently(
        port,
        token,
        [(f"writer-{n}", base_body(f"Writer base {n}")) for n in range(DIFFERENT_KEY_WRITERS)],
    )
    statuses = [status for status, _ in answers]
    assert statuses == [201] * DIFFERENT_KEY_WRITERS, (answers, served.log.read_text()[-3000:])
    assert rows_named(database, "Writer base") == DIFFERENT_KEY_WRITERS
    # The work after each commit (eager event dispatch) got the lock too: nothing left behind.
    assert "database is locked" not in served.log.read_text()
    assert undispatched_events(database) == 0


def test_ten_concurrent_requests_with_one_key_write_one_row(server):
    port, token, database, served = server
    answers = post_concurrently(port, token, [("one-key", base_body("Same-key base"))] * WRITERS)
    statuses = [status for status, _ in answers]
    # The one that ran and any replay answer 201; one still in flight when asked answers 409.
    assert set(statuses) <= {201, 409}, (answers, served.log.read_text())
    assert 201 in statuses
    created = {json.loads(body)["id"] for status, body in answers if status == 201}
    assert len(created) == 1
    assert rows_named(database, "Same-key base") == 1
