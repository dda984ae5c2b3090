"""Tracking events by the carrier's key or the enterprise; status follows the latest milestone."""

import pytest

from agri_platform.events.models import Event
from logistics.models import TrackingEvent
from tests import factories

from .factories import ShipmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatched(enterprise, partner):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    from django.utils import timezone

    shipment.status = "in_transit"
    shipment.dispatched_at = timezone.now()
    shipment.save()
    return shipment


def post(client, shipment, milestone, when, **extra):
    return client.post(
        f"/api/v1/shipments/{shipment.pk}/events/",
        {"milestone": milestone, "occurred_at": when, **extra},
        format="json",
    )


def test_carrier_posts_milestones_and_status_follows(carrier_client, dispatched):
    factories.location("LAOUD", "Boten")
    response = post(
        carrier_client,
        dispatched,
        "arrived_at_border",
        "2026-01-13T09:30:00+07:00",
        location="LAOUD",
        note="Mohan-Boten border crossing",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source"] == "carrier" and body["utc_offset_minutes"] == 420
    assert body["occurred_at"].startswith("2026-01-13T02:30")
    dispatched.refresh_from_db()
    assert dispatched.status == "at_customs"
    changed = Event.objects.get(kind="shipment.status_changed")
    assert changed.payload["previous_status"] == "in_transit"
    assert list(changed.partners.all()) == [dispatched.carrier]


def test_out_of_order_events_status_follows_the_latest_by_time(carrier_client, dispatched):
    post(carrier_client, dispatched, "customs_cleared", "2026-01-13T15:00:00+07:00")
    post(carrier_client, dispatched, "departed", "2026-01-12T08:00:00+08:00")  # late, older
    dispatched.refresh_from_db()
    assert dispatched.status == "cleared"
    post(carrier_client, dispatched, "delivered", "2026-01-17T10:00:00+08:00")
    post(carrier_client, dispatched, "arrived_at_border", "2026-01-13T09:00:00+07:00")
    dispatched.refresh_from_db()
    assert dispatched.status == "delivered"
    assert dispatched.delivered_at.isoformat().startswith("2026-01-17T02:00")
    assert Event.objects.filter(kind="shipment.delivered").count() == 1
    assert TrackingEvent.objects.filter(shipment=dispatched).count() == 4


def test_arrived_keeps_the_status_of_the_milestone_before(carrier_client, dispatched):
    post(carrier_client, dispatched, "customs_cleared", "2026-01-13T15:00:00+07:00")
    post(carrier_client, dispatched, "arrived", "2026-01-16T15:00:00+08:00")
    dispatched.refresh_from_db()
    assert dispatched.status == "cleared"


def test_replay_with_the_same_event_id_stores_nothing_new(carrier_client, dispatched):
    first = post(
        carrier_client, dispatched, "departed", "2026-01-12T08:00:00+08:00", event_id="E-1"
    )
    again = post(
        carrier_client, dispatched, "departed", "2026-01-12T08:00:00+08:00", event_id="E-1"
    )
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert TrackingEvent.objects.filter(shipment=dispatched).count() == 1


def test_time_without_offset_is_400(carrier_client, dispatched):
    response = post(carrier_client, dispatched, "departed", "2026-01-12T08:00:00")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "occurred_at"


def test_unknown_milestone_is_400(carrier_client, dispatched):
    response = post(carrier_client, dispatched, "teleported", "2026-01-12T08:00:00Z")
    assert response.status_code == 400


def test_other_carrier_gets_404(make_partner_client, dispatched):
    other = make_partner_client(factories.PartnerFactory(), ["logistics:write"])
    response = post(other, dispatched, "departed", "2026-01-12T08:00:00Z")
    assert response.status_code == 404
    assert other.get(f"/api/v1/shipments/{dispatched.pk}/events/").status_code == 404
    assert not TrackingEvent.objects.exists()


def test_read_scope_cannot_post(make_partner_client, partner, dispatched):
    client = make_partner_client(partner, ["logistics:read"])
    assert post(client, dispatched, "departed", "2026-01-12T08:00:00Z").status_code == 403


def test_enterprise_may_post_and_events_before_dispatch_keep_booked(
    enterprise_client, enterprise, partner
):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    response = post(
        enterprise_client,
        shipment,
        "picked_up",
        "2026-01-12T06:00:00+08:00",
        latitude=30.43,
        longitude=103.82,
    )
    assert response.status_code == 201
    assert response.json()["source"] == "enterprise"
    shipment.refresh_from_db()
    assert shipment.status == "booked"  # dispatch (with its readiness check) comes first
    enterprise_client.post(f"/api/v1/shipments/{shipment.pk}/dispatch/")
    shipment.refresh_from_db()
    assert shipment.status == "in_transit"


def test_events_list_and_history(carrier_client, dispatched):
    post(carrier_client, dispatched, "departed", "2026-01-12T08:00:00+08:00")
    post(carrier_client, dispatched, "picked_up", "2026-01-12T06:00:00+08:00")
    body = carrier_client.get(f"/api/v1/shipments/{dispatched.pk}/events/").json()
    assert [e["milestone"] for e in body["results"]] == ["picked_up", "departed"]
    assert TrackingEvent.objects.first().history.count() == 1


def test_cancelled_shipment_takes_no_events(enterprise_client, carrier_client, enterprise, partner):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    enterprise_client.post(f"/api/v1/shipments/{shipment.pk}/cancel/", {}, format="json")
    response = post(carrier_client, shipment, "departed", "2026-01-12T08:00:00Z")
    assert response.status_code == 409
