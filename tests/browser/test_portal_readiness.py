"""Journey 5: market readiness. A citrus cooperative asks what Germany requires of its mandarins,
sees GlobalG.A.P. missing and follows the link to a pre-filled application."""

import pytest

from certification import catalogue
from tests import factories
from tests.factories import DEFAULT_PASSWORD

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_a_cooperative_checks_a_market_and_applies_for_what_is_missing(
    person, live_server, browser, screenshot_dir
):
    catalogue.load()
    factories.country("DE", "Germany", ("EU",))
    membership = factories.MembershipFactory()
    factories.ProductFactory(enterprise=membership.enterprise)

    visit = Visit.start(browser, live_server.url, person)
    page = visit.page
    visit.sign_in(membership.user.email, DEFAULT_PASSWORD)
    visit.go("/portal/readiness/")
    visit.check()
    page.select_option("#id_destination", "DE")
    page.get_by_label(visit.text("爱媛柑橘", "Ai Yuan mandarin"), exact=False).check()
    page.get_by_role("button", name=visit.text("检查准入情况", "Check readiness")).click()
    page.locator("#readiness-title").wait_for()
    assert page.get_by_text(visit.text("尚未就绪", "Not ready")).is_visible()
    visit.check()
    visit.screenshot(screenshot_dir, "readiness")

    results = page.locator("#readiness")
    results.get_by_role("link", name=visit.text("申请", "Apply for"), exact=False).first.click()
    page.wait_for_url("**/certification/applications/new/**")
    assert page.locator("input[value=GLOBALGAP]").is_checked()
    visit.check()
    visit.finish()
