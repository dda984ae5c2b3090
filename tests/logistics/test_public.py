"""EPCIS export, the public tracking JSON and page, and the demo data."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from agri_platform.reference.models import Location
from logistics import demo
from logistics.models import SensorReading, Shipment, TemperatureExcursion, TrackingEvent
from logistics.services.telemetry import telemetry_ingest
from tests import factories

from .factories import ShipmentDocumentFactory, ShipmentFactory

pytestmark = pytest.mark.django_db

BASE = datetime(2026, 1, 12, tzinfo=UTC)


@pytest.fixture
def travelled(enterprise, partner):
    """A shipment with events, an hour-long excursion and a few hundred readings."""
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    factories.location("CNMHN", "Mohan")
    TrackingEvent.objects.create(
        shipment=shipment,
        milestone="picked_up",
        occurred_at=BASE,
        utc_offset_minutes=480,
        location_id="CNCTU",
        source="carrier",
    )
    TrackingEvent.objects.create(
        shipment=shipment,
        milestone="arrived_at_border",
        occurred_at=BASE + timedelta(hours=20),
        utc_offset_minutes=480,
        location_id="CNMHN",
        source="carrier",
        note="Queue at Mohan",
    )
    TrackingEvent.objects.create(
        shipment=shipment,
        milestone="customs_cleared",
        occurred_at=BASE + timedelta(hours=30),
        latitude=21.18,
        longitude=101.69,
        source="carrier",
    )
    readings = []
    for i in range(360):  # 30 hours, every 5 minutes
        temp = 6.0 if not 260 <= i < 272 else 9.6
        readings.append(
            {
                "sensor_id": "RF-01",
                "time": (BASE + timedelta(minutes=5 * i + 5)).isoformat(),
                "temp_c": temp,
            }
        )
    telemetry_ingest(actor=None, shipment=shipment, readings=readings)
    shipment.status = "cleared"
    shipment.save()
    return shipment


def test_epcis_document_structure(enterprise_client, travelled):
    response = enterprise_client.get(f"/api/v1/shipments/{travelled.pk}/epcis/")
    assert response.status_code == 200
    doc = response.json()
    assert doc["type"] == "EPCISDocument" and doc["schemaVersion"] == "2.0"
    assert "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld" in doc["@context"]
    events = doc["epcisBody"]["eventList"]
    assert [e["type"] for e in events] == ["ObjectEvent"] * 3
    assert [e["bizStep"] for e in events] == [
        "https://ref.gs1.org/cbv/BizStep-loading",
        "https://ref.gs1.org/cbv/BizStep-arriving",
        "https://ref.gs1.org/cbv/BizStep-accepting",
    ]
    assert all(e["action"] == "OBSERVE" and e["epcList"] for e in events)
    assert events[0]["eventTime"] == "2026-01-12T08:00:00+08:00"
    assert events[0]["eventTimeZoneOffset"] == "+08:00"
    assert events[1]["readPoint"]["id"].endswith("CNMHN")
    assert events[2]["readPoint"]["id"] == "geo:21.18000,101.69000"
    assert "sensorElementList" not in events[0]  # no readings before the first event
    report = events[1]["sensorElementList"][0]["sensorReport"][0]
    assert (report["type"], report["uom"]) == ("gs1:Temperature", "CEL")
    assert report["minValue"] == 6.0 and report["maxValue"] == 6.0  # the first 20 hours
    later = events[2]["sensorElementList"][0]["sensorReport"][0]
    assert later["maxValue"] == 9.6 and 6.0 < later["meanValue"] < 9.6


def test_tracking_json_is_public_and_has_no_prices(api_client, travelled):
    response = api_client.get(f"/api/v1/tracking/{travelled.tracking_token}/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "cleared"
    assert [e["milestone"] for e in body["timeline"]] == [
        "picked_up",
        "arrived_at_border",
        "customs_cleared",
    ]
    assert body["band_c"] == {"min": 4.0, "max": 8.0}
    assert len(body["excursions"]) == 1
    assert body["temperature"]["points"]
    text = response.content.decode()
    assert "declared_value" not in text and "96000" not in text and "documents" not in text


def test_unknown_token_is_404(api_client):
    assert api_client.get("/api/v1/tracking/not-a-real-token/").status_code == 404
    assert api_client.get("/track/not-a-real-token/").status_code == 404


def test_tracking_json_is_throttled(api_client, travelled, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "public_lookup": "2/min",
        },
    }
    from agri_platform.api.throttling import PublicLookupThrottle

    # Restored to what it was: api_settings still holds the 2/min override at `finally`.
    original_rates = PublicLookupThrottle.THROTTLE_RATES
    PublicLookupThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    try:
        codes = [
            api_client.get(f"/api/v1/tracking/{travelled.tracking_token}/").status_code
            for _ in range(3)
        ]
    finally:
        PublicLookupThrottle.THROTTLE_RATES = original_rates
    assert codes == [200, 200, 429]


def test_tracking_page_renders_timeline_band_and_excursions(client, travelled):
    ShipmentDocumentFactory(shipment=travelled)
    response = client.get(f"/track/{travelled.tracking_token}/?lang=en")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="viewport"' in html
    assert re.search(r'<ol class="timeline tracking-timeline" id="timeline">', html)
    assert html.count("data-milestone=") == 3
    assert "Queue at Mohan" in html
    assert re.search(
        r'<rect class="band" x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[\d.]+"', html
    )
    assert len(re.findall(r'<rect class="excursion severity-\w+"', html)) == 1
    assert "<polyline" in html and "Cleared" in html
    assert "96000" not in html and "phyto" not in html.lower() and "pdf" not in html.lower()


def test_tracking_page_speaks_chinese(client, travelled):
    html = client.get(
        f"/track/{travelled.tracking_token}/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9"
    ).content.decode()
    assert "货物追踪" in html and "已清关" in html and "抵达口岸" in html
    assert "货物追踪" in client.get(f"/track/{travelled.tracking_token}/?lang=zh").content.decode()


# --- demo data ---------------------------------------------------------------------------------


def _demo_enterprises():
    for name, product, band in [
        ("Baiyang Village Fruit and Vegetable Cold-chain Centre", "Ai Yuan mandarin", (4, 8)),
        ("Sichuan Runzhao Fisheries Co., Ltd.", "Sturgeon caviar", (-2, 2)),
        ("Sichuan Chengben Agricultural Development Co., Ltd.", "Curry rabbit", (0, 4)),
        ("Zizhong Blood Orange Cooperative", "Blood orange", (3, 8)),
    ]:
        enterprise = factories.EnterpriseFactory(name_en=name)
        factories.ProductFactory(
            enterprise=enterprise, name_en=product, temp_min_c=band[0], temp_max_c=band[1]
        )


def test_demo_seeds_the_four_cases_idempotently():
    _demo_enterprises()
    lines = []
    demo.seed(lines.append)
    assert Shipment.objects.count() == 4
    counts = (SensorReading.objects.count(), TrackingEvent.objects.count())
    assert 1500 < counts[0] < 5000
    baiyang = Shipment.objects.get(reference="BY-MY-2026-001")
    assert baiyang.transport_mode == "reefer_truck" and baiyang.destination_id == "MYKUL"
    excursions = TemperatureExcursion.objects.filter(shipment=baiyang)
    assert excursions.count() == 1 and excursions.get().duration_minutes <= 45
    for reference in ("RZ-VN-2026-014", "CB-SN-2026-001", "ZZ-TH-2026-003"):
        assert not TemperatureExcursion.objects.filter(shipment__reference=reference).exists()
    assert Shipment.objects.get(reference="RZ-VN-2026-014").status == "delivered"
    assert Shipment.objects.get(reference="CB-SN-2026-001").destination_id == "SNDKR"
    assert "China-Laos Railway" in Shipment.objects.get(reference="ZZ-TH-2026-003").route
    demo.seed(lines.append)
    assert Shipment.objects.count() == 4
    assert (SensorReading.objects.count(), TrackingEvent.objects.count()) == counts
    assert all(r.time <= timezone.now() for r in SensorReading.objects.order_by("-time")[:1])


def test_demo_skips_missing_enterprises_with_a_log_line():
    lines = []
    demo.seed(lines.append)
    assert not Shipment.objects.exists()
    assert sum("skipped" in line for line in lines) == 4
    assert Location.objects.filter(code="SNDKR").exists()
