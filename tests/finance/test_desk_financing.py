"""The financing desk of a bank or insurer (docs/desks.md, "Bank or insurer"): the requests routed
to it, the evidence in one view, its offers, and the offer form that calls the service the API
calls."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from finance.choices import OfferStatus, RequestStatus
from finance.models import FinancingEvidence, FinancingOffer
from logistics.models import TelemetrySummary
from tests import factories
from tests.certification.factories import CertificateFactory
from tests.finance.factories import (
    BankFactory,
    FinancingDocumentFactory,
    FinancingOfferFactory,
    routed_request,
)
from tests.logistics.factories import ExcursionFactory, ShipmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(db):
    return BankFactory(name="Bank of Chengdu", name_zh="成都银行")


@pytest.fixture
def rival(db):
    return BankFactory(name="Rival Bank", name_zh="对手银行")


@pytest.fixture
def officer(bank):
    return factories.PartnerUserFactory(partner=bank, language="en")


@pytest.fixture
def desk(client, officer):
    client.force_login(officer)
    return client


def linked_evidence(financing_request, *objects):
    """Evidence as `services.evidence_add` leaves it (its summary is not what the desk reads)."""
    for obj in objects:
        kind = "shipment" if hasattr(obj, "reference") else "certificate"
        FinancingEvidence.objects.create(
            request=financing_request, kind=kind, object_id=str(obj.pk), summary={}
        )


def backed_request(bank, **kwargs):
    """A routed request backed by a shipment (with readings and one excursion) and a
    certificate."""
    financing_request = routed_request(partners=[bank], **kwargs)
    enterprise = financing_request.enterprise
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
    linked_evidence(financing_request, shipment, certificate)
    return financing_request


def offer_data(**overrides) -> dict:
    valid_until = timezone.localtime() + timedelta(days=10)
    return {
        "amount": "1,000,000.00",
        "rate_percent": "3.65",
        "term_days": "90",
        "fees": "2000",
        "valid_until": valid_until.strftime("%Y-%m-%dT%H:%M"),
        "conditions": "Assignment of export proceeds",
        **overrides,
    }


def request_address(financing_request) -> str:
    return reverse("desk:financing-request", args=[financing_request.pk])


# --- the list -------------------------------------------------------------------------------


def test_the_list_shows_only_what_is_routed_to_the_partner(desk, bank, rival):
    mine = routed_request(partners=[bank], enterprise__name_en="Runzhao Fishery")
    theirs = routed_request(partners=[rival])
    response = desk.get(reverse("desk:financing"))
    assert response.status_code == 200
    html = response.content.decode()
    assert request_address(mine) in html
    assert "Runzhao Fishery" in html
    assert "¥1,000,000.00" in html or "1,000,000.00" in html
    assert request_address(theirs) not in html


def test_the_list_filters_by_what_the_request_is_to_us(desk, bank, rival):
    waiting = routed_request(partners=[bank, rival])
    offered = routed_request(partners=[bank], status=RequestStatus.OFFERED)
    FinancingOfferFactory(request=offered, partner=bank)
    accepted = routed_request(partners=[bank], status=RequestStatus.OFFERED)
    accepted.accepted_offer = FinancingOfferFactory(
        request=accepted, partner=bank, status=OfferStatus.ACCEPTED
    )
    accepted.status = RequestStatus.ACCEPTED
    accepted.accepted_at = timezone.now()
    accepted.save()
    withdrawn = routed_request(partners=[bank], status=RequestStatus.WITHDRAWN)
    # A rival's offer does not make a request "offered" for us.
    FinancingOfferFactory(request=waiting, partner=rival)

    shown = {}
    for tab in ("waiting", "offered", "accepted", "closed"):
        html = desk.get(reverse("desk:financing"), {"show": tab}).content.decode()
        shown[tab] = {
            item.pk
            for item in (waiting, offered, accepted, withdrawn)
            if request_address(item) in html
        }
    assert shown == {
        "waiting": {waiting.pk},
        "offered": {offered.pk},
        "accepted": {accepted.pk},
        "closed": {withdrawn.pk},
    }
    response = desk.get(reverse("desk:financing"))
    assert [(name, count) for name, _label, count in response.context["tabs"]] == [
        ("waiting", 1),
        ("offered", 1),
        ("accepted", 1),
        ("closed", 1),
    ]
    by_status = desk.get(reverse("desk:financing"), {"status": "withdrawn"}).content.decode()
    assert request_address(withdrawn) in by_status
    assert request_address(waiting) not in by_status


def test_the_list_reads_in_a_constant_number_of_queries(desk, bank, django_assert_num_queries):
    routed_request(partners=[bank])
    desk.get(reverse("desk:financing"))  # the first page of a session stores the session
    with CaptureQueriesContext(connection) as first:
        desk.get(reverse("desk:financing"))
    for _ in range(4):
        request = routed_request(partners=[bank], status=RequestStatus.OFFERED)
        FinancingOfferFactory(request=request, partner=bank)
    with django_assert_num_queries(len(first.captured_queries)):
        desk.get(reverse("desk:financing"))


# --- the request page -------------------------------------------------------------------------


def test_another_partners_request_is_not_found(desk, rival):
    theirs = routed_request(partners=[rival])
    assert desk.get(request_address(theirs)).status_code == 404
    assert desk.post(request_address(theirs), offer_data()).status_code == 404
    total = reverse("desk:financing-offer-total", args=[theirs.pk])
    assert desk.get(total, offer_data()).status_code == 404
    assert not FinancingOffer.objects.exists()


def test_the_request_page_shows_the_evidence(desk, bank):
    financing_request = backed_request(bank)
    FinancingDocumentFactory(request=financing_request, title="Sales contract.pdf")
    response = desk.get(request_address(financing_request))
    assert response.status_code == 200
    html = response.content.decode()
    assert "RZ-VN-2026-014" in html
    assert "Chengdu - Mohan/Boten" in html  # the route
    assert "4 °C to 8 °C" in html  # the band
    assert "288" in html  # readings
    assert "4.6 °C" in html  # the last reading
    assert "1 excursion" in html
    assert "25 minutes, peak 9.4 °C" in html
    assert "CITES-2026-000001-K" in html
    assert reverse("public:certificate", args=["CITES-2026-000001-K"]) in html
    document = financing_request.documents.get()
    download = reverse(
        "finance-request-document-download",
        kwargs={"request_pk": financing_request.pk, "pk": document.pk},
    )
    assert download in html
    assert desk.get(download).status_code == 200


def test_another_enterprises_shipment_is_never_shown_as_evidence(desk, bank):
    financing_request = routed_request(partners=[bank])
    stranger = ShipmentFactory(reference="OTHER-0001")
    linked_evidence(financing_request, stranger)
    assert "OTHER-0001" not in desk.get(request_address(financing_request)).content.decode()


def test_other_partners_offers_are_never_shown(desk, bank, rival):
    financing_request = routed_request(partners=[bank, rival], status=RequestStatus.OFFERED)
    FinancingOfferFactory(
        request=financing_request, partner=rival, rate_percent=Decimal("1.2345"), fees=777
    )
    FinancingOfferFactory(
        request=financing_request,
        partner=bank,
        rate_percent=Decimal("5.5"),
        status=OfferStatus.DECLINED,
    )
    response = desk.get(request_address(financing_request))
    html = response.content.decode()
    assert "5.5%" in html
    assert "1.2345" not in html
    assert "Rival Bank" not in html
    assert "777" not in html
    assert [offer.partner_id for offer in response.context["offers"]] == [bank.pk]
    offers = desk.get(reverse("desk:financing-offers")).content.decode()
    assert "1.2345" not in offers


def test_the_request_page_reads_in_a_constant_number_of_queries(
    desk, bank, django_assert_num_queries
):
    financing_request = backed_request(bank)
    desk.get(request_address(financing_request))  # the first page of a session stores the session
    with CaptureQueriesContext(connection) as first:
        desk.get(request_address(financing_request))
    enterprise = financing_request.enterprise
    for _ in range(3):
        shipment = ShipmentFactory(enterprise=enterprise)
        ExcursionFactory(shipment=shipment)
        linked_evidence(financing_request, shipment, CertificateFactory(enterprise=enterprise))
        FinancingDocumentFactory(request=financing_request)
        FinancingOfferFactory(request=financing_request, partner=bank, status=OfferStatus.EXPIRED)
    with django_assert_num_queries(len(first.captured_queries)):
        desk.get(request_address(financing_request))


# --- the offer form -------------------------------------------------------------------------


def test_an_offer_is_made_through_the_service(desk, bank, officer):
    financing_request = backed_request(bank)
    response = desk.post(request_address(financing_request), offer_data(), follow=True)
    offer = FinancingOffer.objects.get()
    assert (offer.partner, offer.created_by, offer.status) == (bank, officer, OfferStatus.PENDING)
    assert offer.amount == Decimal("1000000.00")
    assert offer.rate_percent == Decimal("3.65")
    assert offer.conditions == "Assignment of export proceeds"
    financing_request.refresh_from_db()
    assert financing_request.status == RequestStatus.OFFERED  # the service moved it
    html = response.content.decode()
    # 1,000,000 × 3.65% × 90/365 + 2,000 = 11,000.00
    assert "11,000.00" in html
    assert "Make an offer" not in html  # one pending offer at a time


def test_a_double_submit_makes_one_offer(desk, bank):
    financing_request = backed_request(bank)
    first = desk.post(request_address(financing_request), offer_data())
    second = desk.post(request_address(financing_request), offer_data())
    assert first.status_code == second.status_code == 302
    assert FinancingOffer.objects.count() == 1


def test_bad_input_shows_the_form_again_with_field_errors(desk, bank):
    financing_request = backed_request(bank)
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = desk.post(
        request_address(financing_request),
        offer_data(amount="1000000.001", valid_until=past),
    )
    assert response.status_code == 200
    assert "amount" in response.context["form"].errors  # yuan carry two decimals (the service)
    assert not FinancingOffer.objects.exists()
    response = desk.post(request_address(financing_request), offer_data(valid_until=past))
    assert "valid_until" in response.context["form"].errors
    response = desk.post(request_address(financing_request), offer_data(term_days="many"))
    assert "term_days" in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert not FinancingOffer.objects.exists()


def test_no_offer_form_once_the_request_stopped_taking_offers(desk, bank):
    financing_request = routed_request(partners=[bank], status=RequestStatus.WITHDRAWN)
    html = desk.get(request_address(financing_request)).content.decode()
    assert "Make an offer" not in html
    response = desk.post(request_address(financing_request), offer_data())
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not FinancingOffer.objects.exists()


def test_the_total_cost_partial_uses_the_apis_formula(desk, bank):
    financing_request = backed_request(bank)
    total = reverse("desk:financing-offer-total", args=[financing_request.pk])
    response = desk.get(total, offer_data(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "11,000.00" in html
    assert 'id="offer-total"' in html
    assert "<html" not in html  # a fragment
    incomplete = desk.get(total, offer_data(rate_percent="")).content.decode()
    assert "11,000.00" not in incomplete
    assert "once the amount, rate and term are filled in" in incomplete


def test_the_form_asks_for_the_total_as_it_is_typed(desk, bank):
    financing_request = backed_request(bank)
    html = desk.get(request_address(financing_request)).content.decode()
    total = reverse("desk:financing-offer-total", args=[financing_request.pk])
    assert f'hx-get="{total}"' in html
    assert 'hx-trigger="input changed delay:300ms"' in html
    # The initial figures (the request's amount and term, no rate yet) show no total.
    assert "once the amount, rate and term are filled in" in html


# --- our offers -------------------------------------------------------------------------------


def test_our_offers_lists_outcomes_with_their_totals(desk, bank, rival):
    pending = FinancingOfferFactory(
        request=routed_request(partners=[bank], status=RequestStatus.OFFERED), partner=bank
    )
    declined = FinancingOfferFactory(
        request=routed_request(partners=[bank], status=RequestStatus.OFFERED),
        partner=bank,
        status=OfferStatus.DECLINED,
    )
    FinancingOfferFactory(
        request=routed_request(partners=[rival], status=RequestStatus.OFFERED), partner=rival
    )
    response = desk.get(reverse("desk:financing-offers"))
    assert [offer.pk for offer in response.context["page_obj"]] == [declined.pk, pending.pk]
    # 1,000,000 × 4.25% × 90/365 + 500 = 10,979.45
    assert "10,979.45" in response.content.decode()
    assert dict((v, n) for v, _label, n in response.context["outcomes"])["declined"] == 1
    only_pending = desk.get(reverse("desk:financing-offers"), {"outcome": "pending"})
    assert [offer.pk for offer in only_pending.context["page_obj"]] == [pending.pk]
