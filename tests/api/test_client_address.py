"""One client address for every throttle and the admin lockout: X-Forwarded-For counts only
behind NUM_PROXIES trusted proxies, so rotating it picks no new bucket."""

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from agri_platform.api.addresses import client_address
from tests.logistics.factories import ShipmentFactory

pytestmark = pytest.mark.django_db

LOGIN_BODY = {"email": "nobody@example.org", "password": "wrong-password-123"}


@pytest.fixture
def rates(monkeypatch):
    def set_rates(**overrides):
        rates = {**SimpleRateThrottle.THROTTLE_RATES, **overrides}
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)

    return set_rates


def request_from(remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_no_trusted_proxy_by_default_outside_production():
    assert django_settings.NUM_PROXIES == 0
    assert api_settings.NUM_PROXIES == django_settings.NUM_PROXIES
    assert client_address(request_from("192.0.2.1", "198.51.100.7")) == "192.0.2.1"


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # what the client wrote sits to the left
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (3, "198.51.100.7", "198.51.100.7"),  # fewer hops than proxies: the leftmost
        (1, "not-an-address", "192.0.2.1"),
        (1, " , ", "192.0.2.1"),
    ],
)
def test_behind_proxies_the_address_is_counted_from_the_right(
    settings, proxies, forwarded, expected
):
    settings.NUM_PROXIES = proxies
    assert client_address(request_from("192.0.2.1", forwarded)) == expected


def rotating(client, method, path, times, body=None, **extra):
    statuses = []
    for n in range(times):
        response = getattr(client, method)(
            path, body, format="json", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}", **extra
        )
        statuses.append(response.status_code)
    return statuses


def test_rotating_the_header_does_not_escape_the_login_throttle(rates):
    rates(login="2/min")
    statuses = rotating(APIClient(), "post", "/api/v1/auth/token/", 3, LOGIN_BODY)
    assert statuses == [401, 401, 429]


def test_behind_a_proxy_each_client_has_its_bucket_and_cannot_forge_another(rates, settings):
    settings.NUM_PROXIES = 1
    rates(login="2/min")
    client = APIClient()

    def login(forwarded):
        return client.post(
            "/api/v1/auth/token/", LOGIN_BODY, format="json", HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    # The proxy appends the real client's address; the client rotates what it writes before it.
    assert [login(f"10.1.1.{n}, 198.51.100.7") for n in range(3)] == [401, 401, 429]
    assert login("198.51.100.8") == 401  # another client behind the same proxy


def test_rotating_the_header_does_not_escape_the_tracking_throttles(rates, enterprise, partner):
    rates(public_lookup="2/min")
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    client = APIClient()
    assert rotating(client, "get", f"/api/v1/tracking/{shipment.tracking_token}/", 3) == [
        200,
        200,
        429,
    ]
    page = rotating(client, "get", f"/track/{shipment.tracking_token}/", 1)
    assert page == [429]
