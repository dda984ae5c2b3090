"""The events API: event log, inbox, preferences, webhook endpoints and deliveries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agri_platform.events.models import Event, Notification, WebhookDelivery, WebhookEndpoint
from tests.conftest import client_for
from tests.factories import EnterpriseFactory, PartnerFactory, PartnerUserFactory

from .factories import (
    EventFactory,
    NotificationFactory,
    WebhookDeliveryFactory,
    WebhookEndpointFactory,
)
from .test_webhooks import verified

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"
INBOX = "/api/v1/notifications/"
ENDPOINTS = "/api/v1/webhooks/endpoints/"
DELIVERIES = "/api/v1/webhooks/deliveries/"


def ids(response):
    return [row["id"] for row in response.json()["results"]]


# --- events/ ------------------------------------------------------------------------------------


def test_event_log_tenancy(enterprise, enterprise_client, staff_client, make_partner_client):
    carrier, bank = PartnerFactory(), PartnerFactory()
    mine = EventFactory(enterprise=enterprise, partners=[carrier])
    theirs = EventFactory(enterprise=EnterpriseFactory(), partners=[bank])
    public = EventFactory(kind="enterprise.verified", enterprise=EnterpriseFactory())
    public.for_all_partners = True
    public.save()

    assert set(ids(enterprise_client.get(EVENTS))) == {mine.pk}
    carrier_client = make_partner_client(carrier, ["events:read"])
    # (creating the key is itself an event routed to the carrier: compare on the three above)
    seen = set(ids(carrier_client.get(EVENTS)))
    assert mine.pk in seen and public.pk in seen and theirs.pk not in seen
    assert carrier_client.get(f"{EVENTS}{theirs.pk}/").status_code == 404
    assert {mine.pk, theirs.pk, public.pk} <= set(ids(staff_client.get(EVENTS)))
    assert make_partner_client(carrier, ["logistics:read"]).get(EVENTS).status_code == 403


def test_event_log_filters_and_cursor(staff_client):
    enterprise = EnterpriseFactory()
    old = EventFactory(kind="shipment.booked", enterprise=enterprise)
    Event.objects.filter(pk=old.pk).update(occurred_at=timezone.now() - timedelta(days=3))
    dispatched = EventFactory(kind="shipment.dispatched", enterprise=enterprise)
    offer = EventFactory(kind="finance.offer.received", enterprise=enterprise)

    assert ids(staff_client.get(EVENTS, {"kind": "shipment.*"})) == [dispatched.pk, old.pk]
    assert ids(staff_client.get(EVENTS, {"kind": "finance.offer.received"})) == [offer.pk]
    assert ids(staff_client.get(EVENTS, {"kind": "shipment.,finance."})) == [
        offer.pk,
        dispatched.pk,
        old.pk,
    ]
    after = (timezone.now() - timedelta(days=1)).isoformat()
    assert ids(staff_client.get(EVENTS, {"occurred_after": after})) == [offer.pk, dispatched.pk]
    assert ids(staff_client.get(EVENTS, {"occurred_before": after})) == [old.pk]

    # catching up: oldest first, two at a time, following the cursor
    page = staff_client.get(EVENTS, {"ordering": "id", "page_size": 2}).json()
    assert [row["id"] for row in page["results"]] == [old.pk, dispatched.pk]
    assert page["next"] and "cursor=" in page["next"]
    page = staff_client.get(page["next"]).json()
    assert [row["id"] for row in page["results"]] == [offer.pk]
    row = page["results"][0]
    assert set(row) == {"id", "kind", "occurred_at", "enterprise", "subject", "data"}


def test_event_log_query_count_is_flat(staff_client, django_assert_max_num_queries):
    for _ in range(30):
        EventFactory()
    with django_assert_max_num_queries(6):
        response = staff_client.get(EVENTS, {"page_size": 30})
    assert len(response.json()["results"]) == 30


# --- notifications/ -----------------------------------------------------------------------------


def test_inbox_read_and_count(enterprise_user, enterprise_client, other_enterprise_user):
    first = NotificationFactory(user=enterprise_user)
    second = NotificationFactory(user=enterprise_user)
    foreign = NotificationFactory(user=other_enterprise_user)

    assert set(ids(enterprise_client.get(INBOX))) == {first.pk, second.pk}
    assert enterprise_client.get(f"{INBOX}unread-count/").json() == {"unread": 2}
    response = enterprise_client.post(f"{INBOX}{first.pk}/mark-read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert ids(enterprise_client.get(INBOX, {"unread": "true"})) == [second.pk]
    assert enterprise_client.post(f"{INBOX}{foreign.pk}/mark-read/").status_code == 404
    assert enterprise_client.post(f"{INBOX}mark-all-read/").json() == {"marked": 1}
    assert enterprise_client.get(f"{INBOX}unread-count/").json() == {"unread": 0}
    foreign.refresh_from_db()
    assert foreign.read_at is None


def test_inbox_query_count_is_flat(
    enterprise_user, enterprise_client, django_assert_max_num_queries
):
    for _ in range(25):
        NotificationFactory(user=enterprise_user)
    with django_assert_max_num_queries(5):
        response = enterprise_client.get(INBOX, {"page_size": 25})
    assert len(response.json()["results"]) == 25


def test_preferences(enterprise_client):
    url = f"{INBOX}preferences/"
    assert enterprise_client.get(url).json() == {"email_muted_kinds": []}
    response = enterprise_client.put(
        url, {"email_muted_kinds": ["shipment.*", "certificate.expiring"]}
    )
    assert response.json() == {"email_muted_kinds": ["certificate.expiring", "shipment.*"]}
    response = enterprise_client.put(url, {"email_muted_kinds": ["nonsense"]})
    assert response.status_code == 400
    # The item is named: the schema lists the kinds and patterns (EventPatternEnum).
    assert response.json()["errors"][0]["field"] == "email_muted_kinds[0]"


# --- webhooks/endpoints/ ------------------------------------------------------------------------


def test_partner_manages_its_endpoints(make_partner_client):
    partner = PartnerFactory()
    client = make_partner_client(partner, ["webhooks:manage"])
    response = client.post(
        ENDPOINTS,
        {"url": "https://erp.bank.example/hooks", "event_kinds": ["finance.*"], "partner": 999},
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["secret"].startswith("whsec_")
    assert created["partner"] == partner.pk  # its own, whatever it sent
    detail = client.get(f"{ENDPOINTS}{created['id']}/").json()
    assert "secret" not in detail  # shown once

    response = client.patch(f"{ENDPOINTS}{created['id']}/", {"is_active": False})
    assert response.status_code == 200 and response.json()["is_active"] is False

    rotated = client.post(f"{ENDPOINTS}{created['id']}/rotate-secret/").json()
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != created["secret"]
    assert rotated["secret_rotation_ends_at"]

    assert client.delete(f"{ENDPOINTS}{created['id']}/").status_code == 204
    assert WebhookEndpoint.objects.get().archived_at is not None  # archived, not removed


def test_delete_archives_the_endpoint_keeps_its_deliveries_and_records_who(
    make_partner_client, django_capture_on_commit_callbacks
):
    partner = PartnerFactory()
    person = PartnerUserFactory(partner=partner)
    client = make_partner_client(partner, ["webhooks:manage"])
    endpoint = WebhookEndpointFactory(partner=partner)
    delivered = WebhookDeliveryFactory(
        endpoint=endpoint, status="succeeded", delivered_at=timezone.now()
    )
    pending = WebhookDeliveryFactory(endpoint=endpoint, next_attempt_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"{ENDPOINTS}{endpoint.pk}/").status_code == 204

    endpoint.refresh_from_db()
    assert endpoint.archived_at is not None and endpoint.is_active is False
    partner.refresh_from_db()
    assert endpoint.archived_by == partner.service_user
    assert set(WebhookDelivery.objects.values_list("pk", flat=True)) == {delivered.pk, pending.pk}
    pending.refresh_from_db()
    assert pending.status == "failed" and pending.next_attempt_at is None
    event = Event.objects.get(kind="webhook.endpoint.archived")
    assert event.payload["endpoint_id"] == endpoint.pk
    assert Notification.objects.filter(user=person, kind="webhook.endpoint.archived").exists()
    # the history stays readable
    listed = client.get(DELIVERIES, {"endpoint": endpoint.pk}).json()["results"]
    assert {row["id"] for row in listed} == {delivered.pk, pending.pk}
    assert client.get(ENDPOINTS, {"archived": "true"}).json()["results"][0]["id"] == endpoint.pk
    assert client.get(ENDPOINTS, {"archived": "false"}).json()["results"] == []

    # an archived endpoint cannot be brought back or used, and receives nothing
    url = f"{ENDPOINTS}{endpoint.pk}/"
    assert client.patch(url, {"is_active": True}, format="json").status_code == 409
    assert client.post(f"{url}rotate-secret/").status_code == 409
    assert client.post(f"{url}ping/").status_code == 409
    assert client.delete(url).status_code == 204  # again: nothing more happens
    assert Event.objects.filter(kind="webhook.endpoint.archived").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        verified(EnterpriseFactory())
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 2


def test_endpoint_validation(make_partner_client):
    client = make_partner_client(PartnerFactory(), ["webhooks:manage"])
    response = client.post(ENDPOINTS, {"url": "http://10.0.0.1/hook", "event_kinds": ["*"]})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "url"
    response = client.post(
        ENDPOINTS, {"url": "https://hooks.example.com/", "event_kinds": ["nope.*"]}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "event_kinds[0]"
    response = client.post(ENDPOINTS, {"url": "https://hooks.example.com/", "event_kinds": []})
    assert response.status_code == 400


def test_who_may_manage_endpoints(enterprise_client, staff_client, make_partner_client):
    partner, other = PartnerFactory(), PartnerFactory()
    mine = WebhookEndpointFactory(partner=partner)
    theirs = WebhookEndpointFactory(partner=other)
    person = client_for(PartnerUserFactory(partner=partner))
    assert ids(person.get(ENDPOINTS)) == [mine.pk]
    assert person.get(f"{ENDPOINTS}{theirs.pk}/").status_code == 404
    assert person.post(f"{ENDPOINTS}{theirs.pk}/ping/").status_code == 404
    assert enterprise_client.get(ENDPOINTS).status_code == 403
    assert make_partner_client(partner, ["events:read"]).get(ENDPOINTS).status_code == 403
    assert set(ids(staff_client.get(ENDPOINTS))) == {mine.pk, theirs.pk}
    response = staff_client.post(
        ENDPOINTS, {"url": "https://hooks.example.com/", "event_kinds": ["*"]}
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "partner"
    response = staff_client.post(
        ENDPOINTS,
        {"url": "https://hooks.example.com/", "event_kinds": ["*"], "partner": other.pk},
    )
    assert response.status_code == 201 and response.json()["partner"] == other.pk


def test_ping_action(make_partner_client, settings, django_capture_on_commit_callbacks):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    from .receiver import Receiver

    partner = PartnerFactory()
    client = make_partner_client(partner, ["webhooks:manage"])
    with Receiver() as rx:
        endpoint = WebhookEndpointFactory(partner=partner, url=rx.url)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"{ENDPOINTS}{endpoint.pk}/ping/")
    assert response.status_code == 202
    assert response.json()["kind"] == "webhook.ping"
    assert len(rx.requests) == 1
    delivery = WebhookDelivery.objects.get(pk=response.json()["id"])
    assert delivery.status == "succeeded"


# --- webhooks/deliveries/ -----------------------------------------------------------------------


def test_deliveries_list_and_redeliver(
    staff_client, make_partner_client, enterprise_client, django_capture_on_commit_callbacks
):
    partner, other = PartnerFactory(), PartnerFactory()
    mine = WebhookDeliveryFactory(
        endpoint=WebhookEndpointFactory(partner=partner, url="https://127.0.0.1/"),
        status="failed",
    )
    theirs = WebhookDeliveryFactory(endpoint=WebhookEndpointFactory(partner=other))
    client = make_partner_client(partner, ["webhooks:manage"])
    assert ids(client.get(DELIVERIES)) == [mine.pk]
    assert ids(client.get(DELIVERIES, {"status": "pending"})) == []
    assert client.post(f"{DELIVERIES}{theirs.pk}/redeliver/").status_code == 404
    assert enterprise_client.get(DELIVERIES).status_code == 403
    assert set(ids(staff_client.get(DELIVERIES))) == {mine.pk, theirs.pk}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{DELIVERIES}{mine.pk}/redeliver/")
    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    mine.refresh_from_db()
    # a new attempt was made (refused: the test URL is loopback) and the delivery is pending again
    assert mine.status == "pending" and mine.attempt_count == 1
    assert mine.attempts.get().outcome == "refused"

    WebhookEndpoint.objects.filter(pk=mine.endpoint_id).update(is_active=False)
    response = staff_client.post(f"{DELIVERIES}{mine.pk}/redeliver/")
    assert response.status_code == 409


def test_deliveries_query_count_is_flat(staff_client, django_assert_max_num_queries):
    endpoint = WebhookEndpointFactory()
    for _ in range(20):
        delivery = WebhookDeliveryFactory(endpoint=endpoint)
        delivery.attempts.create(number=1, started_at=timezone.now(), status_code=500)
    with django_assert_max_num_queries(6):
        response = staff_client.get(DELIVERIES, {"page_size": 20})
    assert len(response.json()["results"]) == 20
    assert WebhookDelivery.objects.count() == 20 and Notification.objects.count() == 0
