"""The bank's desk: a trade-finance officer signs in on the portal's sign-in page, lands on the
desk, opens the request routed to the bank, reads its evidence (the shipment's cold-chain record
and the certificate), types an offer and sees its total cost before sending it, sends it, finds it
pending under "our offers" and, once the exporter accepted it (through the service, as the
exporter's portal does), accepted."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agri_platform.accounts.choices import MembershipRole
from finance import services
from finance.models import FinancingEvidence, FinancingOffer
from logistics.models import TelemetrySummary
from tests import factories
from tests.certification.factories import CertificateFactory
from tests.factories import DEFAULT_PASSWORD
from tests.finance.factories import BankFactory, routed_request
from tests.logistics.factories import ExcursionFactory, ShipmentFactory

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


def backed_request(bank, enterprise):
    """A pre-shipment loan routed to the bank, backed by a caviar shipment with its cold-chain
    record (one short excursion) and a CITES certificate."""
    financing_request = routed_request(
        partners=[bank], enterprise=enterprise, purpose="Caviar order for Ho Chi Minh City"
    )
    shipment = ShipmentFactory(enterprise=enterprise, reference="RZ-VN-2026-014")
    TelemetrySummary.objects.filter(shipment=shipment).update(
        reading_count=288,
        in_band_count=283,
        temp_min_c=3.1,
        temp_max_c=9.4,
        temp_sum=288 * 5.0,
        first_reading_at=timezone.now() - timedelta(days=1),
        last_reading_at=timezone.now() - timedelta(minutes=5),
        last_temp_c=4.6,
        excursion_count=1,
        excursion_minutes=25,
    )
    ExcursionFactory(shipment=shipment, peak_c=9.4, duration_minutes=25)
    certificate = CertificateFactory(enterprise=enterprise, number="CITES-2026-000001-K")
    for kind, obj in (("shipment", shipment), ("certificate", certificate)):
        FinancingEvidence.objects.create(
            request=financing_request, kind=kind, object_id=str(obj.pk), summary={}
        )
    return financing_request


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_a_banks_officer_reads_the_evidence_and_makes_an_offer_that_is_accepted(
    person, live_server, browser, screenshot_dir
):
    owner = factories.MembershipFactory(
        role=MembershipRole.OWNER,
        enterprise__name_zh="润兆渔业",
        enterprise__name_en="Runzhao Fishery",
    )
    bank = BankFactory(name="Bank of Chengdu", name_zh="成都银行")
    officer = factories.PartnerUserFactory(partner=bank, language=person.language)
    financing_request = backed_request(bank, owner.enterprise)
    request_path = f"/desk/financing/{financing_request.pk}/"

    visit = Visit.start(browser, live_server.url, person)
    page = visit.page
    visit.sign_in(officer.email, DEFAULT_PASSWORD)

    # The desk, then the requests routed to the bank.
    assert page.url.endswith("/desk/")
    visit.check()
    page.locator("#main").get_by_role(
        "link", name=visit.text("融资申请", "Financing requests")
    ).click()
    page.wait_for_url("**/desk/financing/")
    visit.check()
    assert page.get_by_text(visit.text("润兆渔业", "Runzhao Fishery")).is_visible()

    # The request: its evidence in one view.
    page.locator(f'a[href="{request_path}"]').click()
    page.wait_for_url(f"**{request_path}")
    visit.check()
    evidence = page.locator("#main")
    assert "RZ-VN-2026-014" in evidence.inner_text()
    assert "9.4 °C" in evidence.inner_text()  # the excursion's peak
    assert "288" in evidence.inner_text()  # readings
    assert "CITES-2026-000001-K" in evidence.inner_text()

    # The offer: the total cost follows the figures as they are typed.
    total = page.locator("#offer-total")
    figure = visit.text("1.1万", "11,000.00")  # 1,000,000 × 3.65% × 90/365 + 2,000
    page.fill("#id_rate_percent", "3.65")
    page.fill("#id_fees", "2000")
    page.wait_for_function(
        "figure => document.querySelector('#offer-total').textContent.includes(figure)", arg=figure
    )
    assert figure in total.inner_text()
    visit.check()
    visit.screenshot(screenshot_dir, "desk-financing")
    page.fill("#id_conditions", visit.text("出口收汇账户质押", "Assignment of export proceeds"))
    page.get_by_role("button", name=visit.text("发送报价", "Send the offer")).click()
    page.wait_for_load_state()
    page.wait_for_url(f"**{request_path}")
    visit.check()
    assert figure in page.locator(".message").first.inner_text()
    offer = FinancingOffer.objects.get()
    assert (offer.partner, offer.status) == (bank, "pending")

    # Our offers: pending, then accepted once the exporter accepted it.
    visit.go("/desk/financing/offers/")
    visit.check()
    row = page.locator("table tbody tr").first
    assert visit.text("待处理", "Pending") in row.inner_text()
    assert figure in row.inner_text()
    visit.screenshot(screenshot_dir, "desk-offers")
    services.offer_accept(actor=owner.user, offer=offer)
    page.reload()
    visit.check()
    assert visit.text("已接受", "Accepted") in page.locator("table tbody tr").first.inner_text()
    visit.finish()
