"""One answer for an id in a body that is not the caller's and for one that does not exist: the same
400, field, code (`does_not_exist`) and message, in every app (agri_platform/api/serializers.py
`ScopedPrimaryKeyRelatedField` and `unknown_id`)."""

import re

import pytest

from agri_platform.accounts.choices import PartnerKind
from agri_platform.reference.loading import load_reference_data
from tests import factories
from tests.certification.factories import SchemeFactory
from tests.finance.factories import routed_request
from tests.logistics.factories import ShipmentFactory, booking, booking_places

pytestmark = pytest.mark.django_db

MISSING = 987654321


def _normalised(response, pk) -> dict:
    """The answer with the id the message echoes replaced by <id>, in whatever language and
    quotation marks the message uses (DRF's “2”, "2"): a number standing alone in a text."""
    echoed = re.compile(rf"(?<!\d){pk}(?!\d)")

    def without_id(value):
        if isinstance(value, str):
            return echoed.sub("<id>", value)
        if isinstance(value, dict):
            return {key: without_id(item) for key, item in value.items()}
        if isinstance(value, list):
            return [without_id(item) for item in value]
        return value

    return without_id(response.json())


def assert_same_answer(post, body_with, foreign_pk, field):
    theirs = post(body_with(foreign_pk))
    missing = post(body_with(MISSING))
    assert theirs.status_code == missing.status_code == 400, (theirs.content, missing.content)
    assert _normalised(theirs, foreign_pk) == _normalised(missing, MISSING)
    error = theirs.json()["errors"][0]
    assert (error["field"], error["code"]) == (field, "does_not_exist")


@pytest.fixture
def reference(db):
    load_reference_data()


# --- logistics --------------------------------------------------------------------------------


@pytest.fixture
def shipment_post(enterprise_client):
    booking_places()
    return lambda body: enterprise_client.post("/api/v1/shipments/", body, format="json")


def test_shipment_item_product(shipment_post, enterprise, other_enterprise, partner):
    mine = factories.ProductFactory(enterprise=enterprise)
    theirs = factories.ProductFactory(enterprise=other_enterprise)

    def body(pk):
        data = booking(enterprise, partner, mine)
        data["items"][0]["product"] = pk
        return data

    assert_same_answer(shipment_post, body, theirs.pk, "items[0].product")


def test_shipment_enterprise(shipment_post, enterprise, other_enterprise, partner):
    mine = factories.ProductFactory(enterprise=enterprise)
    assert_same_answer(
        shipment_post,
        lambda pk: {**booking(enterprise, partner, mine), "enterprise": pk},
        other_enterprise.pk,
        "enterprise",
    )


def test_shipment_carrier_that_is_not_a_carrier(shipment_post, enterprise):
    mine = factories.ProductFactory(enterprise=enterprise)
    bank = factories.PartnerFactory(kind=PartnerKind.BANK)
    assert_same_answer(
        shipment_post,
        lambda pk: {**booking(enterprise, bank, mine), "carrier": pk},
        bank.pk,
        "carrier",
    )


# --- enterprises ------------------------------------------------------------------------------


def test_production_base_products(enterprise_client, other_enterprise, reference):
    theirs = factories.ProductFactory(enterprise=other_enterprise)

    def body(pk):
        return {
            "name": "Danling orchard",
            "kind": "orchard",
            "prefecture": "511400",
            "area_mu": "300",
            "products": [pk],
        }

    assert_same_answer(
        lambda b: enterprise_client.post("/api/v1/production-bases/", b, format="json"),
        body,
        theirs.pk,
        "products",
    )


# --- certification ----------------------------------------------------------------------------


def test_application_scope_products_and_enterprise(enterprise_client, enterprise, other_enterprise):
    scheme = SchemeFactory()
    theirs = factories.ProductFactory(enterprise=other_enterprise)
    mine = factories.ProductFactory(enterprise=enterprise)

    def post(body):
        return enterprise_client.post("/api/v1/certification/applications/", body, format="json")

    assert_same_answer(
        post,
        lambda pk: {"scheme": scheme.code, "scope_products": [pk]},
        theirs.pk,
        "scope_products",
    )
    assert_same_answer(
        post,
        lambda pk: {"scheme": scheme.code, "scope_products": [mine.pk], "enterprise": pk},
        other_enterprise.pk,
        "enterprise",
    )


# --- finance ----------------------------------------------------------------------------------


def test_financing_request_enterprise_and_evidence(enterprise_client, enterprise, other_enterprise):
    factories.currency("CNY")
    body = {
        "kind": "pre_shipment_loan",
        "amount": "2000000.00",
        "currency": "CNY",
        "term_days": 90,
        "purpose": "Pre-shipment loan",
    }
    assert_same_answer(
        lambda b: enterprise_client.post("/api/v1/finance/requests/", b, format="json"),
        lambda pk: {**body, "enterprise": pk},
        other_enterprise.pk,
        "enterprise",
    )

    financing_request = routed_request(enterprise=enterprise, partners=[])
    theirs = ShipmentFactory(enterprise=other_enterprise)
    url = f"/api/v1/finance/requests/{financing_request.pk}/evidence/"
    assert_same_answer(
        lambda b: enterprise_client.post(url, b, format="json"),
        lambda pk: {"kind": "shipment", "object_id": str(pk)},
        theirs.pk,
        "object_id",
    )


# --- legal ------------------------------------------------------------------------------------


def test_legal_request_enterprise(enterprise_client, other_enterprise):
    body = {
        "kind": "contract_review",
        "title": "Review our distributor contract",
        "description": "A distributor contract for Viet Nam.",
    }
    assert_same_answer(
        lambda b: enterprise_client.post("/api/v1/legal/requests/", b, format="json"),
        lambda pk: {**body, "enterprise": pk},
        other_enterprise.pk,
        "enterprise",
    )
