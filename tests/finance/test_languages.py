"""Finance reads in the caller's language: errors in zh-hans and en, the staff admin in Chinese."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from agri_platform.accounts.choices import PartnerKind
from finance import evidence
from finance.choices import RequestStatus
from tests import factories
from tests.finance.factories import FinancingOfferFactory, routed_request
from tests.finance.languages import (
    admin_client_in,
    reads_in,
    speaking,
)
from tests.logistics.factories import ShipmentFactory

pytestmark = pytest.mark.django_db

REQUESTS = "/api/v1/finance/requests/"
OFFERS = "/api/v1/finance/offers/"
LANGUAGES = ["zh-hans", "en"]


def offer_body():
    return {
        "amount": "2000000.00",
        "rate_percent": "4.2000",
        "term_days": 90,
        "valid_until": (timezone.now() + timedelta(days=10)).isoformat(),
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "该报价已于"), ("en", "The offer expired at")],
    ids=LANGUAGES,
)
def test_accepting_an_expired_offer(enterprise, enterprise_client, bank_a, cny, language, expected):
    financing_request = routed_request(
        enterprise=enterprise, partners=[bank_a], status=RequestStatus.OFFERED
    )
    offer = FinancingOfferFactory(
        request=financing_request, partner=bank_a, valid_until=timezone.now() - timedelta(hours=1)
    )
    response = speaking(enterprise_client, language).post(f"{OFFERS}{offer.pk}/accept/")
    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "offer_expired"
    assert expected in problem["detail"]
    assert offer.valid_until.isoformat() in problem["detail"]
    assert reads_in(problem, language), problem


@pytest.mark.parametrize("language", LANGUAGES)
def test_offer_on_a_closed_request(bank_a, bank_a_client, cny, language):
    closed = routed_request(partners=[bank_a], status=RequestStatus.CLOSED)
    response = speaking(bank_a_client, language).post(
        f"{REQUESTS}{closed.pk}/offers/", offer_body(), format="json"
    )
    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "transition_not_allowed"
    assert problem["current_status"] == "closed"
    assert reads_in(problem, language), problem


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "对象不存在"), ("en", "does not exist")],
    ids=LANGUAGES,
)
def test_evidence_the_enterprise_does_not_own(
    enterprise, enterprise_client, other_enterprise, bank_a, cny, language, expected
):
    """Another enterprise's shipment is refused like a missing one, naming the field."""
    financing_request = routed_request(enterprise=enterprise, partners=[bank_a])
    someone_elses = ShipmentFactory(enterprise=other_enterprise)
    response = speaking(enterprise_client, language).post(
        f"{REQUESTS}{financing_request.pk}/evidence/",
        {"kind": "shipment", "object_id": str(someone_elses.pk)},
        format="json",
    )
    assert response.status_code == 400
    problem = response.json()
    assert [error["field"] for error in problem["errors"]] == ["object_id"]
    assert expected in problem["errors"][0]["detail"]
    assert reads_in(problem, language), problem


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "暂时无法关联“证书”类证明材料。"), ("en", "Evidence of kind “Certificate”")],
    ids=LANGUAGES,
)
def test_evidence_of_a_kind_without_resolver(
    enterprise, enterprise_client, cny, monkeypatch, language, expected
):
    monkeypatch.delitem(evidence._RESOLVERS, "certificate")
    financing_request = routed_request(enterprise=enterprise, partners=[])
    response = speaking(enterprise_client, language).post(
        f"{REQUESTS}{financing_request.pk}/evidence/",
        {"kind": "certificate", "object_id": "1"},
        format="json",
    )
    assert response.status_code == 400
    problem = response.json()
    assert problem["errors"][0]["code"] == "evidence_kind_unavailable"
    assert expected in problem["errors"][0]["detail"]
    assert reads_in(problem, language), problem


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "JPY 金额最多保留 0 位小数。"),
        ("en", "JPY amounts carry at most 0 decimal places."),
    ],
    ids=LANGUAGES,
)
def test_too_many_decimals_for_the_currency(enterprise_client, language, expected):
    factories.currency("JPY", 0)
    body = {
        "kind": "pre_shipment_loan",
        "amount": "1000.5",
        "currency": "JPY",
        "term_days": 90,
        "purpose": "Working capital",
    }
    response = speaking(enterprise_client, language).post(REQUESTS, body, format="json")
    assert response.status_code == 400
    problem = response.json()
    assert problem["errors"][0]["detail"] == expected
    assert reads_in(problem, language), problem


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "装运前贷款申请只能分派给可用的%(bank)s类合作机构，不能分派给：Insurer A。"),
        ("en", "A pre-shipment loan request goes to active %(bank)s partners; not to Insurer A."),
    ],
    ids=LANGUAGES,
)
def test_routing_to_the_wrong_kind_of_partner(officer_client, insurer, cny, language, expected):
    with translation.override(language):
        bank = str(PartnerKind.BANK.label).lower()  # the accounts app's word for it
    submitted = routed_request(partners=[], status=RequestStatus.SUBMITTED)
    response = speaking(officer_client, language).post(
        f"{REQUESTS}{submitted.pk}/route/", {"partners": [insurer.pk]}, format="json"
    )
    assert response.status_code == 400
    problem = response.json()
    assert problem["errors"][0]["code"] == "wrong_partner_kind"
    assert problem["errors"][0]["detail"] == expected % {"bank": bank}


def test_financing_request_changelist_reads_in_chinese(bank_a, cny):
    routed_request(partners=[bank_a], status=RequestStatus.OFFERED)
    page = admin_client_in("zh-hans").get("/admin/finance/financingrequest/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in [
        "融资申请",
        "融资类型",
        "装运前贷款",
        "已收到报价",
        "提交时长",
        "币种",
        "期限（天）",
    ]:
        assert text in html, text
    assert "Pre-shipment loan" not in html
    assert "Offers received" not in html


def test_financing_request_changelist_reads_in_english(bank_a, cny):
    routed_request(partners=[bank_a], status=RequestStatus.OFFERED)
    page = admin_client_in("en").get("/admin/finance/financingrequest/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in [
        "financing request",
        "Pre-shipment loan",
        "Offers received",
        "age since submission",
    ]:
        assert text in html, text
    assert "融资类型" not in html


def test_financing_offer_change_page_reads_in_chinese(bank_a, cny):
    offer = FinancingOfferFactory(
        request=routed_request(partners=[bank_a], status=RequestStatus.OFFERED), partner=bank_a
    )
    page = admin_client_in("zh-hans").get(f"/admin/finance/financingoffer/{offer.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in ["融资报价", "费率（%）", "有效期至", "待处理"]:
        assert text in html, text
