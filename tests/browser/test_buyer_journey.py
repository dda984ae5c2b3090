"""Issue 17's journey: a buyer in Malaysia finds Danling late citrus in the catalogue by "available
in March" and "market: Malaysia", sends an inquiry; the cooperative quotes; the buyer accepts; the
shipment draft opens for the cooperative with the readiness result for Malaysia.

Two browser contexts side by side: the buyer's person (the desk) and the cooperative's owner (the
portal), both at the person's width and language."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from agri_platform.reference.loading import load_supply_seasons
from certification import catalogue
from logistics.models import ShipmentDraft
from tests import factories
from tests.factories import DEFAULT_PASSWORD
from tests.trade.factories import BuyerFactory, buyer_person
from trade.choices import QuoteStatus
from trade.models import Inquiry, Quote

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


def danling_cooperative(language: str):
    """The cooperative, its owner, and its late citrus harvested February to May."""
    catalogue.load()  # Malaysia and its requirements (fresh fruit: a phytosanitary certificate)
    load_supply_seasons()  # the off-season marks (a transactional test starts empty)
    factories.location("MYPKG", "Port Klang")
    factories.currency("USD")
    membership = factories.MembershipFactory(
        enterprise__name_zh="丹棱柑橘专业合作社",
        enterprise__name_en="Danling Citrus Cooperative",
        user__language=language,
    )
    citrus = factories.ProductFactory(
        enterprise=membership.enterprise,
        name_zh="丹棱晚熟柑橘",
        name_en="Danling late citrus",
        harvest_months=[2, 3, 4, 5],
    )
    # Another exporter's mandarin, harvested in winter: "available in March" leaves it out.
    factories.ProductFactory(
        name_zh="冬季蜜橘", name_en="Winter mandarin", harvest_months=[11, 12, 1]
    )
    return membership.user, citrus


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_a_buyer_finds_late_citrus_asks_accepts_and_the_draft_opens_with_readiness(
    person, live_server, browser, screenshot_dir
):
    owner, citrus = danling_cooperative(person.language)
    buyer = BuyerFactory(partner__name="Kedai Buah Segar Sdn Bhd")
    someone_at_buyer = buyer_person(buyer, language=person.language)
    today = timezone.localdate()
    citrus_name = "丹棱晚熟柑橘" if person.is_chinese else "Danling late citrus"

    # --- the buyer finds the citrus: available in March, market Malaysia ----------------------
    asking = Visit.start(browser, live_server.url, person)
    page = asking.page
    asking.sign_in(someone_at_buyer.email, DEFAULT_PASSWORD)
    asking.go("/catalogue/")
    asking.check()
    page.select_option("#id_month", "3")
    page.select_option("#id_market", "MY")
    page.get_by_role("button", name=asking.text("筛选", "Filter")).click()
    page.wait_for_url("**/catalogue/?*month=3*")
    assert "market=MY" in page.url
    cards = page.locator(".catalogue-card")
    assert cards.count() == 1  # the winter mandarin is not available in March
    assert citrus_name in cards.first.inner_text()
    asking.check()
    asking.screenshot(screenshot_dir, "buyer-catalogue")
    cards.first.get_by_role("link", name=citrus_name).click()
    page.wait_for_url(f"**/catalogue/{citrus.pk}/?market=MY")
    asking.check()

    # --- and sends an inquiry from the product's page -------------------------------------------
    page.locator("#send-inquiry").click()
    page.wait_for_url(re.compile(r"/desk/inquiries/new/\?product="))
    page.fill(f"#id_quantity_{citrus.pk}", "2000")
    page.select_option(f"#id_unit_{citrus.pk}", "kg")
    page.fill("#id_destination_search", "MYPKG")
    page.locator("#destination-MYPKG").wait_for()
    page.select_option("#id_incoterm", "CIF")
    page.fill("#id_delivery_from", (today + timedelta(days=30)).isoformat())
    page.fill("#id_delivery_to", (today + timedelta(days=60)).isoformat())
    page.fill("#id_notes", "5 kg cartons, English labels.")
    page.locator("button[name=step][value=check]").click()
    page.locator("button[name=step][value=send]").wait_for()
    asking.check()
    page.locator("button[name=step][value=send]").click()
    page.wait_for_url(re.compile(r"/desk/inquiries/\d+/$"))
    inquiry = Inquiry.objects.get()
    assert inquiry.items.get().product == citrus and inquiry.buyer == buyer
    asking.check()

    # --- the cooperative quotes from its portal -------------------------------------------------
    answering = Visit.start(browser, live_server.url, person)
    portal = answering.page
    answering.sign_in(owner.email, DEFAULT_PASSWORD)
    answering.go("/portal/inquiries/")
    answering.check()
    portal.locator(f"a[href='/portal/inquiries/{inquiry.pk}/']").first.click()
    portal.wait_for_url(f"**/portal/inquiries/{inquiry.pk}/")
    answering.check()
    portal.locator(f"a[href='/portal/inquiries/{inquiry.pk}/quote/']").click()
    item = inquiry.items.get()
    portal.fill(f"#id_price_{item.pk}", "3.20")
    portal.select_option("#id_currency", "USD")
    portal.fill("#id_valid_until", (today + timedelta(days=14)).isoformat())
    portal.fill("#id_lead_time_days", "10")
    answering.check()
    portal.locator("form:has(input[name=step][value=check]) button.button--primary").click()
    portal.locator("button[name=step][value=confirm]").wait_for()
    answering.check()
    portal.locator("button[name=step][value=confirm]").click()
    portal.wait_for_url(f"**/portal/inquiries/{inquiry.pk}/#timeline")
    quote = Quote.objects.get()
    assert quote.status == QuoteStatus.OPEN

    # --- the buyer accepts the quote on the desk ------------------------------------------------
    page.goto(f"{live_server.url}/desk/inquiries/{inquiry.pk}/")
    card = page.locator(f"#quote-{quote.pk}")
    assert card.get_by_text("6,400.00").count()  # 2000 kg × 3.20
    asking.check()
    card.locator("a.button--primary").click()
    page.wait_for_url(re.compile(r"/accept/\?quote=\d+$"))
    asking.check()
    page.locator("form button.button--primary").click()
    page.wait_for_url(re.compile(r"/desk/inquiries/\d+/$"))
    assert page.locator("#accepted").is_visible()
    asking.check()
    asking.screenshot(screenshot_dir, "buyer-accepted")

    # --- the shipment draft opens for the cooperative, with the readiness for Malaysia ----------
    draft = ShipmentDraft.objects.get()
    assert draft.enterprise == citrus.enterprise and draft.destination_id == "MYPKG"
    assert {entry["code"] for entry in draft.readiness} >= {"phytosanitary"}
    portal.goto(f"{live_server.url}/portal/inquiries/{inquiry.pk}/")
    portal.locator(f"a[href='/portal/shipments/drafts/{draft.pk}/']").first.click()
    portal.wait_for_url(re.compile(rf"/portal/shipments/drafts/{draft.pk}/$"))
    readiness = portal.locator("#readiness")
    assert readiness.get_by_text(
        answering.text("尚不能发往马来西亚", "Not ready for Malaysia yet"), exact=False
    ).count()
    assert readiness.get_by_text(
        answering.text("植物检疫证书", "Phytosanitary certificate")
    ).count()
    assert portal.get_by_text("Kedai Buah Segar Sdn Bhd").count()
    assert portal.locator(f"a[href='/portal/shipments/new/?draft={draft.pk}']").count()
    answering.check()
    answering.screenshot(screenshot_dir, "shipment-draft")

    answering.finish()
    asking.finish()
