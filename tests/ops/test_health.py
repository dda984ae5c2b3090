"""`/health/`: 200 with every part's state when up, 503 naming the part that is down, bounded."""

import socket
import time

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


def redis_cache(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.fixture
def silent_server():
    """A TCP port that accepts connections and never answers: a hung Redis."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()


def test_all_parts_up_is_200_without_credentials(client, settings):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"
    expected_broker = "eager" if settings.CELERY_TASK_ALWAYS_EAGER else "ok"
    assert body["checks"]["broker"] == expected_broker
    assert "down" not in body
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_embedded_mode_reports_the_broker_as_eager(client):
    with override_settings(CELERY_TASK_ALWAYS_EAGER=True, CELERY_BROKER_URL="memory://"):
        response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "eager"


def test_broken_cache_is_503_naming_the_cache(client):
    with override_settings(CACHES=redis_cache(CLOSED_PORT_REDIS)):
        response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["down"] == ["cache"]
    assert body["checks"]["database"] == "ok"
    assert "ConnectionError" in body["checks"]["cache"]


def test_broker_down_is_503_naming_the_broker(client):
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=CLOSED_PORT_REDIS):
        started = time.monotonic()
        response = client.get("/health/")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["broker"]
    assert body["checks"]["broker"] != "ok"
    assert elapsed < 5


def test_a_broker_that_never_answers_is_reported_within_the_timeout(client, silent_server):
    with override_settings(
        CELERY_TASK_ALWAYS_EAGER=False,
        CELERY_BROKER_URL=silent_server,
        HEALTH_CHECK_TIMEOUT=1.0,
    ):
        started = time.monotonic()
        response = client.get("/health/")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]
    assert elapsed < 4, f"health check took {elapsed:.1f}s with a hung broker"


def test_database_failure_is_503_naming_the_database(client, monkeypatch):
    from agri_platform import health

    def broken():
        raise health.connections["default"].Database.OperationalError("could not connect")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["down"] == ["database"]
    assert "could not connect" in response.json()["checks"]["database"]


def test_only_get(client):
    assert client.post("/health/").status_code == 405
