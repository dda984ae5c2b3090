"""An exporter answers a buyer abroad: from the home's card of inquiries waiting for an answer to
the inquiry, a message in the timeline, a quote through the check step, and the quote open."""

from decimal import Decimal

import pytest

from tests import factories
from tests.factories import DEFAULT_PASSWORD
from tests.trade.factories import BuyerFactory, InquiryFactory
from trade.choices import QuantityUnit
from trade.models import InquiryMessage, Quote

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_an_exporter_answers_a_waiting_inquiry_with_a_quote(
    person, live_server, browser, screenshot_dir
):
    factories.currency("USD")
    factories.country("MY", "Malaysia")
    membership = factories.MembershipFactory(
        enterprise__name_zh="丹棱县橘橙专业合作社",
        enterprise__name_en="Danling Citrus Cooperative",
        user__language=person.language,
    )
    member = membership.user
    citrus = factories.ProductFactory(
        enterprise=membership.enterprise, name_zh="不知火", name_en="Dekopon late citrus"
    )
    inquiry = InquiryFactory(
        enterprise=citrus.enterprise,
        buyer=BuyerFactory(partner__name="Kedai Buah Segar Sdn Bhd"),
        items=[{"product": citrus, "quantity": Decimal("2000"), "unit": QuantityUnit.KG}],
    )
    visit = Visit.start(browser, live_server.url, person)
    page = visit.page
    visit.sign_in(member.email, DEFAULT_PASSWORD)

    # The home's card leads to the inquiries waiting for an answer.
    visit.go("/portal/")
    card = page.locator(".home-inquiries")
    assert card.get_by_text(
        visit.text("待答复的询盘", "Inquiries waiting for an answer")
    ).is_visible()
    visit.check()
    card.get_by_role("link", name=visit.text("答复询盘", "Answer the inquiries")).click()
    page.wait_for_url("**/portal/inquiries/?waiting=1")
    assert page.get_by_text("Kedai Buah Segar Sdn Bhd").is_visible()
    visit.check()
    page.locator(f'a[href="/portal/inquiries/{inquiry.pk}/"]').first.click()
    page.wait_for_url(f"**/portal/inquiries/{inquiry.pk}/")
    visit.check()

    # A message appears in the timeline (htmx, in place).
    page.get_by_label(visit.text("给买家的留言", "Your message to the buyer")).fill(
        "Harvest starts in March; we pack 10 kg cartons."
    )
    page.get_by_role("button", name=visit.text("发送留言", "Send the message")).click()
    timeline = page.locator("#timeline")
    timeline.get_by_text("Harvest starts in March; we pack 10 kg cartons.").wait_for()
    assert InquiryMessage.objects.filter(inquiry=inquiry, side="enterprise").count() == 1

    # The quote, then the check step, then sent.
    page.get_by_role("link", name=visit.text("发送报价", "Send a quote")).click()
    page.wait_for_url(f"**/portal/inquiries/{inquiry.pk}/quote/")
    page.get_by_label(visit.text("单价", "Unit price")).fill("1.85")
    page.get_by_label(visit.text("交货周期（天）", "Lead time (days)")).fill("12")
    visit.check()
    page.get_by_role("button", name=visit.text("核对报价", "Check the quote")).click()
    heading = visit.text("发送前请核对报价", "Check your quote before you send it")
    assert page.get_by_role("heading", name=heading).is_visible()
    assert not Quote.objects.exists()
    visit.check()
    page.get_by_role("button", name=visit.text("发送报价", "Send the quote")).click()
    page.wait_for_url(f"**/portal/inquiries/{inquiry.pk}/#timeline")

    quote = Quote.objects.get(inquiry=inquiry)
    assert quote.lines.get().unit_price == Decimal("1.85") and quote.lead_time_days == 12
    assert page.locator("#timeline .badge").first.is_visible()
    visit.check()
    visit.screenshot(screenshot_dir, "inquiry-quoted")
    visit.finish()
