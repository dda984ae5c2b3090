"""Production bases (area in mu or m²) and products (HS code, band from the cold-chain profile)."""

from decimal import Decimal

import pytest

from agri_platform.reference.models import ColdChainProfile
from enterprises.models import Product, ProductionBase
from tests import factories
from tests.conftest import client_for

BASES = "/api/v1/production-bases/"
PRODUCTS = "/api/v1/products/"


def base_body(**overrides):
    body = {
        "name": "Danling orchard",
        "kind": "orchard",
        "prefecture": "511400",
        "county": "Danling County",
        "latitude": "30.012345",
        "longitude": "103.5",
        "area_mu": "300",
        "annual_capacity_t": "1650",
    }
    body.update(overrides)
    return body


def errors(response):
    return {error["field"]: error for error in response.json()["errors"]}


def test_area_in_mu_is_stored_in_m2_and_both_are_returned(
    enterprise_client, enterprise, reference_data
):
    response = enterprise_client.post(BASES, base_body(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["enterprise"] == enterprise.pk  # defaulted: the caller has one enterprise
    assert body["area_m2"] == "200000.00"
    assert body["area_mu"] == "300.00"
    assert body["latitude"] == "30.01235"
    assert ProductionBase.objects.get(pk=body["id"]).area_m2 == Decimal("200000.00")


def test_area_in_m2(enterprise_client, reference_data):
    response = enterprise_client.post(
        BASES, base_body(area_mu=None, area_m2="6666.7"), format="json"
    )

    assert response.status_code == 201
    assert response.json()["area_m2"] == "6666.70"
    assert response.json()["area_mu"] == "10.00"


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"area_mu": "-1"}, "area_mu"),
        ({"area_mu": None, "area_m2": "-5"}, "area_m2"),
        ({"area_m2": "100"}, "area_mu"),  # both units at once
        ({"annual_capacity_t": "-0.5"}, "annual_capacity_t"),
        ({"latitude": "91"}, "latitude"),
        ({"prefecture": "123456"}, "prefecture"),
        ({"kind": "castle"}, "kind"),
        ({"area_hectares": "3"}, "area_hectares"),
    ],
)
def test_bad_base_input_is_400_and_writes_nothing(
    enterprise_client, reference_data, override, field
):
    response = enterprise_client.post(BASES, base_body(**override), format="json")

    assert response.status_code == 400, response.content
    assert field in errors(response)
    assert not ProductionBase.objects.exists()


