"""Journey 7: an exporter asks for a pre-shipment loan backed by its own shipment and certificate,
submits it, compares the banks' offers side by side, accepts the cheapest, sees the money paid out,
and withdraws another request. The platform's officer and the banks act through the services, as
their systems do through the API, between the exporter's steps."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from agri_platform.accounts.choices import StaffRole
from finance import services
from finance.models import FinancingRequest
from tests import factories
from tests.certification.factories import CertificateFactory
from tests.factories import DEFAULT_PASSWORD
from tests.finance.factories import BankFactory
from tests.logistics.factories import ShipmentFactory

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


def bank_offers(financing_request, banks_and_rates):
    """Each bank's system posts its offer (POST /api/v1/finance/requests/{id}/offers/)."""
    for bank, rate in banks_and_rates:
        services.offer_create(
            actor=factories.PartnerUserFactory(partner=bank),
            financing_request=financing_request,
            amount=financing_request.amount,
            rate_percent=Decimal(rate),
            term_days=financing_request.term_days,
            fees=Decimal("2000.00"),
            conditions="",
            valid_until=timezone.now() + timedelta(days=14),
        )


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_an_exporter_finances_a_shipment_compares_offers_and_sees_the_money_paid_out(
    person, live_server, browser, screenshot_dir
):
    owner = factories.MembershipFactory(
        enterprise__name_zh="润兆渔业", enterprise__name_en="Runzhao Fishery"
    )
    enterprise, user = owner.enterprise, owner.user
    factories.currency("CNY", 2)
    ShipmentFactory(enterprise=enterprise, reference="RZ-VN-2026-014")
    CertificateFactory(enterprise=enterprise, number="CITES-2026-000001-K")
    dear = BankFactory(name="Bank of Chengdu", name_zh="成都银行")
    cheap = BankFactory(name="Sichuan Rural Bank", name_zh="四川农商银行")
    officer = factories.StaffUserFactory(staff_role=StaffRole.OFFICER)
    spare = services.request_create(
        actor=user,
        enterprise=enterprise,
        kind="fx_settlement",
        amount=Decimal("50000.00"),
        currency=factories.currency("CNY", 2),
        term_days=30,
        purpose="Settle the Kuala Lumpur invoice",
    )

    visit = Visit.start(browser, live_server.url, person)
    page = visit.page
    visit.sign_in(user.email, DEFAULT_PASSWORD)

    # The requests, then the form.
    visit.go("/portal/finance/")
    visit.check()
    page.get_by_role("link", name=visit.text("申请融资", "Request financing"), exact=True).click()
    page.wait_for_url("**/portal/finance/new/")
    visit.check()
    page.get_by_label(visit.text("装运前贷款", "Pre-shipment loan")).check()
    page.fill("#id_amount", "2,000,000.001")  # one decimal too many for yuan
    page.select_option("#id_currency", "CNY")
    page.fill("#id_term_days", "90")
    page.fill("#id_purpose", "Caviar order for Ho Chi Minh City")
    page.check("#id_shipments_0")
    page.check("#id_certificates_0")
    save = visit.text("保存并检查", "Save and check")
    page.get_by_role("button", name=save).click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#id_amount_error").is_visible()
    visit.check()
    page.fill("#id_amount", "2,000,000.00")
    page.get_by_role("button", name=save).click()

    # Check the answers, then submit.
    page.wait_for_url("**/submit/")
    assert page.get_by_text("RZ-VN-2026-014").is_visible()
    assert page.get_by_text("CITES-2026-000001-K").is_visible()
    visit.check()
    page.get_by_role("button", name=visit.text("提交申请", "Submit the request")).click()
    page.wait_for_load_state()
    financing_request = FinancingRequest.objects.exclude(pk=spare.pk).get()
    assert financing_request.status == "submitted"
    assert page.locator(".badge").first.inner_text() == visit.text("已提交", "Submitted")
    visit.check()

    # The officer routes it to two banks; both answer.
    services.request_route(
        actor=officer, financing_request=financing_request, partners=[dear, cheap]
    )
    bank_offers(financing_request, [(dear, "5.0000"), (cheap, "4.0000")])

    page.reload()
    cheapest = page.locator("tr.offer--cheapest")
    bank = visit.text("四川农商银行", "Sichuan Rural Bank")
    assert cheapest.get_by_text(bank, exact=True).is_visible()
    assert cheapest.get_by_text(visit.text("总成本最低", "Lowest total cost")).is_visible()
    assert page.locator("table.offers tbody tr").count() == 2
    visit.check()
    visit.screenshot(screenshot_dir, "finance")

    # Accept the cheapest: the page says once what happens to the other offer.
    cheapest.get_by_role("link").click()
    page.wait_for_url("**/accept/")
    assert page.get_by_text(visit.text("成都银行", "Bank of Chengdu")).is_visible()
    visit.check()
    page.get_by_role("button", name=visit.text("接受此报价", "Accept this offer")).click()
    page.wait_for_url(f"**/portal/finance/{financing_request.pk}/")
    assert page.locator(".message--success").first.is_visible()
    visit.check()

    # The bank pays out.
    financing_request.refresh_from_db()
    services.request_disburse(
        actor=officer, financing_request=financing_request, reference="LN-2026-0042"
    )
    page.reload()
    paid = page.locator(".disbursement")
    assert paid.get_by_text(bank, exact=True).is_visible()
    assert paid.get_by_text("LN-2026-0042").is_visible()
    visit.check()

    # The other request is no longer needed: withdraw it.
    visit.go("/portal/finance/")
    page.locator(f'a[href="/portal/finance/{spare.pk}/"]').click()
    withdraw = visit.text("撤回申请", "Withdraw the request")
    page.get_by_role("link", name=withdraw).click()
    page.wait_for_url("**/withdraw/")
    visit.check()
    page.fill("#id_reason", "The buyer paid in advance.")
    page.get_by_role("button", name=withdraw).click()
    page.wait_for_url(f"**/portal/finance/{spare.pk}/")
    assert page.locator(".badge").first.inner_text() == visit.text("已撤回", "Withdrawn")
    visit.check()
    visit.finish()
