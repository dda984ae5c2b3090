"""The two ways the platform is served, started for real on a free port against a temp SQLite DB.

- `make run`: `manage.py runserver` with DEBUG=true after migrate + seed_demo: the API docs, the
  schema, the admin and /health/ answer, and their static assets (Swagger UI from
  drf-spectacular-sidecar, no CDN; the admin's CSS) are served.
- production: gunicorn with the production settings after `collectstatic`; whitenoise serves the
  same assets (hashed names), HTTP is redirected to HTTPS except /health/.
"""

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def embedded_env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("SECRET_KEY", None)
    return {**env, "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}", **extra}


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


class Server:
    def __init__(self, argv: list[str], env: dict[str, str], port: int, log: Path):
        self.port = port
        self.log = log
        self.process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"server exited:\n{self.log.read_text()}")
            try:
                get(self.port, "/health/", {"Host": "127.0.0.1"})
                return
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"server not ready after {timeout}s:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory) -> Path:
    """A migrated SQLite database with the demo data, as `make run` leaves it."""
    tmp = tmp_path_factory.mktemp("served")
    # One interpreter for both commands; the demo passwords hashed with a fast hasher (this
    # database lives for one test module), as the suite does everywhere.
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "settings.PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher']; "
        "from django.core.management import call_command; "
        "call_command('migrate', interactive=False, verbosity=0); call_command('seed_demo')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**embedded_env(tmp), "DJANGO_SETTINGS_MODULE": "agri_platform.settings"},
        capture_output=True,
        text=True,
        timeout=600,  # a bound against hangs, not a speed test: CI machines may be busy
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Demo data loaded." in result.stdout
    return tmp


def swagger_assets(html: str) -> list[str]:
    assets = re.findall(r"""(?:src|href)=["']([^"']+\.(?:js|css)[^"']*)["']""", html)
    assert not [a for a in assets if a.startswith(("http:", "https:", "//"))], assets
    assert any("swagger-ui-dist" in a for a in assets), html
    return assets


def test_make_run_server_answers_docs_schema_admin_health(seeded_db):
    port = free_port()
    server = Server(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        embedded_env(seeded_db, DEBUG="true"),
        port,
        seeded_db / "runserver.log",
    )
    try:
        server.wait_ready()
        status, _, body = get(port, "/health/")
        assert status == 200, body
        assert b'"broker": "eager"' in body

        status, _, body = get(port, "/api/docs/")
        assert status == 200
        html = body.decode()
        assert "cdn.jsdelivr" not in html and "unpkg.com" not in html
        for asset in swagger_assets(html):
            assert get(port, asset)[0] == 200, asset

        status, _, body = get(port, "/api/schema/")
        assert status == 200 and b"openapi:" in body

        status, _, body = get(port, "/admin/login/")
        assert status == 200
        css = re.findall(r'href="(/static/admin/css/[^"]+)"', body.decode())
        assert css and all(get(port, href)[0] == 200 for href in css)
    finally:
        server.stop()


def test_gunicorn_with_production_settings_serves_collected_static(seeded_db):
    static_root = seeded_db / "static"
    env = embedded_env(
        seeded_db,
        DJANGO_SETTINGS_MODULE="agri_platform.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(static_root),
        # Hashed names and whitenoise serving as in production, without writing compressed copies:
        # with the `brotli` package installed that alone takes a minute of CPU.
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # a bound against hangs, not a speed test: CI machines may be busy
    )
    assert result.returncode == 0, result.stderr
    port = free_port()
    server = Server(
        [
            str(BIN / "gunicorn"),
            "agri_platform.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "-w1",
        ],
        env,
        port,
        seeded_db / "gunicorn.log",
    )
    https = {"X-Forwarded-Proto": "https"}
    try:
        server.wait_ready()
        status, _, body = get(port, "/health/")  # plain HTTP: probes are not redirected
        assert status == 200, body
        status, headers, _ = get(port, "/api/docs/")
        assert status == 301 and headers["Location"].startswith("https://")

        status, headers, body = get(port, "/api/docs/", https)
        assert status == 200
        assert "max-age=" in headers.get("Strict-Transport-Security", "")
        for asset in swagger_assets(body.decode()):
            assert re.search(r"\.[0-9a-f]{12}\.(js|css)$", asset), f"not a hashed name: {asset}"
            status, headers, _ = get(port, asset, https)
            assert status == 200, asset
            assert "immutable" in headers.get("Cache-Control", ""), headers
        assert get(port, "/api/schema/", https)[0] == 200
        assert get(port, "/admin/login/", https)[0] == 200
    finally:
        server.stop()