def test_product_band_defaults_from_the_cold_chain_profile(enterprise_client, reference_data):
    response = enterprise_client.post(
        PRODUCTS,
        {"name_zh": "爱媛柑橘", "name_en": "Ai Yuan", "category": "fruits", "hs_code": "0805.21"},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["hs_code"] == "080521"
    assert (body["temp_min_c"], body["temp_max_c"]) == ("4.0", "8.0")
    assert body["humidity_max_pct"] is None
    assert body["cold_chain_profile"] == "mandarins"


def test_peppercorn_gets_the_humidity_limit(enterprise_client, reference_data):
    response = enterprise_client.post(
        PRODUCTS, {"name_zh": "干花椒", "category": "spices", "hs_code": "091099"}, format="json"
    )

    body = response.json()
    assert (body["temp_min_c"], body["temp_max_c"], body["humidity_max_pct"]) == (
        "5.0",
        "25.0",
        "60.0",
    )


def test_frozen_suckling_pig_matches_the_longest_prefix(enterprise_client, reference_data):
    response = enterprise_client.post(
        PRODUCTS,
        {"name_zh": "冻乳猪", "category": "livestock_products", "hs_code": "0203211000"},
        format="json",
    )

    assert response.json()["cold_chain_profile"] == "frozen-meat"
    assert response.json()["temp_max_c"] == "-18.0"


def test_staff_edits_to_a_profile_apply_to_new_products(enterprise_client, reference_data):
    ColdChainProfile.objects.filter(code="mandarins").update(temp_min_c=5)

    response = enterprise_client.post(
        PRODUCTS, {"name_zh": "柑橘", "category": "fruits", "hs_code": "080521"}, format="json"
    )

    assert response.json()["temp_min_c"] == "5.0"


def test_explicit_band_wins(enterprise_client, reference_data):
    response = enterprise_client.post(
        PRODUCTS,
        {
            "name_zh": "柑橘",
            "category": "fruits",
            "hs_code": "080521",
            "temp_min_c": "5",
            "temp_max_c": "7",
        },
        format="json",
    )

    assert (response.json()["temp_min_c"], response.json()["temp_max_c"]) == ("5.0", "7.0")
    assert response.json()["cold_chain_profile"] is None


def test_product_without_a_profile_has_no_band(enterprise_client, reference_data):
    response = enterprise_client.post(
        PRODUCTS,
        {"name_zh": "种羊", "category": "livestock_products", "hs_code": "010420"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["temp_min_c"] is None


@pytest.mark.parametrize(
    ("override", "field", "code"),
    [
        ({"temp_min_c": "8", "temp_max_c": "4"}, "temp_min_c", "inverted_band"),
        ({"temp_min_c": "4", "temp_max_c": "4"}, "temp_min_c", "inverted_band"),
        ({"temp_min_c": "4"}, "temp_max_c", None),
        ({"hs_code": "999999"}, "hs_code", "unknown_hs_code"),
        ({"hs_code": "08O5"}, "hs_code", "unknown_hs_code"),
        ({"humidity_max_pct": "120"}, "humidity_max_pct", None),
        ({"category": "gadgets"}, "category", None),
        ({"shelf_life_days": 0}, "shelf_life_days", None),
    ],
)
def test_bad_product_input_is_400_and_writes_nothing(
    enterprise_client, reference_data, override, field, code
):
    body = {"name_zh": "柑橘", "category": "fruits", "hs_code": "080521", **override}

    response = enterprise_client.post(PRODUCTS, body, format="json")

    assert response.status_code == 400, response.content
    assert field in errors(response)
    if code:
        assert errors(response)[field]["code"] == code
    assert not Product.objects.exists()


def test_inverted_band_on_update_is_400(enterprise_client, enterprise, reference_data):
    product = factories.ProductFactory(enterprise=enterprise)

    response = enterprise_client.patch(f"{PRODUCTS}{product.pk}/", {"temp_max_c": "2"})

    assert response.status_code == 400
    product.refresh_from_db()
    assert product.temp_max_c == 8


def test_link_products_and_bases_both_ways(enterprise_client, enterprise, reference_data):
    product = factories.ProductFactory(enterprise=enterprise)
    base = enterprise_client.post(BASES, base_body(products=[product.pk]), format="json").json()
    assert base["products"] == [product.pk]

    second = enterprise_client.post(
        PRODUCTS,
        {
            "name_zh": "不知火",
            "category": "fruits",
            "hs_code": "080521",
            "production_bases": [base["id"]],
        },
        format="json",
    ).json()
    assert second["production_bases"] == [base["id"]]
    detail = enterprise_client.get(f"{BASES}{base['id']}/").json()
    assert sorted(detail["products"]) == sorted([product.pk, second["id"]])
    filtered = enterprise_client.get(PRODUCTS, {"production_base": base["id"]}).json()
    assert {row["id"] for row in filtered["results"]} == {product.pk, second["id"]}


def test_another_enterprises_product_cannot_be_linked(
    enterprise_client, other_enterprise, reference_data
):
    theirs = factories.ProductFactory(enterprise=other_enterprise)

    response = enterprise_client.post(BASES, base_body(products=[theirs.pk]), format="json")

    assert response.status_code == 400
    assert "products" in errors(response)
    assert not ProductionBase.objects.exists()


def test_writing_for_another_enterprise_reads_as_missing(
    enterprise_client, other_enterprise, reference_data
):
    response = enterprise_client.post(
        BASES, base_body(enterprise=other_enterprise.pk), format="json"
    )

    assert response.status_code == 400
    assert "enterprise" in errors(response)
    assert not ProductionBase.objects.exists()


def test_reviewers_read_but_do_not_write_enterprise_data(
    reviewer_client, enterprise, reference_data
):
    response = reviewer_client.post(BASES, base_body(enterprise=enterprise.pk), format="json")

    assert response.status_code == 403
    assert reviewer_client.get(BASES).status_code == 200


def test_update_and_delete(enterprise_client, enterprise, reference_data):
    base = factories.ProductionBaseFactory(enterprise=enterprise)
    product = factories.ProductFactory(enterprise=enterprise)

    patched = enterprise_client.patch(f"{BASES}{base.pk}/", {"area_mu": "15"}, format="json")
    assert patched.json()["area_m2"] == "10000.00"
    renamed = enterprise_client.patch(f"{PRODUCTS}{product.pk}/", {"variety": "No. 38"})
    assert renamed.json()["variety"] == "No. 38"
    assert product.history.count() >= 2

    assert enterprise_client.delete(f"{BASES}{base.pk}/").status_code == 204
    assert enterprise_client.delete(f"{PRODUCTS}{product.pk}/").status_code == 204
    assert not ProductionBase.objects.exists()
    assert not Product.objects.exists()


def test_members_of_several_enterprises_must_say_which(
    reference_data, enterprise, other_enterprise
):
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, enterprise=enterprise)
    factories.MembershipFactory(user=user, enterprise=other_enterprise)

    response = client_for(user).post(BASES, base_body(), format="json")

    assert response.status_code == 400
    assert "enterprise" in errors(response)


def test_list_filters_and_query_counts(
    enterprise_client, enterprise, reference_data, django_assert_max_num_queries
):
    def make(count):
        for _ in range(count):
            product = factories.ProductFactory(enterprise=enterprise)
            factories.ProductionBaseFactory(enterprise=enterprise).products.add(product)

    make(2)
    enterprise_client.get(BASES)
    with django_assert_max_num_queries(6):
        assert len(enterprise_client.get(BASES).json()["results"]) == 2
    with django_assert_max_num_queries(6):
        assert len(enterprise_client.get(PRODUCTS).json()["results"]) == 2
    make(10)
    with django_assert_max_num_queries(6):
        assert len(enterprise_client.get(BASES).json()["results"]) == 12
    with django_assert_max_num_queries(6):
        assert len(enterprise_client.get(PRODUCTS).json()["results"]) == 12

    assert enterprise_client.get(BASES, {"kind": "cold_store"}).json()["count"] == 0
    assert enterprise_client.get(PRODUCTS, {"hs_code": "0805"}).json()["count"] == 12
    assert enterprise_client.get(PRODUCTS, {"search": "Ai Yuan"}).json()["count"] == 12


def test_harvest_months_round_trip_sorted_and_unique(enterprise_client, enterprise, reference_data):
    response = enterprise_client.post(
        PRODUCTS,
        {
            "name_zh": "柑橘",
            "category": "fruits",
            "hs_code": "080521",
            "harvest_months": [12, 1, 11, 1],
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["harvest_months"] == [1, 11, 12]
    product_id = response.json()["id"]
    patched = enterprise_client.patch(
        f"{PRODUCTS}{product_id}/", {"harvest_months": [3]}, format="json"
    )
    assert patched.json()["harvest_months"] == [3]
    assert Product.objects.get().harvest_months == [3]


@pytest.mark.parametrize("months", [[13], [0], ["x"], [1.5], [True], "11", {"a": 1}])
def test_a_month_outside_1_to_12_is_400_naming_harvest_months(
    enterprise_client, reference_data, months
):
    body = {"name_zh": "柑橘", "category": "fruits", "hs_code": "080521", "harvest_months": months}

    response = enterprise_client.post(PRODUCTS, body, format="json")

    assert response.status_code == 400, response.content
    assert "harvest_months" in errors(response)
    assert not Product.objects.exists()
