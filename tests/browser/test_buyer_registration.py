"""A restaurant in Singapore registers as a buyer, confirms the e-mail link, signs in and lands on
its desk with the pending banner; staff verify it and the banner is gone."""

from urllib.parse import urlsplit

import pytest

from tests import factories
from tests.accounts.mailbox import link_in_last_email
from trade.choices import BuyerStatus
from trade.models import Buyer
from trade.services.buyers import buyer_verify

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "Chilli-oil-noodles-88"


def submit(visit: Visit, chinese: str, english: str) -> None:
    visit.page.get_by_role("button", name=visit.text(chinese, english), exact=True).click()
    visit.page.wait_for_load_state()


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_a_restaurant_in_singapore_registers_confirms_and_is_verified(
    person, live_server, browser, screenshot_dir, eager_tasks
):
    factories.country("SG", "Singapore")
    email = f"chef-{person.short}@lioncity.example.sg"
    visit = Visit.start(browser, live_server.url, person)
    page = visit.page

    # From the sign-in page's link to the registration form.
    visit.go("/portal/login/")
    page.get_by_role("link", name=visit.text("注册成为采购商", "Register as a buyer")).click()
    page.wait_for_url("**/buyers/register/")
    visit.check()

    # A first try without the company: the summary and the field say so.
    page.get_by_label(visit.text("您的姓名", "Your name")).fill("Tan Mei Ling")
    page.get_by_label(visit.text("电子邮箱", "E-mail address")).fill(email)
    page.fill("#id_password", PASSWORD)
    page.select_option("#id_country", "SG")
    page.get_by_label(visit.text("餐厅", "Restaurant"), exact=True).check()
    page.get_by_label(visit.text("城市", "City")).fill("Singapore")
    submit(visit, "注册成为采购商", "Register as a buyer")
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#id_company_error").is_visible()
    visit.check()

    page.fill("#id_password", PASSWORD)
    page.get_by_label(visit.text("公司名称", "Company name")).fill(
        f"Lion City Sichuan Kitchen {person.short} Pte Ltd"
    )
    visit.screenshot(screenshot_dir, "buyer-register")
    submit(visit, "注册成为采购商", "Register as a buyer")
    page.wait_for_url("**/buyers/register/done/")
    assert email in page.locator("main").inner_text()
    visit.check()

    # The confirmation link from the e-mail, then sign in: a buyer's person lands on the desk.
    link = link_in_last_email(email, "confirm-email")
    visit.go(urlsplit(link["url"]).path)
    submit(visit, "确认", "Confirm")
    visit.sign_in(email, PASSWORD)
    page.wait_for_url("**/desk/")
    assert page.locator(".buyer-status").is_visible()
    visit.check()
    visit.screenshot(screenshot_dir, "buyer-desk-pending")

    # Staff verify the buyer; the banner is gone and the profile says verified.
    buyer = Buyer.objects.get(partner__users__email=email)
    assert buyer.status == BuyerStatus.PENDING
    buyer_verify(actor=factories.StaffUserFactory(), buyer=buyer)
    visit.go("/desk/")
    assert page.locator(".buyer-status").count() == 0
    visit.go("/desk/buyer/")
    assert page.locator(".badge").first.inner_text().strip() == visit.text("已核验", "Verified")
    visit.check()
    visit.finish()
