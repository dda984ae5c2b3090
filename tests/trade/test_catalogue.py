"""The public catalogue: what it lists, its filters, the off-season marks and the API's answers."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from rest_framework.test import APIClient

from agri_platform.api.errors import ValidationFailed
from agri_platform.reference.loading import load_supply_seasons
from certification.choices import CertificateStatus
from enterprises.choices import VerificationStatus
from tests import factories
from tests.certification.factories import (
    CertificateFactory,
    MarketRequirementFactory,
    SchemeFactory,
)
from trade.selectors.catalogue import (
    catalogue_product,
    catalogue_products,
    product_calendar,
    with_catalogue_facts,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/catalogue/products/"


def late_citrus(**kwargs):
    """Danling's late-maturing citrus, harvested February to May."""
    values = {
        "name_zh": "丹棱晚熟柑橘",
        "name_en": "Danling late citrus",
        "variety": "Buzhihuo",
        "hs_code": factories.hs_code("0805", "Citrus fruit"),
        "harvest_months": [2, 3, 4, 5],
        "packaging": "10 kg cartons",
        "min_order_quantity": Decimal("5"),
        "min_order_unit": "t",
        "incoterms": ["FOB", "CIF"],
    }
    return factories.ProductFactory(**{**values, **kwargs})


def apples(**kwargs):
    values = {
        "name_zh": "盐源苹果",
        "name_en": "Yanyuan apple",
        "hs_code": factories.hs_code("0808", "Apples"),
        "harvest_months": [9, 10],
    }
    return factories.ProductFactory(**{**values, **kwargs})


@pytest.fixture(autouse=True)
def _seasons():
    load_supply_seasons()  # a transactional test run before may have emptied the table


@pytest.fixture
def halal():
    return SchemeFactory(code="HALAL_T", name_en="Halal (test)", name_zh="清真（测试）")


@pytest.fixture
def malaysia_wants_halal(halal):
    return MarketRequirementFactory(
        destination_country=factories.country("MY"), destination_group="", scheme=halal
    )


def english_api():
    return APIClient(headers={"Accept-Language": "en"})


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def ids(products):
    return [product.pk for product in products]


# --- what is listed ---------------------------------------------------------------------------


def test_lists_only_listed_products_of_verified_enterprises():
    shown = late_citrus()
    late_citrus(listed_in_catalogue=False)
    late_citrus(enterprise=factories.EnterpriseFactory(status=VerificationStatus.PENDING))
    late_citrus(enterprise=factories.EnterpriseFactory(status=VerificationStatus.SUSPENDED))

    assert ids(catalogue_products()) == [shown.pk]


def test_an_unlisted_product_is_a_404():
    from django.http import Http404

    hidden = late_citrus(listed_in_catalogue=False)
    with pytest.raises(Http404):
        catalogue_product(hidden.pk)
    assert catalogue_product(late_citrus().pk).name_en == "Danling late citrus"


# --- filters ----------------------------------------------------------------------------------


def test_month_filter_keeps_products_offered_then():
    citrus, apple = late_citrus(), apples()

    assert ids(catalogue_products(month=3)) == [citrus.pk]
    assert ids(catalogue_products(month=10)) == [apple.pk]
    assert ids(catalogue_products(month=12)) == []


def test_month_filter_does_not_take_1_for_10_11_or_12():
    apple = apples(harvest_months=[10, 11, 12])

    assert ids(catalogue_products(month=1)) == []
    assert ids(catalogue_products(month=11)) == [apple.pk]


def test_category_filter():
    citrus = late_citrus()
    late_citrus(category="vegetables")

    assert ids(catalogue_products(category="fruits")) == [citrus.pk]


def test_search_matches_names_variety_and_enterprise_names():
    citrus = late_citrus(enterprise=factories.EnterpriseFactory(name_en="Danling Orchard Coop"))
    apples()

    for words in ("丹棱", "late citrus", "buzhihuo", "orchard coop"):
        assert ids(catalogue_products(search=words)) == [citrus.pk], words


def test_certificate_filter_counts_certificates_in_force_only(halal):
    valid, expired, suspended, _without = (late_citrus() for _ in range(4))
    CertificateFactory(enterprise=valid.enterprise, scheme=halal)
    CertificateFactory(
        enterprise=expired.enterprise,
        scheme=halal,
        issue_date=timezone.localdate() - timedelta(days=400),
        expiry_date=timezone.localdate() - timedelta(days=1),
    )
    CertificateFactory(
        enterprise=suspended.enterprise,
        scheme=halal,
        status=CertificateStatus.SUSPENDED,
        status_reason="audit",
    )

    assert ids(catalogue_products(certificate="HALAL_T")) == [valid.pk]
    assert ids(catalogue_products(certificate="halal_t")) == [valid.pk]


