"""The buyer's desk: a buyer opens a product's inquiry form from its catalogue address, fills it in,
checks the answers and sends; the exporter quotes (through the factories, as the exporter's side
is another page); the buyer reads the quote and accepts it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from tests.factories import DEFAULT_PASSWORD
from tests.trade.factories import BuyerFactory, QuoteFactory
from trade.choices import InquiryStatus, QuoteStatus
from trade.models import Inquiry

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_a_buyer_asks_for_late_citrus_and_accepts_the_quote(
    person, live_server, browser, screenshot_dir
):
    factories.location("MYPKG", "Port Klang")
    citrus = factories.ProductFactory(
        name_zh="丹棱晚熟柑橘",
        name_en="Danling late citrus",
        enterprise__name_zh="丹棱柑橘合作社",
        enterprise__name_en="Danling Citrus Cooperative",
    )
    buyer = BuyerFactory(partner__name="Kedai Buah Segar Sdn Bhd")
    person_of_buyer = factories.UserFactory(partner=buyer.partner, language=person.language)
    today = timezone.localdate()
    visit = Visit.start(browser, live_server.url, person)
    page = visit.page
    visit.sign_in(person_of_buyer.email, DEFAULT_PASSWORD)

    # The inquiry form, opened from the catalogue's "send an inquiry" address.
    visit.go(f"/desk/inquiries/new/?product={citrus.pk}")
    assert page.locator(
        "legend", has_text=visit.text("丹棱晚熟柑橘", "Danling late citrus")
    ).count()
    visit.check()
    page.fill(f"#id_quantity_{citrus.pk}", "2000")
    page.select_option(f"#id_unit_{citrus.pk}", "kg")
    page.fill("#id_destination_search", "MYPKG")
    page.locator("#destination-MYPKG").wait_for()
    page.select_option("#id_incoterm", "CIF")
    page.fill("#id_delivery_from", (today + timedelta(days=30)).isoformat())
    page.fill("#id_delivery_to", (today + timedelta(days=60)).isoformat())
    page.fill("#id_notes", "5 kg cartons, English labels.")
    page.locator("button[name=step][value=check]").click()

    # Check your answers, then send.
    page.locator("button[name=step][value=send]").wait_for()
    assert page.get_by_text("Port Klang").count()
    visit.check()
    page.locator("button[name=step][value=send]").click()
    page.wait_for_url(re.compile(r"/desk/inquiries/\d+/$"))
    inquiry = Inquiry.objects.get()
    assert inquiry.items.get().product == citrus
    visit.check()

    # The exporter quotes; the buyer reads the quote on the inquiry's page and accepts it.
    quote = QuoteFactory(inquiry=inquiry)
    Inquiry.objects.filter(pk=inquiry.pk).update(status=InquiryStatus.QUOTED)
    page.goto(f"{live_server.url}/desk/inquiries/{inquiry.pk}/")
    card = page.locator(f"#quote-{quote.pk}")
    assert card.get_by_text("37,000.00").count()  # 2000 kg × 18.50
    visit.check()
    card.locator("a.button--primary").click()
    page.wait_for_url(re.compile(r"/accept/\?quote=\d+$"))
    visit.check()
    page.locator("form button.button--primary").click()
    page.wait_for_url(re.compile(r"/desk/inquiries/\d+/$"))
    assert page.locator("#accepted").is_visible()
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ACCEPTED
    visit.check()
    visit.screenshot(screenshot_dir, "buyer-inquiry")
    visit.finish()
