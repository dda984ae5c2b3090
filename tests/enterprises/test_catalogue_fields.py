"""What a product shows in the catalogue for overseas buyers: packaging, minimum order, Incoterms
offered and whether it is listed, set through the API and the portal's product form."""

from decimal import Decimal

import pytest
from django.urls import reverse

from enterprises.models import Product
from tests import factories

PRODUCTS = "/api/v1/products/"
CITRUS = {"name_zh": "丹棱晚熟柑橘", "category": "fruits", "hs_code": "0805"}


@pytest.fixture
def member_client(client, enterprise_user, reference_data):
    client.force_login(enterprise_user)
    return client


def errors(response):
    return {error["field"]: error for error in response.json()["errors"]}


def test_catalogue_fields_are_set_and_read_through_the_api(enterprise_client, reference_data):
    body = {
        **CITRUS,
        "packaging": "10 kg cartons",
        "min_order_quantity": "5",
        "min_order_unit": "t",
        "incoterms": ["CIF", "FOB", "FOB"],
    }
    response = enterprise_client.post(PRODUCTS, body, format="json")

    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["packaging"] == "10 kg cartons"
    assert (answer["min_order_quantity"], answer["min_order_unit"]) == ("5.000", "t")
    assert answer["incoterms"] == ["FOB", "CIF"]  # once each, in the order Incoterms lists them
    assert answer["listed_in_catalogue"] is True

    response = enterprise_client.patch(
        f"{PRODUCTS}{answer['id']}/",
        {"listed_in_catalogue": False, "min_order_quantity": None, "min_order_unit": ""},
        format="json",
    )
    assert response.status_code == 200, response.content
    product = Product.objects.get()
    assert product.listed_in_catalogue is False
    assert (product.min_order_quantity, product.min_order_unit) == (None, "")


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"incoterms": ["FOB", "XYZ"]}, "incoterms"),
        ({"incoterms": "FOB"}, "incoterms"),
        ({"min_order_quantity": "5"}, "min_order_unit"),
        ({"min_order_unit": "t"}, "min_order_quantity"),
        ({"min_order_quantity": "0", "min_order_unit": "t"}, "min_order_quantity"),
        ({"min_order_quantity": "5", "min_order_unit": "barrel"}, "min_order_unit"),
        ({"packaging": "x" * 201}, "packaging"),
    ],
)
def test_bad_catalogue_input_is_400_naming_the_field(
    enterprise_client, reference_data, override, field
):
    response = enterprise_client.post(PRODUCTS, {**CITRUS, **override}, format="json")

    assert response.status_code == 400, response.content
    assert any(name.split("[")[0] == field for name in errors(response)), errors(response)
    assert not Product.objects.exists()


def test_a_half_minimum_order_is_refused_on_update_too(
    enterprise_client, enterprise, reference_data
):
    product = factories.ProductFactory(
        enterprise=enterprise, min_order_quantity=Decimal("5"), min_order_unit="t"
    )

    response = enterprise_client.patch(
        f"{PRODUCTS}{product.pk}/", {"min_order_unit": ""}, format="json"
    )

    assert response.status_code == 400
    assert "min_order_unit" in errors(response)
    product.refresh_from_db()
    assert product.min_order_unit == "t"


def test_the_portal_form_sets_the_catalogue_fields(member_client, enterprise):
    response = member_client.post(
        reverse("portal:product-new"),
        {
            **CITRUS,
            "listed_in_catalogue": "on",
            "packaging": "5 kg gift boxes",
            "min_order_quantity": "200",
            "min_order_unit": "carton",
            "incoterms": ["FOB", "EXW"],
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    product = Product.objects.get()
    assert product.listed_in_catalogue is True
    assert product.packaging == "5 kg gift boxes"
    assert (product.min_order_quantity, product.min_order_unit) == (Decimal("200"), "carton")
    assert product.incoterms == ["EXW", "FOB"]


def test_the_portal_form_says_a_half_minimum_order_at_its_field(member_client, enterprise):
    response = member_client.post(
        reverse("portal:product-new"), {**CITRUS, "min_order_quantity": "200"}
    )

    assert response.status_code == 200
    assert "min_order_unit" in response.context["form"].errors
    assert not Product.objects.exists()
