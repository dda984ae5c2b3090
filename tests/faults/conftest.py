"""Fault injection: a real gunicorn and real workers on the test database, a private Redis.

The machine's shared Redis and PostgreSQL are never stopped: "Redis down" is a `redis-server` this
fixture starts on a free port and kills; "database connection dropped" is `pg_terminate_backend` on
the server's own backend. Integration tests only (PostgreSQL + Redis), marked `integration`.
"""

import contextlib
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import redis

from tests.integration.conftest import celery_worker, integration_database_url, make_worker  # noqa: F401
from tests.quality import servers


class PrivateRedis:
    """A throw-away redis-server on a free loopback port: stop() and start() again on that port."""

    def __init__(self):
        self.port = servers.free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "PrivateRedis":
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(redis.ConnectionError):
                if client.ping():
                    return self
            time.sleep(0.05)
        raise RuntimeError(f"private redis on port {self.port} did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def is_up(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.2).ping())
        except redis.ConnectionError:
            return False


@pytest.fixture
def private_redis():
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is needed for the fault-injection tests")
    server = PrivateRedis().start()
    yield server
    server.stop()


@pytest.fixture
def log_dir():
    path = Path(tempfile.mkdtemp(prefix="faults-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def start_server(transactional_db, log_dir):
    """start_server(redis_url) → base URL of a gunicorn on the test database (stopped afterwards)."""
    started: list[servers.Service] = []

    def start(redis_url: str, *, workers: int = 2, threads: int = 1) -> str:
        env = servers.service_env(
            integration_database_url(),
            redis_url,
            THROTTLE_RATE_CALLER="100000/min",
            THROTTLE_RATE_ANON="100000/min",
        )
        port = servers.free_port()
        started.append(servers.gunicorn(env, log_dir, port=port, workers=workers, threads=threads))
        return f"http://127.0.0.1:{port}"

    yield start
    for service in started:
        service.stop()


@pytest.fixture
def run_in_process(transactional_db):
    """Run a snippet of Python under Django with another REDIS_URL (e.g. the outbox sweep)."""

    def run(code: str, redis_url: str, **extra_env: str) -> str:
        env = servers.service_env(integration_database_url(), redis_url, **extra_env)
        script = "import django; django.setup()\n" + code
        result = subprocess.run(
            [servers.PYTHON, "-c", script],
            cwd=servers.ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr[-4000:]
        return result.stdout

    return run
