"""`/health/`: is this instance able to serve? Database, cache and broker, each "ok" or the error.

Answers 200 when every part is up and 503 naming the parts that are down, for load balancers,
`docker compose` healthchecks and monitoring. No authentication, outside `/api/v1/`, and bounded in
time: the broker probe gives up after `HEALTH_CHECK_TIMEOUT` seconds when Redis does not answer.
In the embedded mode (Celery eager, no broker) the broker is reported as "eager", which is healthy.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

EAGER = "eager"


def _timeout() -> float:
    return float(getattr(settings, "HEALTH_CHECK_TIMEOUT", 2.0))


def check_database() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_cache() -> str:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    value = cache.get(key)
    cache.delete(key)
    if value != "1":
        raise RuntimeError("the value written could not be read back")
    return "ok"


def check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return EAGER
    from kombu import Connection

    timeout = _timeout()
    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=timeout,
        transport_options={
            "socket_timeout": timeout,
            "socket_connect_timeout": timeout,
            "max_retries": 0,
        },
    ) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
        if conn.transport.driver_type == "redis":
            conn.default_channel.client.ping()
    return "ok"


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


def run_checks() -> tuple[dict[str, str], list[str]]:
    """Run every check; return ({part: "ok" | "eager" | error text}, [parts that are down])."""
    results: dict[str, str] = {}
    down: list[str] = []
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # any failure of a part is its state, never a 500
            results[name] = f"{type(exc).__name__}: {exc}"[:300]
            down.append(name)
    return results, down


@never_cache
@require_GET
def health(request):
    results, down = run_checks()
    body = {"status": "down" if down else "ok", "checks": results}
    if down:
        body["down"] = down
    return JsonResponse(body, status=503 if down else 200)
