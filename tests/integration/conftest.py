"""A real Celery worker for the integration tests (PostgreSQL + Redis mode only).

The worker is a separate process started with the same settings as the tests, pointed at the test
database that pytest-django created. Tests that use it must be transactional
(`@pytest.mark.django_db(transaction=True)`): the worker cannot see rows in an open transaction.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def real_services_configured() -> bool:
    return bool(settings.USING_POSTGRES and settings.REDIS_URL)


def pytest_collection_modifyitems(config, items):
    if real_services_configured():
        return
    skip = pytest.mark.skip(
        reason="needs DATABASE_URL (PostgreSQL) and REDIS_URL: runs in CI's first pass"
    )
    for item in items:
        if "integration" in item.keywords:
            item.add_marker(skip)


def integration_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerProcess:
    """One `celery worker` subprocess; `kill()` sends SIGKILL as a crash would."""

    def __init__(self, *, concurrency: int = 2, extra_env: dict | None = None):
        self.concurrency = concurrency
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None
        self.log_path = ROOT / f".worker-{os.getpid()}-{id(self)}.log"

    def start(self, timeout: float = 30.0) -> "WorkerProcess":
        env = {
            **os.environ,
            "DATABASE_URL": integration_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES": "true",
            "DJANGO_SETTINGS_MODULE": "agri_platform.settings",
            **self.extra_env,
        }
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "agri_platform",
                "worker",
                "-Q",
                settings.CELERY_QUEUES_ALL,
                "-P",
                "prefork",
                "-c",
                str(self.concurrency),
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "info",
                "-n",
                f"test-{os.getpid()}-{id(self)}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.output()}")
            if " ready." in self.output():
                return self
            time.sleep(0.2)
        raise RuntimeError(f"worker not ready after {timeout}s:\n{self.output()}")

    def output(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool children), as a crash would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        if getattr(self, "log", None):
            self.log.close()
        self.log_path.unlink(missing_ok=True)


def _purge_queues() -> None:
    from agri_platform.celery import app

    with app.connection_for_write() as conn:
        for queue in settings.CELERY_QUEUES_ALL.split(","):
            conn.default_channel.queue_purge(queue) if _queue_exists(conn, queue) else None


def _queue_exists(conn, queue: str) -> bool:
    try:
        conn.default_channel.queue_declare(queue=queue, passive=True)
        return True
    except Exception:
        return False


@pytest.fixture
def celery_worker(transactional_db, settings):
    """A running real worker; tasks queued by the test go through Redis to it."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from agri_platform.celery import app

    app.conf.task_always_eager = False
    _purge_queues()
    worker = WorkerProcess().start()
    yield worker
    worker.stop()
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture
def make_worker(transactional_db, settings):
    """Start (and clean up) extra workers: make_worker(concurrency=1).start()."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from agri_platform.celery import app

    app.conf.task_always_eager = False
    workers: list[WorkerProcess] = []

    def make(**kwargs) -> WorkerProcess:
        worker = WorkerProcess(**kwargs)
        workers.append(worker)
        return worker

    _purge_queues()
    yield make
    for worker in workers:
        worker.stop()


def wait_for(condition, timeout: float = 20.0, interval: float = 0.2, message: str = "condition"):
    """Poll `condition()` until it is truthy; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {message}")