def test_certificate_naming_products_covers_those_only(halal):
    citrus = late_citrus()
    other = apples(enterprise=citrus.enterprise)
    certificate = CertificateFactory(enterprise=citrus.enterprise, scheme=halal)
    certificate.scope_products.add(citrus)

    assert ids(catalogue_products(certificate="HALAL_T")) == [citrus.pk]
    facts = {p.pk: p for p in with_catalogue_facts(catalogue_products())}
    assert [c.number for c in facts[citrus.pk].certificates_held] == [certificate.number]
    assert facts[other.pk].certificates_held == []


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"month": 13}, "month"),
        ({"month": "March"}, "month"),
        ({"category": "cars"}, "category"),
        ({"certificate": "NO_SUCH_SCHEME"}, "certificate"),
        ({"market": "XX"}, "market"),
    ],
)
def test_a_filter_value_it_does_not_know_names_the_filter(filters, field):
    with pytest.raises(ValidationFailed) as raised:
        catalogue_products(**filters)
    assert raised.value.field == field


# --- readiness for a market -------------------------------------------------------------------


def test_market_puts_ready_products_first(halal, malaysia_wants_halal):
    not_ready = late_citrus(name_en="A citrus without halal")
    ready = late_citrus(name_en="B citrus with halal")
    CertificateFactory(enterprise=ready.enterprise, scheme=halal)

    assert ids(catalogue_products()) == [not_ready.pk, ready.pk]
    with translation.override("en"):
        ranked = catalogue_products(market="my")
    assert ids(ranked) == [ready.pk, not_ready.pk]
    assert ranked[0].readiness.ready is True
    assert ranked[0].readiness.held == ["Halal (test)"]
    assert ranked[1].readiness.ready is False
    assert ranked[1].readiness.missing == ["Halal (test)"]


def test_another_enterprises_certificate_does_not_make_a_product_ready(halal, malaysia_wants_halal):
    holder = late_citrus()
    CertificateFactory(enterprise=holder.enterprise, scheme=halal)
    other = late_citrus()

    readiness = {p.pk: p.readiness.ready for p in catalogue_products(market="MY")}
    assert readiness == {holder.pk: True, other.pk: False}


# --- the calendar -----------------------------------------------------------------------------


def test_off_season_is_available_outside_the_northern_supply_months():
    # citrus: the northern provinces grow none; the reference is the main domestic season Nov–Feb
    cells = product_calendar(late_citrus())

    assert [c.month for c in cells] == list(range(1, 13))
    assert [c.month for c in cells if c.available] == [2, 3, 4, 5]
    assert [c.month for c in cells if c.off_season] == [3, 4, 5]


def test_apples_in_the_northern_season_are_not_off_season():
    cells = product_calendar(apples(harvest_months=[7, 8, 9]))

    assert [c.month for c in cells if c.off_season] == [7, 8]


def test_a_product_without_a_season_for_its_group_has_no_off_season():
    cells = product_calendar(late_citrus(hs_code=factories.hs_code("2009", "Juices")))

    assert not any(c.off_season for c in cells)


# --- the API ----------------------------------------------------------------------------------


def test_list_answers_anyone_with_the_card_fields(halal):
    citrus = late_citrus()
    CertificateFactory(enterprise=citrus.enterprise, scheme=halal, number="HAL-1")

    response = english_api().get(LIST, {"month": 3})

    assert response.status_code == 200, response.content
    [card] = response.json()["results"]
    assert card["id"] == citrus.pk
    assert card["name"] == "Danling late citrus"
    assert card["hs_code"] == "0805"
    assert card["enterprise"]["id"] == citrus.enterprise_id
    assert card["enterprise"]["profile_url"].endswith(f"/exporters/{citrus.enterprise_id}/")
    assert card["minimum_order"] == {"quantity": "5.000", "unit": "t"}
    assert card["incoterms"] == ["FOB", "CIF"]
    assert card["packaging"] == "10 kg cartons"
    assert [c["month"] for c in card["calendar"] if c["off_season"]] == [3, 4, 5]
    assert card["certificates"][0]["number"] == "HAL-1"
    assert card["certificates"][0]["scheme"] == "HALAL_T"
    assert card["certificates"][0]["verify_url"].endswith("/verify/HAL-1/")
    assert card["readiness"] is None
    assert card["url"].endswith(f"/catalogue/{citrus.pk}/")


