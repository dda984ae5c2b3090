"""Trade finance end to end through the API: enterprise, officer, banks (API key and user)."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agri_platform.events.models import Event
from enterprises.choices import VerificationStatus
from finance.choices import OfferStatus, RequestStatus
from finance.models import FinancingOffer, FinancingRequest
from tests import factories
from tests.conftest import client_for, client_for_key
from tests.finance.factories import (
    BankFactory,
    FinancingOfferFactory,
    FinancingRequestFactory,
    routed_request,
)

pytestmark = pytest.mark.django_db

REQUESTS = "/api/v1/finance/requests/"
OFFERS = "/api/v1/finance/offers/"


def request_url(pk, action=""):
    return f"{REQUESTS}{pk}/" + (f"{action}/" if action else "")


def loan_body(**overrides):
    body = {
        "kind": "pre_shipment_loan",
        "amount": "2000000.00",
        "currency": "CNY",
        "term_days": 90,
        "purpose": "Pre-shipment loan against the caviar shipment to Viet Nam",
    }
    body.update(overrides)
    return body


def offer_body(**overrides):
    body = {
        "amount": "2000000.00",
        "rate_percent": "4.2000",
        "term_days": 90,
        "fees": "1000.00",
        "conditions": "Assignment of export proceeds",
        "valid_until": (timezone.now() + timedelta(days=10)).isoformat(),
    }
    body.update(overrides)
    return body


def field_of(response):
    return [error["field"] for error in response.json().get("errors", [])]


def test_loan_end_to_end_with_two_banks(
    enterprise_client, officer_client, bank_a, bank_b, bank_a_client, bank_b_client, cny
):
    created = enterprise_client.post(REQUESTS, loan_body(), format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert created.json()["amount"] == "2000000.00"

    submitted = enterprise_client.post(request_url(pk, "submit"))
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"

    # Banks see nothing before routing.
    assert bank_a_client.get(request_url(pk)).status_code == 404

    routed = officer_client.post(
        request_url(pk, "route"), {"partners": [bank_a.pk, bank_b.pk]}, format="json"
    )
    assert routed.status_code == 200, routed.content
    assert routed.json()["status"] == "routed"
    assert {p["id"] for p in routed.json()["routed_partners"]} == {bank_a.pk, bank_b.pk}

    # Bank A (API key) sees the request but not which other banks were asked.
    seen = bank_a_client.get(request_url(pk))
    assert seen.status_code == 200
    assert "routed_partners" not in seen.json()

    # Bank A: expensive rate, bank B (a person with a token): cheaper overall.
    offer_a = bank_a_client.post(
        request_url(pk, "offers"),
        offer_body(rate_percent="5.0000", fees="0.00", external_reference="BOC-1"),
        format="json",
    )
    assert offer_a.status_code == 201, offer_a.content
    offer_b = bank_b_client.post(
        request_url(pk, "offers"), offer_body(rate_percent="4.0000", fees="2000.00"), format="json"
    )
    assert offer_b.status_code == 201, offer_b.content
    # total cost: 2,000,000 × 5% × 90/365 = 24,657.53; 2,000,000 × 4% × 90/365 + 2,000 = 21,726.03
    assert offer_a.json()["total_cost"] == "24657.53"
    assert offer_b.json()["total_cost"] == "21726.03"

    # Side by side for the enterprise, cheapest first.
    compared = enterprise_client.get(request_url(pk, "offers"))
    assert compared.status_code == 200
    assert [o["id"] for o in compared.json()] == [offer_b.json()["id"], offer_a.json()["id"]]
    assert FinancingRequest.objects.get(pk=pk).status == RequestStatus.OFFERED

    # A bank sees only its own offer, in the comparison and by id.
    assert [o["id"] for o in bank_a_client.get(request_url(pk, "offers")).json()] == [
        offer_a.json()["id"]
    ]
    assert bank_a_client.get(f"{OFFERS}{offer_b.json()['id']}/").status_code == 404
    assert [o["id"] for o in bank_a_client.get(OFFERS).json()["results"]] == [offer_a.json()["id"]]

    # Accept B: A is declined in the same transaction.
    accepted = enterprise_client.post(f"{OFFERS}{offer_b.json()['id']}/accept/")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    assert FinancingOffer.objects.get(pk=offer_a.json()["id"]).status == OfferStatus.DECLINED
    financing_request = FinancingRequest.objects.get(pk=pk)
    assert financing_request.status == RequestStatus.ACCEPTED
    assert financing_request.accepted_offer_id == offer_b.json()["id"]

    # Only the winning bank may disburse.
    assert bank_a_client.post(request_url(pk, "disburse")).status_code == 403
    disbursed = bank_b_client.post(
        request_url(pk, "disburse"), {"reference": "LN-2026-0042"}, format="json"
    )
    assert disbursed.status_code == 200, disbursed.content
    assert disbursed.json()["status"] == "disbursed"
    closed = officer_client.post(request_url(pk, "close"))
    assert closed.json()["status"] == "closed"

    kinds = list(
        Event.objects.filter(kind__startswith="finance.")
        .order_by("id")
        .values_list("kind", flat=True)
    )
    assert kinds == [
        "finance.request.submitted",
        "finance.request.routed",
        "finance.offer.received",
        "finance.offer.received",
        "finance.offer.declined",
        "finance.offer.accepted",
        "finance.request.disbursed",
        "finance.request.closed",
    ]
    routed_event = Event.objects.get(kind="finance.request.routed")
    assert set(routed_event.partners.values_list("pk", flat=True)) == {bank_a.pk, bank_b.pk}
    declined_event = Event.objects.get(kind="finance.offer.declined")
    assert list(declined_event.partners.values_list("pk", flat=True)) == [bank_a.pk]
    # Audit history on requests and offers.
    assert financing_request.history.count() >= 6
    assert FinancingOffer.objects.get(pk=offer_a.json()["id"]).history.count() == 2


def test_insurance_is_routed_to_insurers_and_bound(
    enterprise_client, officer_client, insurer, bank_a, cny
):
    factories.currency("USD", 2)
    pk = enterprise_client.post(
        REQUESTS,
        loan_body(kind="export_credit_insurance", currency="usd", amount="350000"),
        format="json",
    ).json()["id"]
    enterprise_client.post(request_url(pk, "submit"))
    wrong = officer_client.post(request_url(pk, "route"), {"partners": [bank_a.pk]}, format="json")
    assert wrong.status_code == 400
    assert field_of(wrong) == ["partners"]
    every = officer_client.post(request_url(pk, "route"), {"all_partners": True}, format="json")
    assert every.status_code == 200
    assert [p["id"] for p in every.json()["routed_partners"]] == [insurer.pk]

    insurer_client = client_for_key(insurer, ["finance:write"])
    offer = insurer_client.post(
        request_url(pk, "offers"),
        offer_body(amount="350000", rate_percent="0.8000", fees="150.00"),
        format="json",
    )
    assert offer.status_code == 201, offer.content
    # premium: 350,000 × 0.8% + 150 = 2,950.00 (not pro-rated by term)
    assert offer.json()["total_cost"] == "2950.00"
    assert offer.json()["currency"] == "USD"
    enterprise_client.post(f"{OFFERS}{offer.json()['id']}/accept/")
    bound = insurer_client.post(request_url(pk, "disburse"), {"reference": "POL-7"}, format="json")
    assert bound.json()["status"] == "bound"
    assert Event.objects.filter(kind="finance.request.bound").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": "-5.00"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"amount": "0.00"}, "amount"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "JPY", "amount": "100.5"}, "amount"),
        ({"amount": "100.123"}, "amount"),
        ({"amount": 100.5}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"term_days": 0}, "term_days"),
        ({"kind": "crypto_loan"}, "kind"),
    ],
)
def test_bad_money_is_refused_naming_the_field(enterprise_client, cny, overrides, field):
    factories.currency("JPY", 0)
    response = enterprise_client.post(REQUESTS, loan_body(**overrides), format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert field in field_of(response)
    assert not FinancingRequest.objects.exists()


def test_yen_amount_without_decimals_is_accepted(enterprise_client, cny):
    factories.currency("JPY", 0)
    response = enterprise_client.post(
        REQUESTS, loan_body(currency="JPY", amount="30000000"), format="json"
    )
    assert response.status_code == 201
    assert response.json()["amount"] == "30000000"


def test_amounts_are_strings_in_json_never_floats(enterprise_client, bank_a, cny):
    financing_request = routed_request(
        enterprise=enterprise_client.user.memberships.get().enterprise,
        partners=[bank_a],
        status=RequestStatus.OFFERED,
    )
    FinancingOfferFactory(request=financing_request, partner=bank_a)
    for url in (request_url(financing_request.pk), request_url(financing_request.pk, "offers")):
        raw = enterprise_client.get(url).content
        parsed = json.loads(raw, parse_float=lambda s, url=url: pytest.fail(f"float {s} in {url}"))
        assert parsed
    offer = enterprise_client.get(request_url(financing_request.pk, "offers")).json()[0]
    for name in ("amount", "fees", "total_cost", "rate_percent"):
        assert isinstance(offer[name], str)
    assert offer["amount"] == "1000000.00"
    assert offer["rate_percent"] == "4.2500"


def test_float_offer_figures_are_refused(bank_a, bank_a_client, cny):
    financing_request = routed_request(partners=[bank_a])
    for name, value in (("rate_percent", 4.5), ("fees", 10.5), ("amount", 1000.25)):
        response = bank_a_client.post(
            request_url(financing_request.pk, "offers"), offer_body(**{name: value}), format="json"
        )
        assert response.status_code == 400, name
        assert field_of(response) == [name]
    assert not FinancingOffer.objects.exists()


def test_offer_with_too_many_decimals_or_negative_fees_is_400(bank_a, bank_a_client, cny):
    financing_request = routed_request(partners=[bank_a])
    url = request_url(financing_request.pk, "offers")
    assert field_of(bank_a_client.post(url, offer_body(amount="10.001"), format="json")) == [
        "amount"
    ]
    assert field_of(bank_a_client.post(url, offer_body(fees="-1.00"), format="json")) == ["fees"]
    past = (timezone.now() - timedelta(minutes=1)).isoformat()
    assert field_of(bank_a_client.post(url, offer_body(valid_until=past), format="json")) == [
        "valid_until"
    ]


def test_offer_on_request_not_routed_to_you_is_404(bank_a, bank_b, bank_a_client, cny):
    elsewhere = routed_request(partners=[bank_b])
    response = bank_a_client.post(request_url(elsewhere.pk, "offers"), offer_body(), format="json")
    assert response.status_code == 404
    missing = bank_a_client.post(request_url(987654, "offers"), offer_body(), format="json")
    assert missing.status_code == 404
    assert response.json()["detail"] == missing.json()["detail"]
    assert not FinancingOffer.objects.exists()


def test_offer_replay_with_external_reference_returns_the_first(bank_a, bank_a_client, cny):
    financing_request = routed_request(partners=[bank_a])
    url = request_url(financing_request.pk, "offers")
    first = bank_a_client.post(url, offer_body(external_reference="REF-1"), format="json")
    again = bank_a_client.post(url, offer_body(external_reference="REF-1"), format="json")
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert FinancingOffer.objects.count() == 1
    assert Event.objects.filter(kind="finance.offer.received").count() == 1
    # A second, different offer while the first is pending is a conflict.
    other = bank_a_client.post(url, offer_body(external_reference="REF-2"), format="json")
    assert other.status_code == 409


def test_accepting_an_expired_offer_is_409(enterprise, enterprise_client, bank_a, cny):
    financing_request = routed_request(
        enterprise=enterprise, partners=[bank_a], status=RequestStatus.OFFERED
    )
    offer = FinancingOfferFactory(
        request=financing_request,
        partner=bank_a,
        valid_until=timezone.now() - timedelta(seconds=1),
    )
    response = enterprise_client.post(f"{OFFERS}{offer.pk}/accept/")
    assert response.status_code == 409
    assert response.json()["code"] == "offer_expired"
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
    financing_request.refresh_from_db()
    assert financing_request.status == RequestStatus.OFFERED


def test_forbidden_transition_is_409_with_status_and_allowed_actions(enterprise_client, cny):
    pk = enterprise_client.post(REQUESTS, loan_body(), format="json").json()["id"]
    enterprise_client.post(request_url(pk, "submit"))
    again = enterprise_client.post(request_url(pk, "submit"))
    assert again.status_code == 409
    assert again.json()["current_status"] == "submitted"
    # what this member may do (issue 12): `decline` and `route` are the officers'
    assert again.json()["allowed_actions"] == ["add_document", "add_evidence", "withdraw"]
    patched = enterprise_client.patch(request_url(pk), {"term_days": 30}, format="json")
    assert patched.status_code == 409


def test_draft_can_be_edited_and_withdrawn(enterprise_client, cny):
    pk = enterprise_client.post(REQUESTS, loan_body(), format="json").json()["id"]
    patched = enterprise_client.patch(
        request_url(pk), {"amount": "1500000.50", "term_days": 60}, format="json"
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["amount"] == "1500000.50"
    assert patched.json()["term_days"] == 60
    assert (
        enterprise_client.patch(request_url(pk), {"amount": "-1"}, format="json").status_code == 400
    )
    withdrawn = enterprise_client.post(request_url(pk, "withdraw"), {"reason": "no longer needed"})
    assert withdrawn.json()["status"] == "withdrawn"


def test_unverified_enterprise_cannot_submit(enterprise, enterprise_client, cny):
    pk = enterprise_client.post(REQUESTS, loan_body(), format="json").json()["id"]
    enterprise.status = VerificationStatus.PENDING
    enterprise.save()
    response = enterprise_client.post(request_url(pk, "submit"))
    assert response.status_code == 403
    assert response.json()["code"] == "enterprise_not_verified"
    assert FinancingRequest.objects.get(pk=pk).status == RequestStatus.DRAFT


def test_only_officers_route_and_only_enterprises_accept(
    enterprise, enterprise_client, reviewer_client, bank_a, bank_a_client, cny
):
    financing_request = FinancingRequestFactory(
        enterprise=enterprise, status=RequestStatus.SUBMITTED
    )
    response = reviewer_client.post(
        request_url(financing_request.pk, "route"), {"partners": [bank_a.pk]}, format="json"
    )
    assert response.status_code == 403
    assert (
        enterprise_client.post(
            request_url(financing_request.pk, "route"), {"partners": [bank_a.pk]}, format="json"
        ).status_code
        == 403
    )
    financing_request.status = RequestStatus.OFFERED
    financing_request.save()
    offer = FinancingOfferFactory(request=financing_request, partner=bank_a)
    from finance.models import FinancingRouting

    FinancingRouting.objects.create(request=financing_request, partner=bank_a)
    assert bank_a_client.post(f"{OFFERS}{offer.pk}/accept/").status_code == 403


def test_partner_key_needs_finance_scope(bank_a, cny):
    financing_request = routed_request(partners=[bank_a])
    read_only = client_for_key(bank_a, ["finance:read"])
    assert read_only.get(request_url(financing_request.pk)).status_code == 200
    assert (
        read_only.post(
            request_url(financing_request.pk, "offers"), offer_body(), format="json"
        ).status_code
        == 403
    )
    logistics_only = client_for_key(bank_a, ["logistics:read"])
    assert logistics_only.get(REQUESTS).status_code == 403


def test_withdrawal_declines_pending_offers(enterprise, enterprise_client, bank_a, bank_b, cny):
    financing_request = routed_request(
        enterprise=enterprise, partners=[bank_a, bank_b], status=RequestStatus.OFFERED
    )
    offers = [
        FinancingOfferFactory(request=financing_request, partner=bank_a),
        FinancingOfferFactory(request=financing_request, partner=bank_b),
    ]
    response = enterprise_client.post(request_url(financing_request.pk, "withdraw"))
    assert response.json()["status"] == "withdrawn"
    assert {FinancingOffer.objects.get(pk=o.pk).status for o in offers} == {"declined"}
    event = Event.objects.get(kind="finance.request.withdrawn")
    assert set(event.partners.values_list("pk", flat=True)) == {bank_a.pk, bank_b.pk}


def test_officer_declines_with_a_reason(officer_client, cny):
    financing_request = FinancingRequestFactory(status=RequestStatus.SUBMITTED)
    assert officer_client.post(request_url(financing_request.pk, "decline")).status_code == 400
    response = officer_client.post(
        request_url(financing_request.pk, "decline"), {"reason": "outside policy"}, format="json"
    )
    assert response.json()["status"] == "declined"


def test_enterprise_declines_one_offer(enterprise, enterprise_client, bank_a, cny):
    financing_request = routed_request(
        enterprise=enterprise, partners=[bank_a], status=RequestStatus.OFFERED
    )
    offer = FinancingOfferFactory(request=financing_request, partner=bank_a)
    response = enterprise_client.post(f"{OFFERS}{offer.pk}/decline/", {"reason": "rate too high"})
    assert response.json()["status"] == "declined"
    again = enterprise_client.post(f"{OFFERS}{offer.pk}/decline/")
    assert again.status_code == 409
    assert again.json()["current_status"] == "declined"


def test_documents_are_checked_and_listed_for_routed_banks(
    enterprise, enterprise_client, bank_a, bank_a_client, cny
):
    financing_request = routed_request(enterprise=enterprise, partners=[bank_a])
    url = request_url(financing_request.pk, "documents")
    pdf = SimpleUploadedFile("invoice.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF")
    created = enterprise_client.post(url, {"file": pdf, "title": "Proforma"}, format="multipart")
    assert created.status_code == 201, created.content
    assert created.json()["content_type"] == "application/pdf"
    fake = SimpleUploadedFile("invoice.pdf", b"MZ\x90 not a pdf")
    assert enterprise_client.post(url, {"file": fake}, format="multipart").status_code == 415
    listed = bank_a_client.get(url)
    assert [d["title"] for d in listed.json()] == ["Proforma"]
    again = SimpleUploadedFile("other.pdf", b"%PDF-1.7\n%%EOF")
    assert bank_a_client.post(url, {"file": again}, format="multipart").status_code == 403


def test_create_for_someone_elses_enterprise_is_400(enterprise_client, other_enterprise, cny):
    response = enterprise_client.post(
        REQUESTS, loan_body(enterprise=other_enterprise.pk), format="json"
    )
    assert response.status_code == 400
    assert field_of(response) == ["enterprise"]


def test_staff_queue_filters(staff_client, bank_a, bank_b, cny):
    old = routed_request(partners=[bank_a])
    FinancingRequest.objects.filter(pk=old.pk).update(
        submitted_at=timezone.now() - timedelta(days=10)
    )
    fresh = routed_request(partners=[bank_b], kind="letter_of_credit")
    draft = FinancingRequestFactory()

    def ids(**params):
        return {row["id"] for row in staff_client.get(REQUESTS, params).json()["results"]}

    assert ids() == {old.pk, fresh.pk, draft.pk}
    assert ids(partner=bank_a.pk) == {old.pk}
    assert ids(kind="letter_of_credit") == {fresh.pk}
    assert ids(status="draft") == {draft.pk}
    assert ids(min_age_days=7) == {old.pk}
    assert ids(max_age_days=7) == {fresh.pk}


def test_list_query_count_does_not_grow(
    enterprise, enterprise_client, bank_a, django_assert_max_num_queries, cny
):
    def make(n):
        for _ in range(n):
            financing_request = routed_request(
                enterprise=enterprise, partners=[bank_a], status=RequestStatus.OFFERED
            )
            FinancingOfferFactory(request=financing_request, partner=bank_a)

    make(2)
    with django_assert_max_num_queries(8) as few:
        assert len(enterprise_client.get(REQUESTS).json()["results"]) == 2
    make(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(enterprise_client.get(REQUESTS).json()["results"]) == 12
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(enterprise_client.get(OFFERS).json()["results"]) == 12


def test_offer_comparison_query_count_is_constant(
    enterprise, enterprise_client, django_assert_max_num_queries, cny
):
    banks = [BankFactory() for _ in range(6)]
    financing_request = routed_request(
        enterprise=enterprise, partners=banks, status=RequestStatus.OFFERED
    )
    FinancingOfferFactory(request=financing_request, partner=banks[0])
    with django_assert_max_num_queries(10) as few:
        enterprise_client.get(request_url(financing_request.pk, "offers"))
    for bank in banks[1:]:
        FinancingOfferFactory(
            request=financing_request, partner=bank, rate_percent=Decimal("3.1000")
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = enterprise_client.get(request_url(financing_request.pk, "offers")).json()
    assert len(body) == 6
    costs = [Decimal(o["total_cost"]) for o in body]
    assert costs == sorted(costs)


def test_the_enterprise_a_request_is_for_is_checked_like_every_other_app(
    enterprise_client, other_enterprise, staff_client, cny
):
    """Another tenant's id and a missing one answer alike; staff may name an enterprise but do not
    file for it; a user of no enterprise is refused whatever the body names."""
    foreign = enterprise_client.post(
        REQUESTS, loan_body(enterprise=other_enterprise.pk), format="json"
    )
    missing = enterprise_client.post(REQUESTS, loan_body(enterprise=987654), format="json")
    assert foreign.status_code == missing.status_code == 400
    assert field_of(foreign) == field_of(missing) == ["enterprise"]
    assert foreign.json()["errors"][0]["code"] == missing.json()["errors"][0]["code"]
    assert foreign.json()["errors"][0]["code"] == "does_not_exist"

    staff = staff_client.post(REQUESTS, loan_body(enterprise=other_enterprise.pk), format="json")
    assert (staff.status_code, staff.json()["code"]) == (403, "not_a_member")

    loner = client_for(factories.UserFactory())
    refused = loner.post(REQUESTS, loan_body(enterprise=other_enterprise.pk), format="json")
    assert (refused.status_code, refused.json()["code"]) == (403, "not_a_member")
    assert not FinancingRequest.objects.exists()
