"""An overseas buyer looks for fruit to sell in Malaysia in March: filters the catalogue by
"available in March" and "market: Malaysia", finds Danling's late citrus ready for Malaysia, opens
it and sees March marked off-season against the northern provinces."""

import pytest

from agri_platform.reference.loading import load_supply_seasons
from tests import factories
from tests.certification.factories import (
    CertificateFactory,
    MarketRequirementFactory,
    SchemeFactory,
)

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


def danling_late_citrus():
    """A Danling cooperative's late-maturing citrus (harvested February to May) with a halal
    certificate in force, which Malaysia requires; and an apple nobody wants in March."""
    load_supply_seasons()  # a transactional test starts from an empty database
    malaysia = factories.country("MY", "Malaysia")
    factories.country("SG", "Singapore", groups=("ASEAN",))
    halal = SchemeFactory(code="HALAL_JAKIM", name_en="Halal (JAKIM)", name_zh="清真认证（JAKIM）")
    MarketRequirementFactory(destination_country=malaysia, destination_group="", scheme=halal)
    cooperative = factories.EnterpriseFactory(
        name_zh="丹棱县晚熟柑橘专业合作社",
        name_en="Danling Late Citrus Cooperative",
        prefecture=factories.prefecture("511400", "Meishan", "眉山市"),
    )
    citrus = factories.ProductFactory(
        enterprise=cooperative,
        name_zh="丹棱晚熟柑橘",
        name_en="Danling late citrus",
        hs_code=factories.hs_code("0805", "Citrus fruit"),
        harvest_months=[2, 3, 4, 5],
        packaging="10 kg cartons",
        incoterms=["FOB", "CIF"],
    )
    CertificateFactory(enterprise=cooperative, scheme=halal, number="HAL-2026-000017-M")
    factories.ProductFactory(
        name_zh="盐源苹果",
        name_en="Yanyuan apple",
        hs_code=factories.hs_code("0808", "Apples"),
        harvest_months=[9, 10],
    )
    return citrus


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_a_buyer_finds_danling_late_citrus_for_malaysia_in_march(
    person, live_server, browser, screenshot_dir
):
    citrus = danling_late_citrus()
    visit = Visit.start(browser, live_server.url, person)
    page = visit.page

    visit.go("/catalogue/")
    assert page.locator(".catalogue-card").count() == 2
    visit.check()

    page.select_option("#id_month", "3")
    page.select_option("#id_market", "MY")
    page.get_by_role("button", name=visit.text("筛选", "Filter")).click()
    page.wait_for_url("**/catalogue/?*month=3*")
    assert page.locator(".catalogue-card").count() == 1
    card = page.locator(".catalogue-card").first
    assert visit.text("可供应马来西亚", "Ready for Malaysia") in card.inner_text()
    assert visit.text("错季供应", "Off-season supply") in card.inner_text()
    visit.check()
    visit.screenshot(screenshot_dir, "catalogue")

    name = visit.text("丹棱晚熟柑橘", "Danling late citrus")
    card.get_by_role("link", name=name).click()
    page.wait_for_url(f"**/catalogue/{citrus.pk}/?market=MY")
    assert page.locator("h1").inner_text() == name
    months = page.locator(".catalogue-months .harvest-strip__month")
    assert months.count() == 12
    march = months.nth(2)
    assert "catalogue-months__month--off-season" in (march.get_attribute("class") or "")
    assert "catalogue-months__month--off-season" not in (months.nth(1).get_attribute("class") or "")
    assert (
        page.locator("#off-season-months")
        .inner_text()
        .startswith(visit.text("错季（★）：3月、4月、5月", "Off-season (★): Mar, Apr, May"))
    )
    assert page.locator("#certificates").inner_text().count("HAL-2026-000017-M") == 1
    send = page.get_by_role("link", name=visit.text("发送询盘", "Send an inquiry"))
    assert send.get_attribute("href") == f"/desk/inquiries/new/?product={citrus.pk}"
    visit.check()
    visit.screenshot(screenshot_dir, "catalogue-product")
    visit.finish()
