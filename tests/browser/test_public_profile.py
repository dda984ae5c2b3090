"""An overseas buyer checks an exporter before ordering: opens the list of verified exporters,
filters by prefecture, opens the Danling citrus cooperative's profile, reads its harvest months
and follows a certificate's link; then opens the tracking link of a shipment the cooperative sent
and reads the times in the zone of the device, Kuala Lumpur's, named, once the page has reloaded."""

from datetime import UTC, datetime, timedelta

import pytest

from logistics.models import TrackingEvent
from logistics.services.telemetry import telemetry_ingest
from tests import factories
from tests.certification.factories import CertificateFactory
from tests.logistics.factories import ShipmentFactory

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]

BASE = datetime(2026, 1, 12, tzinfo=UTC)
BUYERS_ZONE = "Asia/Kuala_Lumpur"


def danling_cooperative():
    """The cooperative with its mandarin (harvested December to March), a certificate in force and
    a shipment delivered to Kuala Lumpur, tracked: two milestones and an hour above the band."""
    cooperative = factories.EnterpriseFactory(
        name_zh="丹棱县柑橘专业合作社",
        name_en="Danling Citrus Cooperative",
        prefecture=factories.prefecture("511400", "Meishan", "眉山市"),
        county="Danling",
    )
    factories.EnterpriseFactory(name_en="Chengdu Tea House", export_categories=["tea"])
    factories.ProductFactory(
        enterprise=cooperative,
        name_zh="不知火",
        name_en="Buzhihuo mandarin",
        harvest_months=[1, 2, 3, 12],
    )
    certificate = CertificateFactory(enterprise=cooperative, number="GAP-2026-000017-K")
    shipment = ShipmentFactory(
        enterprise=cooperative,
        carrier=factories.PartnerFactory(),
        planned_departure=BASE,
        dispatched_at=BASE,
        with_item=False,
    )
    for hours, milestone, location in [
        (0, "picked_up", "CNCTU"),
        (20, "arrived_at_border", "CNMHN"),
    ]:
        TrackingEvent.objects.create(
            shipment=shipment,
            milestone=milestone,
            occurred_at=BASE + timedelta(hours=hours),
            utc_offset_minutes=480,
            location=factories.location(location, location),
            source="carrier",
        )
    readings = [
        {
            "sensor_id": "RF-01",
            "time": (BASE + timedelta(minutes=5 * i + 5)).isoformat(),
            "temp_c": 9.6 if 200 <= i < 212 else 6.0,
        }
        for i in range(288)
    ]
    telemetry_ingest(actor=None, shipment=shipment, readings=readings)
    shipment.status = "delivered"
    shipment.save()
    return cooperative, certificate, shipment


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_an_overseas_buyer_checks_an_exporter_and_follows_its_shipment(
    person, live_server, browser, screenshot_dir, monkeypatch
):
    cooperative, certificate, shipment = danling_cooperative()
    # The buyer's device is in Kuala Lumpur, whatever the person's language.
    new_context = browser.new_context
    monkeypatch.setattr(
        browser,
        "new_context",
        lambda **options: new_context(**{**options, "timezone_id": BUYERS_ZONE}),
    )
    visit = Visit.start(browser, live_server.url, person)
    page = visit.page

    # The list, then only the exporters of Meishan.
    visit.go("/exporters/")
    assert page.locator(".exporter-card").count() == 2
    visit.check()
    page.select_option("#id_prefecture", "511400")
    page.get_by_role("button", name=visit.text("筛选", "Filter")).click()
    page.wait_for_url("**/exporters/?*prefecture=511400*")
    assert page.locator(".exporter-card").count() == 1
    visit.check()

    # The cooperative's profile: harvest months, certificate in force, markets served.
    name = visit.text("丹棱县柑橘专业合作社", "Danling Citrus Cooperative")
    page.get_by_role("link", name=name).click()
    page.wait_for_url(f"**/exporters/{cooperative.pk}/")
    assert page.locator("h1").inner_text() == name
    harvest = page.locator(".harvest-summary").inner_text()
    assert harvest == visit.text(
        "采收月份：1月、2月、3月、12月", "Harvested in: Jan, Feb, Mar, Dec"
    )
    assert page.locator(".harvest-strip__month--on").count() == 4
    assert page.locator("#markets").inner_text().strip() == visit.text(
        "马来西亚：1 票货运", "Malaysia: 1 shipment"
    )
    visit.check()
    visit.screenshot(screenshot_dir, "exporter-profile")
    page.get_by_role("link", name=certificate.number).click()
    page.wait_for_url(f"**/verify/{certificate.number}/")
    visit.check()

    # The tracking link, opened fresh: the zone of the page's language until the page reloads.
    page.context.clear_cookies()
    visit.go(f"/track/{shipment.tracking_token}/")
    first = page.locator("#zone-note").inner_text()
    assert first.startswith(visit.text("时间按中国（上海）时间显示", "Times are shown in UTC"))
    visit.check()
    page.reload()
    zone = visit.text("马来西亚（吉隆坡）时间", "Malaysia (Kuala Lumpur) Time")
    assert zone in page.locator("#zone-note").inner_text()
    picked_up = page.locator("#timeline time").first.inner_text()
    assert picked_up == visit.text(f"2026-01-12 08:00（{zone}）", f"2026-01-12 08:00 ({zone})")
    assert page.locator("#timeline [data-excursion]").count() == 1
    axis = page.locator("svg.temperature-chart__axis text").first
    assert axis.evaluate("label => parseFloat(getComputedStyle(label).fontSize)") >= 12
    visit.check()
    visit.screenshot(screenshot_dir, "tracking")
    visit.finish()
