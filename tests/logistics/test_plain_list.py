"""The benchmark's plain view of the shipment list (benchmarks/load/bench_urls.py) answers the same
body as the DRF list: the API-overhead ratio compares the framework layer, not two bodies."""

import math
from datetime import timedelta

import pytest
from django.utils import timezone

from agri_platform.api.audience import VALUE_KEYS
from logistics.models import TelemetrySummary
from logistics.telemetry import DELTA_H_OVER_R, KELVIN
from tests import factories
from tests.conftest import client_for

from .factories import ShipmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("benchmarks.load.bench_urls")]


def with_readings(shipment, temps):
    now = timezone.now()
    TelemetrySummary.objects.filter(shipment=shipment).update(
        reading_count=len(temps),
        in_band_count=sum(4 <= t <= 8 for t in temps),
        temp_min_c=min(temps),
        temp_max_c=max(temps),
        temp_sum=sum(temps),
        arrhenius_sum=sum(math.exp(-DELTA_H_OVER_R / (t + KELVIN)) for t in temps),
        first_reading_at=now - timedelta(hours=3),
        last_reading_at=now - timedelta(minutes=7, microseconds=1234),
        last_temp_c=temps[-1],
        excursion_count=1,
        excursion_minutes=12.25,
    )


@pytest.fixture
def world(enterprise, partner):
    booked = ShipmentFactory(enterprise=enterprise, carrier=partner)
    ShipmentFactory(enterprise=enterprise, carrier=partner, with_item=False)
    dispatched = ShipmentFactory(
        enterprise=enterprise,
        carrier=partner,
        status="dispatched",
        dispatched_at=timezone.now() - timedelta(days=1),
        temp_min_c=None,
        temp_max_c=None,
    )
    with_readings(dispatched, [5.0, 6.5, 9.25])
    ShipmentFactory(
        enterprise=enterprise,
        carrier=partner,
        status="cancelled",
        cancelled_at=timezone.now(),
        cancel_reason="Buyer withdrew",
    )
    ShipmentFactory()  # another enterprise's: in neither list
    return booked


def test_plain_view_answers_the_drf_lists_body(world, enterprise_client):
    drf = enterprise_client.get("/api/v1/shipments/", {"page_size": 50}).json()
    plain = enterprise_client.get("/bench/plain-shipments/").json()
    assert len(drf["results"]) == 4
    assert plain["results"] == drf["results"]
    assert (plain["next"], plain["previous"]) == (drf["next"], drf["previous"]) == (None, None)
    dispatched = next(row for row in plain["results"] if row["status"] == "dispatched")
    assert dispatched["telemetry_summary"]["reading_count"] == 3


def test_plain_view_hides_values_from_a_carriers_person(world, partner):
    carrier_person = factories.UserFactory(partner=partner)
    client = client_for(carrier_person)
    drf = client.get("/api/v1/shipments/", {"page_size": 50}).json()
    plain = client.get("/bench/plain-shipments/").json()
    assert plain["results"] == drf["results"]
    item = plain["results"][0]["items"][0]
    assert not VALUE_KEYS & item.keys() and plain["results"][0]["tracking_token"] is None
