"""Journey 6, first half: a cooperative books a cold-chain shipment to Kuala Lumpur. It finds the
destination by typing, picks the carrier, adds its products in kg and jin, sees the band the
products allow (and the clash when one does not fit), books, and reads what the destination still
requires before dispatch. (Documents, dispatch and cancel: tests/logistics/test_portal_booking.py.)"""

import pytest
from django.utils import timezone

from logistics.models import Shipment
from tests import factories
from tests.certification.factories import MarketRequirementFactory
from tests.logistics.factories import booking_places

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


def cooperative(language: str):
    membership = factories.MembershipFactory(
        enterprise__name_zh="新津柑橘合作社",
        enterprise__name_en="Xinjin Citrus Cooperative",
        user__language=language,
    )
    enterprise = membership.enterprise
    booking_places()
    factories.PartnerFactory(name="Sichuan Cold Chain Logistics", name_zh="四川冷链物流")
    factories.ProductFactory(enterprise=enterprise, name_zh="爱媛柑橘", name_en="Ai Yuan mandarin")
    factories.ProductFactory(
        enterprise=enterprise, name_zh="血橙", name_en="Blood orange", temp_min_c=3, temp_max_c=7
    )
    factories.ProductFactory(
        enterprise=enterprise,
        name_zh="鲟鱼子酱",
        name_en="Sturgeon caviar",
        temp_min_c=-2,
        temp_max_c=2,
    )
    MarketRequirementFactory(scheme=None, document_type="phytosanitary")
    return membership.user


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_a_cooperative_books_a_shipment(person, live_server, browser, screenshot_dir):
    user = cooperative(person.language)
    visit = Visit.start(browser, live_server.url, person)
    page = visit.page
    visit.sign_in(user.email, factories.DEFAULT_PASSWORD)
    visit.go("/portal/shipments/new/")
    visit.check()

    page.fill("#id_reference", "XJ-2026-014")
    page.fill("#id_destination_search", "kuala")
    destination = page.get_by_label("(MYKUL)", exact=False)
    destination.first.wait_for()
    destination.first.check()
    year = timezone.localdate().year + 1
    page.fill("#id_planned_departure", f"{year}-01-12T08:00")
    page.fill("#id_planned_arrival", f"{year}-01-17T18:00")
    page.select_option(
        "#id_carrier", label=visit.text("四川冷链物流", "Sichuan Cold Chain Logistics")
    )
    page.fill("#id_consignee_name", "Pasar Borong Selayang")

    band = page.locator("#booking-band")
    page.select_option("#id_items-0-product", label=visit.text("爱媛柑橘", "Ai Yuan mandarin"))
    band.get_by_text("4.0").wait_for()
    page.fill("#id_items-0-quantity", "2400")
    page.select_option("#id_items-0-unit", "jin")
    page.fill("#id_items-0-declared_value", "8000")

    page.get_by_role("button", name=visit.text("再添加一种产品", "Add another product")).click()
    page.locator("#id_items-1-product").wait_for()
    page.select_option("#id_items-1-product", label=visit.text("鲟鱼子酱", "Sturgeon caviar"))
    band.get_by_text(visit.text("这些产品不能同车运输", "cannot travel together")).wait_for()
    visit.check()
    visit.screenshot(screenshot_dir, "booking")

    page.select_option("#id_items-1-product", label=visit.text("血橙", "Blood orange"))
    band.get_by_text(visit.text("4.0～7.0 °C", "4.0 to 7.0 °C")).wait_for()
    page.fill("#id_items-1-quantity", "500")
    page.fill("#id_items-1-declared_value", "3000")

    page.get_by_role("button", name=visit.text("提交订舱", "Book the shipment")).click()
    page.wait_for_url("**/portal/shipments/*/")
    shipment = Shipment.objects.get()
    assert page.url.endswith(f"/portal/shipments/{shipment.pk}/")
    message = page.locator(".message--success")
    assert "XJ-2026-014" in message.inner_text()
    assert visit.text("植物检疫证书", "Phytosanitary certificate") in message.inner_text()
    assert shipment.destination_id == "MYKUL"
    assert [str(item.net_kg) for item in shipment.items.order_by("id")] == ["1200.000", "500.000"]
    visit.check()
    visit.finish()
