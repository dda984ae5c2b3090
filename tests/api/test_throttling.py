"""Throttles: one bucket per user, per API key, per address for anonymous and login calls; 429 with
Retry-After as problem details."""

import bisect
import random
import re

import pytest
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from agri_platform.api.throttling import SLOTS, SlottedRateThrottle
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(monkeypatch):
    def set_rates(**overrides):
        rates = {**SimpleRateThrottle.THROTTLE_RATES, **overrides}
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)

    return set_rates


def assert_throttled(response):
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_per_user_bucket(rates, enterprise_client, other_enterprise_client):
    rates(caller="3/min")
    for _ in range(3):
        assert enterprise_client.get("/api/v1/me/").status_code == 200
    assert_throttled(enterprise_client.get("/api/v1/me/"))
    # Another user has a bucket of their own.
    assert other_enterprise_client.get("/api/v1/me/").status_code == 200


@pytest.mark.urls("tests.api.urls")
def test_per_api_key_bucket(rates, partner, make_partner_client):
    rates(caller="2/min")
    first = make_partner_client(partner, ["logistics:read"])
    second = make_partner_client(partner, ["logistics:read"])
    for _ in range(2):
        assert first.get("/api/v1/test-probe/").status_code == 200
    assert_throttled(first.get("/api/v1/test-probe/"))
    # Another key of the same partner has a bucket of its own.
    assert second.get("/api/v1/test-probe/").status_code == 200


def test_wrong_credentials_are_throttled_too(rates, api_client):
    rates(anon="2/min", caller="1000/min")
    api_client.credentials(HTTP_AUTHORIZATION="Bearer agt_deadbeef_guess")
    for _ in range(2):
        assert api_client.get("/api/v1/me/").status_code == 401
    assert_throttled(api_client.get("/api/v1/me/"))


def test_anonymous_callers_share_the_anon_rate(rates, api_client):
    rates(anon="2/min", caller="1000/min")
    for _ in range(2):
        assert api_client.get("/api/v1/me/").status_code == 401
    assert_throttled(api_client.get("/api/v1/me/"))


@pytest.mark.parametrize("path", ["/api/v1/auth/token/", "/api/v1/auth/register/"])
def test_login_and_register_are_throttled(rates, api_client, path):
    rates(login="2/min")
    body = {"email": "nobody@example.org", "password": "wrong-password-123"}
    for _ in range(2):
        assert api_client.post(path, body, format="json").status_code != 429
    assert_throttled(api_client.post(path, body, format="json"))


def test_throttle_retry_after_counts_down(rates, enterprise_user):
    rates(caller="1/hour")
    client = client_for(enterprise_user)
    client.get("/api/v1/me/")
    response = client.get("/api/v1/me/")
    assert_throttled(response)
    assert 3000 < int(response["Retry-After"]) <= 3601


@pytest.mark.parametrize(
    ("language", "title", "pattern"),
    [
        ("zh-hans", "请求过于频繁", r"^请求过于频繁，请在 (\d+) 秒后重试。$"),
        ("en", "Too many requests", r"^Too many requests; retry in (\d+) seconds?\.$"),
    ],
)
def test_the_answer_says_when_to_retry_in_the_callers_language(
    rates, enterprise_client, language, title, pattern
):
    rates(caller="1/min")
    enterprise_client.get("/api/v1/me/")
    response = enterprise_client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE=language)
    assert_throttled(response)
    body = response.json()
    assert body["title"] == title
    wait = re.match(pattern, body["detail"])
    assert wait, body["detail"]
    assert wait.group(1) == response["Retry-After"]
    assert response["Content-Language"] == language


class _Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


def _throttle(rate, clock):
    class FixedKeyThrottle(SlottedRateThrottle):
        def get_cache_key(self, request, view):
            return "throttle_slots_test_caller"

    FixedKeyThrottle.rate = rate
    FixedKeyThrottle.timer = clock
    return FixedKeyThrottle


def test_a_busy_callers_history_stays_a_few_slots_long():
    clock = _Clock()
    throttle = _throttle("6000/min", clock)
    for _ in range(3000):  # 50 requests a second for a minute
        assert throttle().allow_request(None, None)
        clock.now += 0.02
    history = cache.get("throttle_slots_test_caller")
    assert len(history) <= SLOTS + 1
    assert sum(count for _opened, _newest, count in history) == 3000


def test_no_window_of_the_duration_ever_holds_more_than_the_rate():
    clock = _Clock()
    throttle = _throttle("20/min", clock)
    rng = random.Random(18)
    allowed = []
    for _ in range(2000):
        clock.now += rng.expovariate(1.0)  # about 60 a minute offered, three times the rate
        if throttle().allow_request(None, None):
            allowed.append(clock.now)
    most_in_a_window = max(bisect.bisect_left(allowed, t + 60) - i for i, t in enumerate(allowed))
    assert most_in_a_window == 20
    assert len(allowed) > 20 * (allowed[-1] - allowed[0]) / 60 * 0.9  # and not much stricter


def test_the_wait_is_until_the_oldest_slot_leaves_the_window():
    clock = _Clock()
    throttle = _throttle("2/min", clock)
    assert throttle().allow_request(None, None)
    clock.now += 30
    assert throttle().allow_request(None, None)
    clock.now += 10
    refused = throttle()
    assert not refused.allow_request(None, None)
    assert refused.wait() == pytest.approx(20)  # the first request leaves the window at 60 s
    clock.now += 20
    assert throttle().allow_request(None, None)
