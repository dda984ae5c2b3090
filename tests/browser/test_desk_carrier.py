"""The carrier's dispatcher at the desk: signs in, opens a shipment assigned to the carrier, posts
"departed", uploads the reefer's telemetry CSV (one bad row, readings out of the band), reads the
result of each row, and sees the new excursion on the shipment page."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from logistics.models import TemperatureExcursion, TrackingEvent
from tests import factories
from tests.factories import DEFAULT_PASSWORD
from tests.logistics.factories import ShipmentFactory

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


def telemetry_csv() -> bytes:
    now = datetime.now(UTC).replace(second=0, microsecond=0)

    def at(hours: float) -> str:
        return (now - timedelta(hours=hours)).isoformat()

    rows = [
        "sensor_id,time,temp_c,humidity",
        f"T1,{at(3)},5.1,86",
        f"T1,{at(2.5)},12.4,80",  # the reefer stopped: out of the 4 to 8 °C band
        f"T1,{at(2)},12.9,79",
        f"T1,{at(1.5)},warm,79",  # a bad row
        f"T1,{at(1)},5.6,85",
    ]
    return ("\n".join(rows) + "\n").encode()


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_a_dispatcher_posts_departed_uploads_telemetry_and_sees_the_excursion(
    person, live_server, browser, screenshot_dir
):
    carrier = factories.PartnerFactory(name="Chengdu Cold Chain", name_zh="成都冷链物流")
    dispatcher = factories.PartnerUserFactory(partner=carrier)
    shipment = ShipmentFactory(
        carrier=carrier,
        reference="XJ-2026-031",
        status="in_transit",
        dispatched_at=timezone.now() - timedelta(hours=4),
    )
    ShipmentFactory(reference="OTHER-2026-001")  # another carrier's

    visit = Visit.start(browser, live_server.url, person)
    page = visit.page
    visit.sign_in(dispatcher.email, DEFAULT_PASSWORD)

    # The assigned shipments, then the shipment.
    visit.go("/desk/shipments/")
    assert page.get_by_text("OTHER-2026-001").count() == 0
    visit.check()
    page.get_by_role("link", name="XJ-2026-031").click()
    page.wait_for_url(f"**/desk/shipments/{shipment.pk}/")
    visit.check()

    # Post "departed".
    page.get_by_role("link", name=visit.text("上报运输节点", "Post a milestone")).click()
    page.wait_for_url("**/milestone/")
    visit.check()
    page.select_option("#id_milestone", "departed")
    page.fill("#id_location", "CNCTU")
    page.fill("#id_note", "Left the Xinjin cold store")
    page.get_by_role("button", name=visit.text("上报节点", "Post the milestone")).click()
    page.wait_for_url(f"**/desk/shipments/{shipment.pk}/#timeline")
    assert page.locator('#timeline [data-milestone="departed"]').is_visible()
    assert TrackingEvent.objects.filter(shipment=shipment, milestone="departed").count() == 1
    visit.check()

    # Upload the reefer's file.
    page.get_by_role("link", name=visit.text("上传温度记录", "Upload telemetry")).click()
    page.wait_for_url("**/telemetry/")
    visit.check()
    page.set_input_files(
        "#id_file",
        files=[{"name": "reefer-T1.csv", "mimeType": "text/csv", "buffer": telemetry_csv()}],
    )
    page.get_by_role("button", name=visit.text("上传读数", "Upload the readings")).click()
    page.wait_for_load_state()
    assert page.locator("#total-accepted").inner_text() == "4"
    assert page.locator("#total-rejected").inner_text() == "1"
    rejected = page.locator('tr.telemetry-row--rejected[data-line="5"]')
    assert rejected.is_visible()
    assert "temp_c" in rejected.inner_text()
    excursion = TemperatureExcursion.objects.get(shipment=shipment)
    assert page.locator(f"#excursion-{excursion.pk}").is_visible()
    visit.check()
    visit.screenshot(screenshot_dir, "desk-telemetry")

    # The shipment page shows the excursion.
    page.get_by_role("link", name=visit.text("返回货运", "Back to the shipment")).click()
    page.wait_for_url(f"**/desk/shipments/{shipment.pk}/")
    assert page.locator(f"#excursion-{excursion.pk}").is_visible()
    assert page.locator("#chart").is_visible()
    visit.check()
    visit.screenshot(screenshot_dir, "desk-shipment")
    visit.finish()
