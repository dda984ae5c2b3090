"""Start and stop the real services that the quality gates and benchmarks drive.

Shared by `tests/quality/fuzz.py` (schemathesis), `benchmarks/load/run.py` (Locust) and
`benchmarks/celery_throughput.py`. Everything listens on loopback only, on a free port, and every
process started here is stopped by the `Service.stop()` of the same object (process group).
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def recreate_database(database_url: str) -> None:
    """Drop and create the database named in `database_url` (only ever a quality/bench database)."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    ours = name.startswith("bench_") or (
        name.startswith("agri_") and any(w in name for w in ("quality", "qa", "bench"))
    )
    if not ours:
        raise SystemExit(f"refusing to recreate {name!r}: not a quality or benchmark database")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def flush_redis_db(redis_url: str) -> None:
    """Empty only the Redis database number in `redis_url` (never the whole server)."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def service_env(database_url: str, redis_url: str, **extra: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "agri_platform.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(database_url: str, redis_url: str, *, keep_db: bool = False, **extra: str) -> dict:
    """A migrated database (recreated unless `keep_db`) and an empty Redis database number; the
    environment of the services that will use them."""
    env = service_env(database_url, redis_url, **extra)
    if not keep_db:
        recreate_database(database_url)
    flush_redis_db(redis_url)
    manage(env, "migrate", "--noinput", "-v", "0")
    return env


class Service:
    """One subprocess in its own process group, its output in a log file."""

    def __init__(self, name: str, argv: list[str], env: dict, log_dir: Path):
        self.name = name
        self.argv = argv
        self.env = env
        self.log_path = log_dir / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "Service":
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def wait_for_output(self, marker: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.output()[-4000:]}")
            if marker in self.output():
                return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready after {timeout}s:\n{self.output()[-4000:]}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.log.close()


def gunicorn(
    env: dict,
    log_dir: Path,
    *,
    port: int,
    workers: int = 2,
    threads: int = 1,
    extra_args: list[str] | None = None,
    ready_path: str = "/api/schema/",
    ready_timeout: float = 60,
) -> Service:
    service = Service(
        "gunicorn",
        [
            str(BIN / "gunicorn"),
            "agri_platform.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "60",
            "--access-logfile",
            "-" if os.environ.get("QUALITY_ACCESS_LOG") else "/dev/null",
            *(extra_args or []),
        ],
        env,
        log_dir,
    ).start()
    try:
        wait_for_http(f"http://127.0.0.1:{port}{ready_path}", service, timeout=ready_timeout)
    except BaseException:  # never ready, or interrupted while starting: the caller never gets it
        service.stop()
        raise
    return service


def celery_worker(
    env: dict, log_dir: Path, *, concurrency: int = 2, name: str = "worker", loglevel: str = "info"
) -> Service:
    from agri_platform.settings.base import CELERY_QUEUES_ALL as queues

    service = Service(
        name,
        [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "agri_platform",
            "worker",
            "-Q",
            queues,
            "-P",
            "prefork",
            "-c",
            str(concurrency),
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            loglevel,
            "-n",
            f"{name}-{os.getpid()}@%h",
        ],
        env,
        log_dir,
    ).start()
    try:
        service.wait_for_output(" ready." if loglevel == "info" else "celery@", timeout=60)
    except BaseException:  # never ready, or interrupted while starting: the caller never gets it
        service.stop()
        raise
    return service


def wait_for_http(url: str, service: Service | None = None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service is not None and service.process.poll() is not None:
            raise RuntimeError(f"{service.name} exited early:\n{service.output()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5):  # loopback URL built here  # nosec B310
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout}s")
