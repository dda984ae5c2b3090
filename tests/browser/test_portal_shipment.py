"""Journey 6b: an exporter follows a shipment that has travelled. They open the list, find it,
read the chart and the excursion, acknowledge it, copy the tracking link for the buyer and
download the EPCIS file; once in Chinese on a phone, once in English at a desk."""

import json
from pathlib import Path

import pytest

from logistics.models import TemperatureExcursion
from tests import factories
from tests.factories import DEFAULT_PASSWORD

from .portal import PEOPLE, Visit
from .test_tracking_page import travelled_shipment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


def exporter_with_a_travelled_shipment(person):
    shipment = travelled_shipment()
    shipment.reference = "XJ-2026-007"
    shipment.save(update_fields=["reference"])
    user = factories.MembershipFactory(enterprise=shipment.enterprise).user
    user.language = person.language
    user.save(update_fields=["language"])
    return user, shipment


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_an_exporter_follows_a_shipment_and_acknowledges_its_excursion(
    person, live_server, browser, screenshot_dir
):
    user, shipment = exporter_with_a_travelled_shipment(person)
    visit = Visit.start(browser, live_server.url, person)
    visit.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = visit.page
    visit.sign_in(user.email, DEFAULT_PASSWORD)

    # The list: find the shipment by its reference, among those cleared.
    visit.go("/portal/shipments/")
    page.select_option("#id_status", "cleared")
    page.fill("#id_q", "XJ-2026")
    page.get_by_role("button", name=visit.text("筛选", "Filter")).click()
    page.wait_for_url(lambda url: "status=cleared" in url and "q=XJ-2026" in url)
    assert page.locator("#shipment-count").inner_text() == visit.text("1 票运单", "1 shipment")
    visit.check()
    visit.screenshot(screenshot_dir, "shipments")
    page.get_by_role("link", name="XJ-2026-007").click()
    page.wait_for_url(f"**/portal/shipments/{shipment.pk}/")

    # The shipment: status and last reading at the top, milestones, the chart with the excursion.
    assert page.locator("#status").inner_text() == visit.text("已清关", "Cleared")
    assert "6.0 °C" in page.locator("#last-reading").inner_text()
    assert page.locator("#timeline li").count() == 3
    assert page.locator("#timeline li").first.get_attribute("data-milestone") == "customs_cleared"
    chart = page.locator("svg#chart")
    assert chart.is_visible() and chart.locator("rect.excursion").count() == 1
    tick = page.locator(".temperature-chart__axis text").first
    assert tick.bounding_box()["height"] >= 11  # axis labels stay legible on the phone
    assert "9.6" in page.locator(".excursion-list").inner_text()
    visit.check()
    visit.screenshot(screenshot_dir, "shipment")

    # Acknowledge the excursion: first without a comment, then with one (htmx swaps the row).
    excursion = TemperatureExcursion.objects.get(shipment=shipment)
    row = page.locator(f"#excursion-{excursion.pk}")
    row.get_by_role("button", name=visit.text("确认", "Acknowledge")).click()
    expect_error = visit.text("该字段是必填项。", "This field is required.")
    page.wait_for_selector(f"#id_x{excursion.pk}-comment_error")
    assert expect_error in row.inner_text()
    visit.check()
    row.get_by_label(visit.text("采取的措施", "What was done")).fill(
        visit.text("冷机已重启，货物已检查", "Reefer reset, load checked")
    )
    row.get_by_role("button", name=visit.text("确认", "Acknowledge")).click()
    page.wait_for_selector(f"#excursion-{excursion.pk} .excursion-row__done")
    excursion.refresh_from_db()
    assert excursion.acknowledged_by_id == user.pk
    visit.check()

    # Copy the tracking link for the buyer.
    page.get_by_role("button", name=visit.text("复制链接", "Copy link")).click()
    page.wait_for_function(
        "() => document.querySelector('[data-copy]').textContent.trim() !== "
        f"'{visit.text('复制链接', 'Copy link')}'"
    )
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith(f"/track/{shipment.tracking_token}/")

    # Download the EPCIS file.
    with page.expect_download() as download_info:
        page.get_by_role("link", name=visit.text("下载 EPCIS 文件", "Download EPCIS file")).click()
    download = download_info.value
    assert download.suggested_filename == "XJ-2026-007-epcis.jsonld"
    document = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert document["type"] == "EPCISDocument"
    visit.finish()
