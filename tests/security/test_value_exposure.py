"""A carrier (API key or person) never sees a price or a value, in any channel: every API route it
can read (shipments, items, events, excursions, EPCIS, the event log, notifications, deliveries...),
the webhook bodies sent to its endpoints, and its inbox. The enterprise and a bank still do."""

import json

import pytest

from agri_platform.accounts.choices import PartnerKind
from agri_platform.api.audience import VALUE_KEYS
from agri_platform.events import services as event_services
from agri_platform.events.models import WebhookDelivery
from tests import factories
from tests.conftest import client_for, client_for_key
from tests.events.factories import WebhookEndpointFactory
from tests.logistics.factories import ShipmentFactory, TrackingEventFactory
from tests.security.test_isolation import ROUTES

pytestmark = pytest.mark.django_db

CARRIER_SCOPES = ["logistics:write", "telemetry:write", "events:read", "webhooks:manage"]


def value_keys_in(data, path="") -> list[str]:
    found = []
    if isinstance(data, dict):
        for key, item in data.items():
            if key in VALUE_KEYS:
                found.append(f"{path}.{key}")
            found += value_keys_in(item, f"{path}.{key}")
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found += value_keys_in(item, f"{path}[{index}]")
    return found


@pytest.fixture
def world(enterprise):
    carrier = factories.PartnerFactory(kind=PartnerKind.CARRIER)
    shipment = ShipmentFactory(enterprise=enterprise, carrier=carrier)
    TrackingEventFactory(shipment=shipment)
    return carrier, shipment


def _get_paths(shipment) -> list[str]:
    """Every GET route of the API, its ids filled with the shipment's (others simply 404)."""
    readable = {"get", "list", "retrieve"}
    return sorted(
        {
            route.path({name: shipment.pk for name in route.kwarg_names})
            for route in ROUTES
            if readable & set(route.methods)
        }
    )


@pytest.mark.parametrize("caller", ["api_key", "person"])
def test_no_route_shows_a_carrier_a_price_or_value(world, caller):
    carrier, shipment = world
    client = (
        client_for_key(carrier, CARRIER_SCOPES)
        if caller == "api_key"
        else client_for(factories.PartnerUserFactory(partner=carrier))
    )
    answered = {}
    for path in _get_paths(shipment):
        response = client.get(path)
        if response.status_code == 200 and "json" in response.get("Content-Type", ""):
            answered[path] = response.json()
            assert value_keys_in(answered[path]) == [], path

    detail = answered[f"/api/v1/shipments/{shipment.pk}/"]
    assert detail["items"][0]["net_kg"]  # the item is there, its value is not
    assert "declared_value" not in detail["items"][0]
    assert f"/api/v1/shipments/{shipment.pk}/epcis/" in answered
    assert "/api/v1/shipments/" in answered


def test_the_enterprise_still_sees_the_declared_value(world, enterprise_client):
    _, shipment = world
    item = enterprise_client.get(f"/api/v1/shipments/{shipment.pk}/").json()["items"][0]
    assert item["declared_value"] == "96000.00" and item["currency"] == "USD"


def test_webhooks_event_log_and_inbox_of_a_carrier_carry_no_value(
    world, enterprise, django_capture_on_commit_callbacks
):
    carrier, _ = world
    bank = factories.PartnerFactory(kind=PartnerKind.BANK)
    carrier_person = factories.PartnerUserFactory(partner=carrier)
    WebhookEndpointFactory(partner=carrier, event_kinds=["*"], is_active=True)
    WebhookEndpointFactory(partner=bank, event_kinds=["*"], is_active=True)
    payload = {
        "request_id": 1,
        "kind": "working_capital",
        "status": "submitted",
        "amount": "500000.00",
        "currency": "CNY",
        "term_days": 90,
    }
    with django_capture_on_commit_callbacks(execute=False):
        event = event_services.record(
            "finance.request.submitted",
            payload=payload,
            enterprise=enterprise,
            partners=[carrier, bank],
        )
        event_services.event_dispatch(event_id=event.pk)

    bodies = {
        d.endpoint.partner_id: json.loads(d.body)["data"]
        for d in WebhookDelivery.objects.select_related("endpoint")
    }
    assert value_keys_in(bodies[carrier.pk]) == []
    assert bodies[carrier.pk]["request_id"] == 1
    assert bodies[bank.pk]["amount"] == "500000.00"

    log = client_for_key(carrier, ["events:read"]).get("/api/v1/events/").json()["results"]
    assert log and value_keys_in(log) == []
    inbox = client_for(carrier_person).get("/api/v1/notifications/").json()["results"]
    assert value_keys_in(inbox) == []
    deliveries = client_for_key(carrier, ["webhooks:manage"]).get("/api/v1/webhooks/deliveries/")
    for row in deliveries.json()["results"]:
        assert "500000" not in row["body"]


def test_the_public_tracking_answer_carries_no_value(world, api_client):
    _, shipment = world
    response = api_client.get(f"/api/v1/tracking/{shipment.tracking_token}/")
    assert response.status_code == 200, response.content
    assert value_keys_in(response.json()) == []