def test_list_with_market_carries_readiness(halal, malaysia_wants_halal):
    ready = late_citrus(name_en="Z ready")
    CertificateFactory(enterprise=ready.enterprise, scheme=halal)
    late_citrus(name_en="A not ready")

    results = english_api().get(LIST, {"market": "MY"}).json()["results"]

    assert [r["name"] for r in results] == ["Z ready", "A not ready"]
    assert results[0]["readiness"]["market"] == "MY"
    assert results[0]["readiness"]["ready"] is True
    assert results[1]["readiness"]["missing"] == ["Halal (test)"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"month": "13"}, "month"),
        ({"month": "x"}, "month"),
        ({"category": "cars"}, "category"),
        ({"certificate": "NOPE"}, "certificate"),
        ({"market": "ZZ"}, "market"),
        ({"ordering": "price"}, "ordering"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(query, field):
    late_citrus()

    response = english_api().get(LIST, query)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert field in str(response.json())


def test_detail_has_calendar_season_markets_and_readiness(halal, malaysia_wants_halal):
    citrus = late_citrus()
    citrus.enterprise.export_markets.add(factories.country("SG", "Singapore"))

    response = english_api().get(f"{LIST}{citrus.pk}/", {"market": "MY"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["season"]["code"] == "citrus"
    assert body["season"]["months"] == [1, 2, 11, 12]
    assert body["markets_served"] == [{"country": "SG", "name": "Singapore", "shipments": 0}]
    assert body["readiness"]["ready"] is False
    assert body["hs_description"] == "Citrus fruit"


def test_detail_of_an_unlisted_product_is_a_404():
    hidden = late_citrus(listed_in_catalogue=False)

    assert english_api().get(f"{LIST}{hidden.pk}/").status_code == 404


def test_list_queries_do_not_grow_with_rows(halal, malaysia_wants_halal):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = english_api().get(LIST, {"market": "MY", "month": 3})
        assert response.status_code == 200
        return len(queries)

    citrus = late_citrus()
    CertificateFactory(enterprise=citrus.enterprise, scheme=halal)
    few = count_queries()
    for _ in range(5):
        more = late_citrus()
        CertificateFactory(enterprise=more.enterprise, scheme=halal)
    assert count_queries() == few


# --- the pages --------------------------------------------------------------------------------


def test_list_page_filters_and_says_how_many_match(client, halal, malaysia_wants_halal):
    citrus = late_citrus()
    CertificateFactory(enterprise=citrus.enterprise, scheme=halal)
    apples()

    response = client.get("/catalogue/", {"month": "3", "market": "MY"})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="product-count">1 product<' in page
    assert "Danling late citrus" in page
    assert "Yanyuan apple" not in page
    assert "Ready for Malaysia" in page
    assert "Off-season supply" in page
    assert f"/catalogue/{citrus.pk}/?market=MY" in page


def test_list_page_reports_a_bad_filter_at_its_field(client):
    late_citrus()

    response = client.get("/catalogue/", {"month": "13", "market": "ZZ"})

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("field--error") == 2
    assert 'id="product-count">1 product<' in page


def test_list_page_queries_do_not_grow_with_rows(client, django_assert_max_num_queries):
    for _ in range(3):
        late_citrus()
    with CaptureQueriesContext(connection) as few:
        client.get("/catalogue/", {"month": "3"})
    for _ in range(6):
        late_citrus()
    with django_assert_max_num_queries(len(few)):
        client.get("/catalogue/", {"month": "3"})


def test_product_page_marks_off_season_and_offers_the_inquiry(client, halal):
    citrus = late_citrus()
    certificate = CertificateFactory(enterprise=citrus.enterprise, scheme=halal)

    response = client.get(f"/catalogue/{citrus.pk}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Off-season (★): Mar, Apr, May." in page
    assert f"/desk/inquiries/new/?product={citrus.pk}" in page
    assert f"/verify/{certificate.number}/" in page
    assert f"/exporters/{citrus.enterprise_id}/" in page
    assert "/buyers/register/" in page
    assert 'id="minimum-order">5' in page


def test_product_page_of_an_unlisted_product_is_a_404(client):
    assert client.get(f"/catalogue/{late_citrus(listed_in_catalogue=False).pk}/").status_code == 404
