"""Promotion events: an exporter signs up for the Singapore tasting with its late citrus
(choosing the product, checking its answers), then a visitor opens the event's public page and
finds the cooperative and its citrus there, with the way to ask for a quote."""

import pytest

from tests import factories
from tests.factories import DEFAULT_PASSWORD
from tests.trade.factories import PromotionEventFactory
from trade.choices import ParticipantStatus

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_an_exporter_signs_up_for_the_singapore_tasting_and_a_visitor_sees_it(
    person, live_server, browser, screenshot_dir
):
    member = factories.MembershipFactory(
        enterprise__name_zh="丹棱晚熟柑橘合作社", enterprise__name_en="Danling Late Citrus Co-op"
    ).user
    enterprise = member.memberships.get().enterprise
    citrus = factories.ProductFactory(
        enterprise=enterprise, name_zh="丹棱晚熟柑橘", name_en="Danling late citrus"
    )
    factories.ProductFactory(enterprise=enterprise, name_zh="柠檬", name_en="Lemon")
    event = PromotionEventFactory(
        title_zh="新加坡四川晚熟柑橘品鉴会", title_en="Sichuan late citrus tasting, Singapore"
    )
    visit = Visit.start(browser, live_server.url, person)
    page = visit.page
    visit.sign_in(member.email, DEFAULT_PASSWORD)

    # The exporter's promotion events: the tasting is open for sign-up.
    visit.go("/portal/promotions/")
    visit_title = visit.text(event.title_zh, event.title_en)
    assert page.get_by_role("heading", name=visit_title).is_visible()
    visit.check()
    page.get_by_role("link", name=visit.text("报名", "Sign up")).first.click()

    # Choose the citrus, add a note, check the answers, sign up.
    page.get_by_label(visit.text(citrus.name_zh, citrus.name_en)).check()
    page.get_by_label(
        visit.text("给主办方的备注（选填）", "Note for the organisers (optional)")
    ).fill("Samples: 2 cartons")
    visit.check()
    page.get_by_role("button", name=visit.text("继续", "Continue")).click()
    assert page.get_by_role(
        "heading", name=visit.text("核对您填写的内容", "Check your answers")
    ).is_visible()
    visit.check()
    page.get_by_role("button", name=visit.text("报名", "Sign up")).click()
    page.wait_for_url("**/portal/promotions/")
    assert page.get_by_text(
        visit.text("已报名参加此活动。", "You take part in this event.")
    ).is_visible()
    participant = event.participants.get()
    assert participant.status == ParticipantStatus.SIGNED_UP
    assert list(participant.products.all()) == [citrus]
    visit.check()
    visit.screenshot(screenshot_dir, "promotion-signup")

    # A visitor (signed out) opens the event page and sees the cooperative and its citrus.
    page.context.clear_cookies()
    visit.go("/promotions/")
    page.get_by_role("link", name=visit_title).click()
    title = visit.text(enterprise.name_zh, enterprise.name_en)
    assert page.get_by_role("link", name=title).is_visible()
    product_link = page.get_by_role(
        "link", name=visit.text(citrus.name_zh, citrus.name_en), exact=True
    )
    assert product_link.get_attribute("href") == f"/catalogue/{citrus.pk}/"
    inquiry = page.get_by_role("link", name=visit.text("发送询盘", "Send an inquiry")).first
    assert inquiry.get_attribute("href") == (
        f"/desk/inquiries/new/?product={citrus.pk}&event={event.pk}"
    )
    visit.check()
    visit.screenshot(screenshot_dir, "promotion-event")
    visit.finish()
