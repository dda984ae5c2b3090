"""Evidence registry, offer expiry task, and the rules services enforce directly."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from agri_platform.api.errors import NotFound, ValidationFailed
from agri_platform.events.models import Event
from finance import evidence, services
from finance.choices import OfferStatus, RequestStatus
from finance.models import FinancingEvidence, FinancingOffer
from finance.money import check_amount, total_cost
from finance.tasks import expire_offers
from tests import factories
from tests.finance.factories import FinancingOfferFactory, routed_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipment_resolver(monkeypatch):
    """A stand-in for the logistics resolver: enterprise-scoped, summary with cold-chain record."""
    owned = {}

    def resolve(enterprise, object_id):
        if owned.get(object_id) != enterprise.pk:
            raise NotFound("no such shipment")
        return {
            "reference": f"SHP-{object_id}",
            "destination": "VNSGN",
            "cold_chain": {"band_c": ["-2", "2"], "excursions": 0},
        }

    # replaces the logistics resolver (LogisticsConfig.ready) for this test only
    monkeypatch.setitem(evidence._RESOLVERS, "shipment", resolve)
    return owned


def test_evidence_is_resolved_within_the_enterprise_and_shown_to_routed_banks(
    enterprise, enterprise_client, other_enterprise, shipment_resolver, make_partner_client
):
    bank = factories.PartnerFactory(kind="bank")
    financing_request = routed_request(enterprise=enterprise, partners=[bank])
    shipment_resolver["41"] = enterprise.pk
    shipment_resolver["42"] = other_enterprise.pk
    url = f"/api/v1/finance/requests/{financing_request.pk}/evidence/"

    linked = enterprise_client.post(url, {"kind": "shipment", "object_id": "41"}, format="json")
    assert linked.status_code == 201, linked.content
    assert linked.json()["summary"]["cold_chain"]["excursions"] == 0

    theirs = enterprise_client.post(url, {"kind": "shipment", "object_id": "42"}, format="json")
    assert theirs.status_code == 400
    assert theirs.json()["errors"][0]["field"] == "object_id"
    twice = enterprise_client.post(url, {"kind": "shipment", "object_id": "41"}, format="json")
    assert twice.status_code == 409

    seen = make_partner_client(bank, ["finance:read"]).get(
        f"/api/v1/finance/requests/{financing_request.pk}/"
    )
    assert seen.json()["evidence"][0]["summary"]["reference"] == "SHP-41"
    assert Event.objects.filter(kind="finance.request.evidence_added").count() == 1


def test_evidence_kind_without_resolver_is_refused(enterprise, enterprise_client, monkeypatch):
    monkeypatch.delitem(evidence._RESOLVERS, "certificate")
    financing_request = routed_request(enterprise=enterprise, partners=[])
    response = enterprise_client.post(
        f"/api/v1/finance/requests/{financing_request.pk}/evidence/",
        {"kind": "certificate", "object_id": "7"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "evidence_kind_unavailable"
    assert not FinancingEvidence.objects.exists()


def test_register_refuses_unknown_kinds():
    with pytest.raises(ValueError):
        evidence.register("invoice", lambda enterprise, object_id: {})


def test_expiry_task_expires_offers_and_then_the_request(enterprise):
    bank_a = factories.PartnerFactory(kind="bank")
    bank_b = factories.PartnerFactory(kind="bank")
    financing_request = routed_request(
        enterprise=enterprise, partners=[bank_a, bank_b], status=RequestStatus.OFFERED
    )
    past = timezone.now() - timedelta(minutes=1)
    stale = FinancingOfferFactory(request=financing_request, partner=bank_a, valid_until=past)
    live = FinancingOfferFactory(request=financing_request, partner=bank_b)

    assert expire_offers.apply().get() == 1
    stale.refresh_from_db()
    assert stale.status == OfferStatus.EXPIRED
    financing_request.refresh_from_db()
    assert financing_request.status == RequestStatus.OFFERED  # B's offer is still live
    assert expire_offers() == 0  # idempotent

    FinancingOffer.objects.filter(pk=live.pk).update(valid_until=past)
    assert expire_offers() == 1
    financing_request.refresh_from_db()
    assert financing_request.status == RequestStatus.EXPIRED
    expired_events = Event.objects.filter(kind="finance.offer.expired")
    assert expired_events.count() == 2
    assert list(expired_events.order_by("id")[0].partners.all()) == [bank_a]
    assert Event.objects.filter(kind="finance.request.expired").count() == 1


def test_beat_schedule_has_the_expiry_task(settings):
    assert settings.CELERY_BEAT_SCHEDULE["finance.expire_offers"]["task"] == "finance.expire_offers"


def test_check_amount_rules():
    cny = factories.currency("CNY", 2)
    assert check_amount(Decimal("10.50"), cny) == Decimal("10.50")
    assert check_amount(Decimal("10.500"), cny) == Decimal("10.500")  # trailing zeros are fine
    for bad in (Decimal("0"), Decimal("-1"), Decimal("1.001"), 1.5, Decimal("NaN")):
        with pytest.raises(ValidationFailed):
            check_amount(bad, cny)
    assert check_amount(Decimal(0), cny, field="fees", allow_zero=True) == 0


def test_total_cost_is_decimal_and_rounded_half_up():
    cost = total_cost(
        kind="pre_shipment_loan",
        amount=Decimal("1000"),
        rate_percent=Decimal("3.65"),
        term_days=1,
        fees=Decimal("0.005"),
        minor_units=2,
    )
    # 1000 × 3.65% × 1/365 = 0.1 ; + 0.005 = 0.105 → 0.11 (half up)
    assert cost == Decimal("0.11")
    assert isinstance(cost, Decimal)
    fx = total_cost(
        kind="fx_settlement",
        amount=Decimal("100000"),
        rate_percent=Decimal("0.15"),
        term_days=2,
        fees=Decimal(0),
        minor_units=2,
    )
    assert fx == Decimal("150.00")


def test_accept_declines_the_others_atomically(enterprise, enterprise_user):
    banks = [factories.PartnerFactory(kind="bank") for _ in range(3)]
    financing_request = routed_request(
        enterprise=enterprise, partners=banks, status=RequestStatus.OFFERED
    )
    offers = [FinancingOfferFactory(request=financing_request, partner=b) for b in banks]
    services.offer_accept(actor=enterprise_user, offer=offers[1])
    statuses = [FinancingOffer.objects.get(pk=o.pk).status for o in offers]
    assert statuses == ["declined", "accepted", "declined"]
    with pytest.raises(Exception) as caught:
        services.offer_accept(actor=enterprise_user, offer=offers[0])
    assert caught.value.status_code == 409


def test_members_without_admin_role_cannot_accept(enterprise):
    member = factories.MembershipFactory(enterprise=enterprise, role="member").user
    bank = factories.PartnerFactory(kind="bank")
    financing_request = routed_request(
        enterprise=enterprise, partners=[bank], status=RequestStatus.OFFERED
    )
    offer = FinancingOfferFactory(request=financing_request, partner=bank)
    with pytest.raises(Exception) as caught:
        services.offer_accept(actor=member, offer=offer)
    assert caught.value.status_code == 403
