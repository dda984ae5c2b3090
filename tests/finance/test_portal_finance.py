"""The finance pages of the portal (journey 7): a request from the form to the disbursement, every
change made by the service the API calls."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from agri_platform.accounts.choices import MembershipRole
from agri_platform.events.models import Event
from enterprises.choices import VerificationStatus
from finance import services
from finance.choices import OfferStatus, RequestStatus
from finance.models import FinancingRequest
from tests import factories
from tests.certification.factories import CertificateFactory
from tests.finance.factories import FinancingOfferFactory, FinancingRequestFactory, routed_request
from tests.logistics.factories import ShipmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return factories.MembershipFactory(role=MembershipRole.OWNER, user__language="en").user


@pytest.fixture
def enterprise(owner):
    return owner.memberships.get().enterprise


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def chinese(client, user):
    user.language = "zh-hans"
    user.save(update_fields=["language"])
    return client


def new_request_data(**overrides) -> dict:
    return {
        "kind": "pre_shipment_loan",
        "amount": "2,000,000.00",
        "currency": "CNY",
        "term_days": "90",
        "purpose": "Caviar order for Ho Chi Minh City",
        **overrides,
    }


def offered_request(enterprise, *rates_and_fees):
    financing_request = routed_request(
        enterprise=enterprise,
        partners=[],
        status=RequestStatus.OFFERED,
        amount=Decimal("2000000.00"),
    )
    offers = [
        FinancingOfferFactory(
            request=financing_request,
            partner__name=f"Bank {name}",
            rate_percent=Decimal(rate),
            fees=Decimal(fees),
        )
        for name, rate, fees in rates_and_fees
    ]
    return financing_request, offers


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_the_enterprises_requests_with_their_status_and_nobody_elses(
    signed_in, enterprise
):
    mine = FinancingRequestFactory(enterprise=enterprise, status=RequestStatus.SUBMITTED)
    theirs = FinancingRequestFactory()
    page = signed_in.get(reverse("portal:finance")).content.decode()
    assert reverse("portal:finance-request", args=[mine.pk]) in page
    assert reverse("portal:finance-request", args=[theirs.pk]) not in page
    assert "badge--pending" in page and "Submitted" in page


def test_the_list_filters_by_status_in_the_query_string(signed_in, enterprise):
    draft = FinancingRequestFactory(enterprise=enterprise)
    withdrawn = FinancingRequestFactory(enterprise=enterprise, status=RequestStatus.WITHDRAWN)
    page = signed_in.get(reverse("portal:finance"), {"status": "withdrawn"}).content.decode()
    assert reverse("portal:finance-request", args=[withdrawn.pk]) in page
    assert reverse("portal:finance-request", args=[draft.pk]) not in page


def test_an_empty_list_says_what_to_do(signed_in):
    page = signed_in.get(reverse("portal:finance")).content.decode()
    assert "You have not asked for financing yet" in page
    assert reverse("portal:finance-new") in page


# --- a new request ---------------------------------------------------------------------------------


def test_the_form_offers_only_the_enterprises_own_shipments_and_certificates(signed_in, enterprise):
    own_shipment = ShipmentFactory(enterprise=enterprise, reference="RZ-VN-2026-014")
    own_certificate = CertificateFactory(enterprise=enterprise, number="CITES-2026-000001-K")
    ShipmentFactory(reference="OTHER-SHIPMENT")
    form = signed_in.get(reverse("portal:finance-new")).context["form"]
    assert [label for _, label in form.fields["shipments"].choices] == [
        f"RZ-VN-2026-014 to Kuala Lumpur, Malaysia (MYKUL) ({own_shipment.get_status_display()})"
    ]
    assert form.fields["certificates"].choices[0][0] == str(own_certificate.pk)


def test_without_shipments_or_certificates_the_form_asks_for_none(signed_in):
    form = signed_in.get(reverse("portal:finance-new")).context["form"]
    assert "shipments" not in form.fields and "certificates" not in form.fields


def test_a_new_request_is_a_draft_made_by_the_service_with_its_evidence(signed_in, enterprise):
    factories.currency("CNY", 2)
    shipment = ShipmentFactory(enterprise=enterprise)
    certificate = CertificateFactory(enterprise=enterprise)
    response = signed_in.post(
        reverse("portal:finance-new"),
        new_request_data(shipments=[str(shipment.pk)], certificates=[str(certificate.pk)]),
    )
    financing_request = FinancingRequest.objects.get(enterprise=enterprise)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:finance-submit", args=[financing_request.pk])
    assert financing_request.status == RequestStatus.DRAFT
    assert financing_request.amount == Decimal("2000000.00")
    assert (
        financing_request.created_by == signed_in.get(reverse("portal:finance")).wsgi_request.user
    )
    kinds = sorted(financing_request.evidence.values_list("kind", "object_id"))
    assert kinds == [("certificate", str(certificate.pk)), ("shipment", str(shipment.pk))]
    summary = financing_request.evidence.get(kind="shipment").summary
    assert summary["reference"] == shipment.reference  # the resolver's snapshot


def test_more_decimals_than_the_currency_carries_is_refused_at_the_amount(signed_in, enterprise):
    factories.currency("JPY", 0)
    response = signed_in.post(
        reverse("portal:finance-new"), new_request_data(amount="100.5", currency="JPY")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [
        "JPY amounts carry at most 0 decimal places."
    ]
    assert not FinancingRequest.objects.exists()


def test_the_refusal_reads_in_chinese_for_a_chinese_reader(signed_in, owner):
    factories.currency("JPY", 0)
    chinese(signed_in, owner)
    response = signed_in.post(
        reverse("portal:finance-new"), new_request_data(amount="100.5", currency="JPY")
    )
    [message] = response.context["form"].errors["amount"]
    assert "JPY" in message and "小数" in message
    assert 'lang="zh-Hans"' in response.content.decode()


@pytest.mark.parametrize(
    ("term", "message"),
    [("0", "at least one day"), ("4000", "at most 3650 days")],
)
def test_a_term_out_of_bounds_is_refused_at_the_term(signed_in, term, message):
    factories.currency("CNY", 2)
    response = signed_in.post(reverse("portal:finance-new"), new_request_data(term_days=term))
    assert message in " ".join(response.context["form"].errors["term_days"])
    assert not FinancingRequest.objects.exists()


def test_an_evidence_refusal_lands_on_its_field_and_no_draft_is_left(
    signed_in, enterprise, monkeypatch
):
    """The resolver decides (here: the shipment was deleted between the form and the click)."""
    factories.currency("CNY", 2)
    shipment = ShipmentFactory(enterprise=enterprise)
    from finance import evidence

    def gone(enterprise, object_id):
        raise evidence.NotFound("No such shipment.")

    monkeypatch.setitem(evidence._RESOLVERS, "shipment", gone)
    response = signed_in.post(
        reverse("portal:finance-new"), new_request_data(shipments=[str(shipment.pk)])
    )
    assert response.context["form"].errors["shipments"]
    assert not FinancingRequest.objects.exists()


# --- check and submit --------------------------------------------------------------------------------


def test_submitting_a_checked_draft_calls_the_service(signed_in, enterprise):
    draft = FinancingRequestFactory(enterprise=enterprise)
    page = signed_in.get(reverse("portal:finance-submit", args=[draft.pk])).content.decode()
    assert "Check your request" in page and "Submit the request" in page
    response = signed_in.post(reverse("portal:finance-submit", args=[draft.pk]))
    assert response["Location"] == reverse("portal:finance-request", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == RequestStatus.SUBMITTED
    assert Event.objects.filter(kind="finance.request.submitted", subject_id=str(draft.pk)).exists()


def test_an_unverified_enterprise_is_told_why_it_cannot_submit(signed_in, enterprise):
    enterprise.status = VerificationStatus.PENDING
    enterprise.save(update_fields=["status"])
    draft = FinancingRequestFactory(enterprise=enterprise)
    response = signed_in.post(reverse("portal:finance-submit", args=[draft.pk]))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "error-summary" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == RequestStatus.DRAFT


# --- offers side by side --------------------------------------------------------------------------


def test_offers_are_compared_cheapest_first_with_the_total_cost_the_api_computes(
    signed_in, enterprise
):
    financing_request, (dear, cheap) = offered_request(
        enterprise, ("Dear", "5.0000", "2000.00"), ("Cheap", "4.0000", "2000.00")
    )
    response = signed_in.get(reverse("portal:finance-request", args=[financing_request.pk]))
    offers = response.context["offers"]
    assert [offer.pk for offer in offers] == [cheap.pk, dear.pk]
    assert offers[0].total_cost == Decimal("21726.03")  # docs/finance.md's example
    assert offers[0].is_cheapest and not offers[1].is_cheapest
    page = response.content.decode()
    assert page.count("Lowest total cost") == 1
    api = factories_api_totals(enterprise, financing_request)
    assert api == ["21726.03", "26657.53"]


def factories_api_totals(enterprise, financing_request) -> list[str]:
    from tests.conftest import client_for

    member = enterprise.memberships.first().user
    answer = client_for(member).get(f"/api/v1/finance/requests/{financing_request.pk}/offers/")
    return [offer["total_cost"] for offer in answer.json()]


def test_a_plain_member_sees_the_offers_but_no_accept_button(client, enterprise):
    member = factories.MembershipFactory(
        enterprise=enterprise, role=MembershipRole.MEMBER, user__language="en"
    ).user
    client.force_login(member)
    financing_request, [offer] = offered_request(enterprise, ("A", "4.0000", "0"))
    page = client.get(reverse("portal:finance-request", args=[financing_request.pk]))
    assert reverse("portal:finance-offer-accept", args=[offer.pk]) not in page.content.decode()
    assert "An owner or administrator accepts" in page.content.decode()


# --- accepting one --------------------------------------------------------------------------------


def test_accepting_asks_once_naming_the_offers_that_will_be_declined(signed_in, enterprise):
    financing_request, (first, second) = offered_request(
        enterprise, ("One", "4.0000", "0"), ("Two", "5.0000", "0")
    )
    page = signed_in.get(reverse("portal:finance-offer-accept", args=[first.pk])).content.decode()
    assert "Bank Two" in page and "will be declined" in page
    response = signed_in.post(reverse("portal:finance-offer-accept", args=[first.pk]))
    assert response["Location"] == reverse("portal:finance-request", args=[financing_request.pk])
    first.refresh_from_db()
    second.refresh_from_db()
    financing_request.refresh_from_db()
    assert (first.status, second.status) == (OfferStatus.ACCEPTED, OfferStatus.DECLINED)
    assert financing_request.status == RequestStatus.ACCEPTED
    assert Event.objects.filter(kind="finance.offer.accepted").count() == 1
    followed = signed_in.get(response["Location"]).content.decode()
    assert "You accepted the offer of Bank One" in followed


def test_an_expired_offer_cannot_be_accepted_and_the_page_says_so(signed_in, enterprise):
    _, [offer] = offered_request(enterprise, ("Late", "4.0000", "0"))
    offer.valid_until = timezone.now() - timedelta(minutes=1)
    offer.save(update_fields=["valid_until"])
    response = signed_in.post(reverse("portal:finance-offer-accept", args=[offer.pk]))
    assert response.status_code == 200
    assert "The offer expired" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING


def test_a_plain_member_is_refused_by_the_service(client, enterprise):
    member = factories.MembershipFactory(
        enterprise=enterprise, role=MembershipRole.MEMBER, user__language="en"
    ).user
    client.force_login(member)
    _, [offer] = offered_request(enterprise, ("A", "4.0000", "0"))
    response = client.post(reverse("portal:finance-offer-accept", args=[offer.pk]))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING


def test_the_disbursement_shows_amount_date_and_bank(signed_in, enterprise):
    financing_request, [offer] = offered_request(enterprise, ("Chengdu", "4.0000", "0"))
    services.offer_accept(actor=enterprise.memberships.get().user, offer=offer)
    officer = factories.StaffUserFactory(staff_role="officer")
    services.request_disburse(
        actor=officer, financing_request=financing_request, reference="LN-2026-0042"
    )
    response = signed_in.get(reverse("portal:finance-request", args=[financing_request.pk]))
    page = response.content.decode()
    assert "Money paid out" in page and "Bank Chengdu" in page and "LN-2026-0042" in page
    assert response.context["disbursement"]["amount"] == offer.amount


# --- withdrawing ------------------------------------------------------------------------------------


def test_withdrawing_declines_the_pending_offers_through_the_service(signed_in, enterprise):
    financing_request, [offer] = offered_request(enterprise, ("A", "4.0000", "0"))
    page = signed_in.get(reverse("portal:finance-withdraw", args=[financing_request.pk]))
    assert "will be declined" in page.content.decode()
    signed_in.post(
        reverse("portal:finance-withdraw", args=[financing_request.pk]),
        {"reason": "The buyer paid in advance."},
    )
    financing_request.refresh_from_db()
    offer.refresh_from_db()
    assert financing_request.status == RequestStatus.WITHDRAWN
    assert financing_request.status_reason == "The buyer paid in advance."
    assert offer.status == OfferStatus.DECLINED
    assert Event.objects.filter(kind="finance.request.withdrawn").exists()
    page = signed_in.get(reverse("portal:finance-request", args=[financing_request.pk]))
    assert "Reason: The buyer paid in advance." in page.content.decode()


def test_a_closed_request_cannot_be_withdrawn(signed_in, enterprise):
    done = FinancingRequestFactory(enterprise=enterprise, status=RequestStatus.WITHDRAWN)
    response = signed_in.post(reverse("portal:finance-withdraw", args=[done.pk]))
    assert response.status_code == 200
    assert "Cannot withdraw" in response.content.decode()


def test_another_enterprises_request_and_offer_are_not_found(signed_in):
    _, [offer] = offered_request(factories.EnterpriseFactory(), ("B", "4.0000", "0"))
    assert (
        signed_in.get(reverse("portal:finance-request", args=[offer.request_id])).status_code == 404
    )
    assert (
        signed_in.post(reverse("portal:finance-offer-accept", args=[offer.pk])).status_code == 404
    )
