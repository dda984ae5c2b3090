"""check_readiness over the seeded market rules, and the readiness endpoint."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from certification import catalogue
from certification.models import MarketRequirement, Scheme
from certification.readiness import check_readiness
from tests import factories
from tests.certification.factories import CertificateFactory, caviar_product
from tests.certification.helpers import API

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rules(db):
    catalogue.load()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def malaysia():
    return factories.country("MY", "Malaysia", ("ASEAN", "RCEP"))


@pytest.fixture
def usa():
    return factories.country("US", "United States", ())


@pytest.fixture
def caviar(enterprise):
    return caviar_product(enterprise)


def by_code(checks):
    return {check.code: check for check in checks}


def test_citrus_to_malaysia_needs_phyto_and_one_origin_certificate(
    enterprise, product, malaysia, today
):
    with translation.override("en"):
        checks = check_readiness(
            enterprise=enterprise, products=[product], destination=malaysia, on_date=today
        )
    assert [(c.kind, c.code, c.status) for c in checks] == [
        ("document", "phytosanitary", "missing"),
        ("document", "origin_form_e", "missing"),
    ]
    assert checks[1].alternatives == ("origin_form_e", "origin_rcep")
    assert " or " in checks[1].name

    checks = check_readiness(
        enterprise=enterprise,
        products=[product],
        destination=malaysia,
        on_date=today,
        documents_on_hand=["phytosanitary", "origin_rcep"],
    )
    assert all(c.is_met for c in checks)
    assert [c.code for c in checks] == ["phytosanitary", "origin_rcep"]


def test_origin_certificates_only_warn_and_other_documents_block(
    enterprise, enterprise_client, product, malaysia, today
):
    checks = by_code(
        check_readiness(
            enterprise=enterprise, products=[product], destination=malaysia, on_date=today
        )
    )
    assert checks["phytosanitary"].blocks_dispatch
    assert checks["origin_form_e"].effect == "tariff_preference"
    assert not checks["origin_form_e"].blocks_dispatch

    response = enterprise_client.get(
        f"{API}/readiness/", {"product": product.pk, "destination": "MY"}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    answered = {c["code"]: c for c in body["checks"]}
    assert answered["phytosanitary"]["effect"] == "required"
    assert answered["phytosanitary"]["blocks_dispatch"] is True
    assert answered["origin_form_e"]["effect"] == "tariff_preference"
    assert answered["origin_form_e"]["blocks_dispatch"] is False
    assert answered["origin_form_e"]["status"] == "missing"
    assert body["ready"] is False and body["warnings"] == 1


def test_only_missing_tariff_preferences_leave_a_shipment_ready(
    enterprise, enterprise_client, product, malaysia
):
    MarketRequirement.objects.filter(document_type="phytosanitary").update(is_active=False)
    response = enterprise_client.get(
        f"{API}/readiness/", {"product": product.pk, "destination": "MY"}
    )
    body = response.json()
    assert [c["code"] for c in body["checks"]] == ["origin_form_e"]
    assert body["ready"] is True and body["warnings"] == 1


def test_caviar_needs_a_cites_permit_valid_through_the_date(enterprise, caviar, usa, today):
    cites = Scheme.objects.get(code="CITES-EXPORT")
    ship_on = today + timedelta(days=40)

    check = by_code(
        check_readiness(enterprise=enterprise, products=[caviar], destination=usa, on_date=ship_on)
    )["CITES-EXPORT"]
    assert check.status == "missing"

    short = CertificateFactory(
        enterprise=enterprise, scheme=cites, expiry_date=today + timedelta(days=10)
    )
    check = by_code(
        check_readiness(enterprise=enterprise, products=[caviar], destination=usa, on_date=ship_on)
    )["CITES-EXPORT"]
    assert (check.status, check.certificate_id) == ("expiring", short.pk)

    good = CertificateFactory(
        enterprise=enterprise, scheme=cites, expiry_date=today + timedelta(days=120)
    )
    good.scope_products.set([caviar])
    check = by_code(
        check_readiness(enterprise=enterprise, products=[caviar], destination=usa, on_date=ship_on)
    )["CITES-EXPORT"]
    assert (check.status, check.certificate_id, check.valid_until) == (
        "met",
        good.pk,
        good.expiry_date,
    )
    assert check.kind == "scheme"


def test_certificate_scope_other_product_or_suspended_does_not_count(
    enterprise, caviar, usa, today
):
    cites = Scheme.objects.get(code="CITES-EXPORT")
    other = factories.ProductFactory(enterprise=enterprise, hs_code=factories.hs_code("160431"))
    scoped_elsewhere = CertificateFactory(enterprise=enterprise, scheme=cites)
    scoped_elsewhere.scope_products.set([other])
    CertificateFactory(enterprise=enterprise, scheme=cites, status="suspended", status_reason="x")
    check = by_code(
        check_readiness(enterprise=enterprise, products=[caviar], destination=usa, on_date=today)
    )["CITES-EXPORT"]
    assert check.status == "missing"


def test_another_enterprises_certificate_does_not_count(
    enterprise, other_enterprise, caviar, usa, today
):
    CertificateFactory(enterprise=other_enterprise, scheme=Scheme.objects.get(code="CITES-EXPORT"))
    check = by_code(
        check_readiness(enterprise=enterprise, products=[caviar], destination=usa, on_date=today)
    )["CITES-EXPORT"]
    assert check.status == "missing"


def test_meat_to_malaysia_needs_halal_but_not_to_the_usa(enterprise, malaysia, usa, today):
    pork = factories.ProductFactory(
        enterprise=enterprise,
        category="livestock_products",
        hs_code=factories.hs_code("020321", "Frozen pork"),
        temp_min_c=-25,
        temp_max_c=-18,
    )
    to_my = by_code(
        check_readiness(enterprise=enterprise, products=[pork], destination=malaysia, on_date=today)
    )
    assert to_my["HALAL-JAKIM"].status == "missing"
    assert to_my["veterinary_health"].status == "missing"
    to_us = by_code(
        check_readiness(enterprise=enterprise, products=[pork], destination=usa, on_date=today)
    )
    assert "HALAL-JAKIM" not in to_us


def test_group_rules_follow_country_groups(enterprise, product, today):
    germany = factories.country("DE", "Germany", ("EU",))
    codes = by_code(
        check_readiness(
            enterprise=enterprise, products=[product], destination=germany, on_date=today
        )
    )
    assert "GLOBALGAP" in codes
    assert "origin_form_e" not in codes


def test_inactive_rules_are_ignored(enterprise, product, malaysia, today):
    MarketRequirement.objects.filter(document_type="phytosanitary").update(is_active=False)
    codes = by_code(
        check_readiness(
            enterprise=enterprise, products=[product], destination=malaysia, on_date=today
        )
    )
    assert "phytosanitary" not in codes


def test_readiness_endpoint(enterprise, enterprise_client, caviar, usa, today):
    cites = Scheme.objects.get(code="CITES-EXPORT")
    certificate = CertificateFactory(
        enterprise=enterprise, scheme=cites, expiry_date=today + timedelta(days=100)
    )
    ship_on = today + timedelta(days=30)
    response = enterprise_client.get(
        f"{API}/readiness/",
        {"product": str(caviar.pk), "destination": "us", "date": ship_on.isoformat()},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["destination"]["code"] == "US"
    assert body["date"] == ship_on.isoformat()
    assert body["ready"] is False  # the veterinary certificate is judged per shipment
    checks = {c["code"]: c for c in body["checks"]}
    assert checks["CITES-EXPORT"]["status"] == "met"
    assert checks["CITES-EXPORT"]["certificate"] == {
        "id": certificate.pk,
        "number": certificate.number,
        "valid_until": certificate.expiry_date.isoformat(),
    }
    assert checks["veterinary_health"]["status"] == "missing"
    assert "not legal advice" in body["disclaimer"]

    later = today + timedelta(days=200)
    response = enterprise_client.get(
        f"{API}/readiness/", {"product": caviar.pk, "destination": "US", "date": later}
    )
    assert {c["code"]: c for c in response.json()["checks"]}["CITES-EXPORT"]["status"] == "expiring"


def test_staff_may_ask_for_any_enterprise(staff_client, caviar, usa):
    response = staff_client.get(f"{API}/readiness/", {"product": caviar.pk, "destination": "US"})
    assert response.status_code == 200
    assert response.json()["enterprise"] == caviar.enterprise_id


def test_requirements_list(enterprise_client):
    response = enterprise_client.get(f"{API}/requirements/", {"page_size": 100})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == len(catalogue.REQUIREMENTS)
    cites = next(r for r in rows if r["scheme"] == "CITES-EXPORT")
    assert (cites["destination_group"], cites["hs_prefix"]) == ("ANY", "160431")
    origin = [r for r in rows if r["alternative_group"] == catalogue.ASEAN_ORIGIN]
    assert {r["document_type"] for r in origin} == {"origin_form_e", "origin_rcep"}
    response = enterprise_client.get(f"{API}/requirements/", {"destination_country": "MY"})
    assert {r["scheme"] for r in response.json()["results"]} == {"HALAL-JAKIM"}
