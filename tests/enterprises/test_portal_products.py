"""Journey 3 in the portal: production bases (area in mu or m²) and products (HS code search as
one types, the band proposed from the HS code's cold-chain profile). The services write."""

from decimal import Decimal

import pytest
from django.urls import reverse

from agri_platform.events.models import Event
from enterprises.models import Product, ProductionBase
from tests import factories


@pytest.fixture
def member_client(client, enterprise_user, reference_data):
    client.force_login(enterprise_user)
    return client


def base_form(**overrides) -> dict:
    body = {
        "name": "Danling orchard",
        "kind": "orchard",
        "prefecture": "511400",
        "county": "丹棱县",
        "area": "300",
        "area_unit": "mu",
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize(("unit", "stored"), [("mu", "200000.00"), ("m2", "300.00")])
def test_the_area_unit_chosen_is_converted_to_m2(member_client, unit, stored):
    response = member_client.post(reverse("portal:base-new"), base_form(area_unit=unit))

    assert response.status_code == 302
    assert ProductionBase.objects.get().area_m2 == Decimal(stored)
    assert Event.objects.filter(kind="enterprise.production_base_added").exists()


def test_a_negative_area_is_refused_at_the_field(member_client):
    response = member_client.post(reverse("portal:base-new"), base_form(area="-3"))

    assert response.status_code == 200
    assert "area" in response.context["form"].errors
    assert not ProductionBase.objects.exists()


def test_a_new_product_takes_the_band_of_its_hs_codes_profile(member_client, enterprise):
    base = factories.ProductionBaseFactory(enterprise=enterprise)
    response = member_client.post(
        reverse("portal:product-new"),
        {
            "name_zh": "丹棱不知火",
            "category": "fruits",
            "hs_code": "0805.21",
            "production_bases": [base.pk],
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    product = Product.objects.get()
    assert product.cold_chain_profile.code == "mandarins"
    assert (product.temp_min_c, product.temp_max_c) == (Decimal("4.0"), Decimal("8.0"))
    assert list(product.production_bases.all()) == [base]
    assert Event.objects.filter(kind="enterprise.product_added").exists()


@pytest.mark.parametrize(("language", "words"), [("en", "inverted"), ("zh-hans", "颠倒")])
def test_an_inverted_band_is_said_at_the_field_in_the_readers_language(
    member_client, enterprise_user, language, words
):
    enterprise_user.language = language
    enterprise_user.save(update_fields=["language"])
    response = member_client.post(
        reverse("portal:product-new"),
        {
            "name_zh": "丹棱不知火",
            "category": "fruits",
            "hs_code": "080521",
            "temp_min_c": "9",
            "temp_max_c": "2",
        },
    )

    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors["temp_min_c"])


def test_an_unknown_hs_code_is_refused_at_the_field(member_client):
    response = member_client.post(
        reverse("portal:product-new"),
        {"name_zh": "未知", "category": "fruits", "hs_code": "999999"},
    )

    assert response.status_code == 200
    assert "hs_code" in response.context["form"].errors


def test_the_hs_code_search_answers_htmx_with_suggestions_and_the_band(member_client):
    response = member_client.get(
        reverse("portal:product-hs-codes"), {"hs_code": "0805"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<datalist" in html and 'value="080521"' in html
    assert "<html" not in html


def test_a_product_is_edited_and_deleted_through_the_services(member_client, enterprise):
    product = factories.ProductFactory(enterprise=enterprise)
    address = reverse("portal:product", args=[product.pk])
    assert member_client.get(address).status_code == 200

    response = member_client.post(
        address,
        {
            "name_zh": "爱媛柑橘",
            "name_en": "Ai Yuan mandarin",
            "category": "fruits",
            "hs_code": product.hs_code_id,
            "temp_min_c": "3",
            "temp_max_c": "7",
        },
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.temp_min_c == Decimal("3.0")

    assert member_client.post(address, {"delete": "1"}).status_code == 302
    assert not Product.objects.filter(pk=product.pk).exists()
    assert Event.objects.filter(kind="enterprise.product_removed").exists()


@pytest.mark.parametrize(
    ("language", "names"), [("en", "Jan, Nov, Dec"), ("zh-hans", "1月、11月、12月")]
)
def test_harvest_months_are_ticked_saved_by_the_service_and_listed(
    member_client, enterprise_user, language, names
):
    enterprise_user.language = language
    enterprise_user.save(update_fields=["language"])
    response = member_client.post(
        reverse("portal:product-new"),
        {
            "name_zh": "丹棱不知火",
            "category": "fruits",
            "hs_code": "080521",
            "harvest_months": ["12", "1", "11"],
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    product = Product.objects.get()
    assert product.harvest_months == [1, 11, 12]
    assert Event.objects.filter(kind="enterprise.product_added").exists()
    assert names in member_client.get(reverse("portal:products")).content.decode()
    form_page = member_client.get(reverse("portal:product", args=[product.pk]))
    assert form_page.context["form"]["harvest_months"].value() == [1, 11, 12]


def test_a_month_outside_the_list_is_refused_at_the_field(member_client):
    response = member_client.post(
        reverse("portal:product-new"),
        {
            "name_zh": "丹棱不知火",
            "category": "fruits",
            "hs_code": "080521",
            "harvest_months": ["13"],
        },
    )

    assert response.status_code == 200
    assert "harvest_months" in response.context["form"].errors
    assert not Product.objects.exists()
