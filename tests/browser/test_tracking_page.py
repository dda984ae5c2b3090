"""A consignee opens the tracking link on a phone: timeline, temperature chart, excursion marked."""

from datetime import UTC, datetime, timedelta

import pytest

from logistics.models import TrackingEvent
from logistics.services.telemetry import telemetry_ingest
from tests import factories
from tests.logistics.factories import ShipmentFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]

BASE = datetime(2026, 1, 12, tzinfo=UTC)
PHONE = {"width": 390, "height": 844}


def travelled_shipment():
    """Chengdu → Mohan → Laos by reefer truck; an hour at 9.6 °C above the 4–8 °C band."""
    shipment = ShipmentFactory(
        enterprise=factories.EnterpriseFactory(), carrier=factories.PartnerFactory()
    )
    factories.location("CNCTU", "Chengdu")
    factories.location("CNMHN", "Mohan")
    for hours, milestone, location, note in [
        (0, "picked_up", "CNCTU", ""),
        (20, "arrived_at_border", "CNMHN", "Queue at Mohan"),
        (30, "customs_cleared", None, ""),
    ]:
        TrackingEvent.objects.create(
            shipment=shipment,
            milestone=milestone,
            occurred_at=BASE + timedelta(hours=hours),
            utc_offset_minutes=480,
            location_id=location,
            note=note,
            source="carrier",
        )
    readings = [
        {
            "sensor_id": "RF-01",
            "time": (BASE + timedelta(minutes=5 * i + 5)).isoformat(),
            "temp_c": 9.6 if 260 <= i < 272 else 6.0,
        }
        for i in range(360)  # 30 hours, every 5 minutes
    ]
    telemetry_ingest(actor=None, shipment=shipment, readings=readings)
    shipment.status = "cleared"
    shipment.save()
    return shipment


def test_consignee_follows_the_shipment_on_a_phone(live_server, browser, screenshot_dir):
    shipment = travelled_shipment()
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    response = page.goto(f"{live_server.url}/track/{shipment.tracking_token}/?lang=en")
    assert response.status == 200

    timeline = page.locator("#timeline li[data-milestone]")
    assert timeline.count() == 3
    assert [timeline.nth(i).get_attribute("data-milestone") for i in range(3)] == [
        "picked_up",
        "arrived_at_border",
        "customs_cleared",
    ]
    assert "Queue at Mohan" in page.locator("#timeline").inner_text()

    chart = page.locator("svg#chart")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] <= PHONE["width"]  # fits the phone: no horizontal scrolling needed
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    excursion = chart.locator("rect.excursion")
    assert excursion.count() == 1  # the one breach, marked on the chart
    assert excursion.first.bounding_box()["width"] > 0
    assert page.locator("#timeline [data-excursion]").count() == 1  # and in the timeline
    assert "9.6" in page.locator("#timeline [data-excursion]").inner_text()

    page.screenshot(path=str(screenshot_dir / "tracking-phone.png"), full_page=True)
    context.close()
