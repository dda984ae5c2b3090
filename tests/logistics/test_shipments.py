"""Booking, documents, dispatch, cancel, tracking token, list query counts."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agri_platform.accounts.choices import PartnerKind
from agri_platform.events.models import Event
from certification.readiness import RequirementCheck
from logistics.models import Shipment
from tests import factories

from .factories import PDF, ShipmentDocumentFactory, ShipmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(db):
    factories.currency("USD")
    factories.currency("MYR")
    factories.location("CNCTU", "Chengdu")
    factories.location("MYKUL", "Kuala Lumpur")
    return factories.country("MY", "Malaysia")


def booking(enterprise, carrier, *products, **overrides):
    items = [
        {
            "product": p.pk,
            "net_kg": "1000.000",
            "packages": 100,
            "declared_value": "8000.00",
            "currency": "USD",
        }
        for p in products
    ]
    data = {
        "reference": "BY-2026-001",
        "consignee_name": "Pasar Borong Selayang",
        "consignee_country": "MY",
        "origin": "CNCTU",
        "destination": "MYKUL",
        "transport_mode": "reefer_truck",
        "route": "Chengdu - Mohan - Boten - Bangkok - Kuala Lumpur",
        "incoterm": "CIF",
        "carrier": carrier.pk,
        "planned_departure": "2026-01-12T08:00:00+08:00",
        "planned_arrival": "2026-01-17T18:00:00+08:00",
        "items": items,
    }
    data.update(overrides)
    return data


def test_book_a_shipment_with_the_band_intersection(enterprise_client, enterprise, partner, places):
    mandarin = factories.ProductFactory(enterprise=enterprise, temp_min_c=4, temp_max_c=8)
    orange = factories.ProductFactory(
        enterprise=enterprise, name_en="Blood orange", temp_min_c=3, temp_max_c=7
    )
    response = enterprise_client.post(
        "/api/v1/shipments/", booking(enterprise, partner, mandarin, orange), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["temp_min_c"], body["temp_max_c"]) == ("4.0", "7.0")
    assert body["status"] == "booked"
    assert body["allowed_actions"] == ["dispatch", "cancel"]
    assert len(body["tracking_token"]) >= 32
    event = Event.objects.get(kind="shipment.booked")
    assert list(event.partners.all()) == [partner]
    assert Shipment.objects.get().history.count() == 1


def test_clashing_bands_are_a_400_naming_the_products(
    enterprise_client, enterprise, partner, places
):
    mandarin = factories.ProductFactory(enterprise=enterprise, temp_min_c=4, temp_max_c=8)
    caviar = factories.ProductFactory(
        enterprise=enterprise, name_en="Sturgeon caviar", temp_min_c=-2, temp_max_c=2
    )
    response = enterprise_client.post(
        "/api/v1/shipments/", booking(enterprise, partner, mandarin, caviar), format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "band_conflict"
    assert "Ai Yuan mandarin" in body["detail"] and "Sturgeon caviar" in body["detail"]
    assert {p["id"] for p in body["clashing_products"]} == {mandarin.pk, caviar.pk}
    assert not Shipment.objects.exists()


def test_quantities_in_jin_are_stored_in_kg(enterprise_client, enterprise, partner, places):
    product = factories.ProductFactory(enterprise=enterprise)
    data = booking(enterprise, partner, product)
    del data["items"][0]["net_kg"]
    data["items"][0]["net_jin"] = "24000"
    response = enterprise_client.post("/api/v1/shipments/", data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["items"][0]["net_kg"] == "12000.000"


def test_both_kg_and_jin_is_400(enterprise_client, enterprise, partner, places):
    product = factories.ProductFactory(enterprise=enterprise)
    data = booking(enterprise, partner, product)
    data["items"][0]["net_jin"] = "10"
    response = enterprise_client.post("/api/v1/shipments/", data, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"].startswith("items")


def test_unverified_enterprise_cannot_book(enterprise_client, enterprise, partner, places):
    enterprise.status = "pending"
    enterprise.save()
    product = factories.ProductFactory(enterprise=enterprise)
    response = enterprise_client.post(
        "/api/v1/shipments/", booking(enterprise, partner, product), format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "enterprise_not_verified"


def test_product_of_another_enterprise_is_refused(
    enterprise_client, enterprise, other_enterprise, partner, places
):
    foreign = factories.ProductFactory(enterprise=other_enterprise)
    response = enterprise_client.post(
        "/api/v1/shipments/", booking(enterprise, partner, foreign), format="json"
    )
    assert response.status_code == 400


def test_carrier_must_be_a_carrier(enterprise_client, enterprise, places):
    bank = factories.PartnerFactory(kind=PartnerKind.BANK)
    product = factories.ProductFactory(enterprise=enterprise)
    response = enterprise_client.post(
        "/api/v1/shipments/", booking(enterprise, bank, product), format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "carrier"


def test_reference_is_unique_per_enterprise(enterprise_client, enterprise, partner, places):
    product = factories.ProductFactory(enterprise=enterprise)
    data = booking(enterprise, partner, product)
    assert enterprise_client.post("/api/v1/shipments/", data, format="json").status_code == 201
    again = enterprise_client.post("/api/v1/shipments/", data, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate_reference"


def test_partner_cannot_book(make_partner_client, partner, enterprise, places):
    client = make_partner_client(partner, ["logistics:write"])
    product = factories.ProductFactory(enterprise=enterprise)
    response = client.post(
        "/api/v1/shipments/", booking(enterprise, partner, product), format="json"
    )
    assert response.status_code == 403


# --- documents, dispatch, cancel ---------------------------------------------------------------


def test_upload_a_document(enterprise_client, enterprise, partner):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    response = enterprise_client.post(
        f"/api/v1/shipments/{shipment.pk}/documents/",
        {
            "doc_type": "phytosanitary",
            "number": "PH-51-2026-0001",
            "file": SimpleUploadedFile("p.pdf", PDF),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["content_type"] == "application/pdf" and len(body["sha256"]) == 64
    listed = enterprise_client.get(f"/api/v1/shipments/{shipment.pk}/documents/").json()
    assert [d["doc_type"] for d in listed] == ["phytosanitary"]


def test_document_that_is_not_pdf_or_image_is_415(enterprise_client, enterprise, partner):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    response = enterprise_client.post(
        f"/api/v1/shipments/{shipment.pk}/documents/",
        {"doc_type": "packing_list", "file": SimpleUploadedFile("list.pdf", b"MZ\x90 nope")},
        format="multipart",
    )
    assert response.status_code == 415


def test_carrier_key_cannot_read_documents(make_partner_client, enterprise, partner):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    client = make_partner_client(partner, ["logistics:write"])
    assert client.get(f"/api/v1/shipments/{shipment.pk}/documents/").status_code == 403


def test_dispatch_refuses_with_what_is_missing(enterprise_client, enterprise, partner, monkeypatch):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    ShipmentDocumentFactory(shipment=shipment, doc_type="commercial_invoice")
    seen = {}

    def fake_readiness(*, enterprise, products, destination, on_date, documents_on_hand):
        seen.update(
            enterprise=enterprise,
            products=list(products),
            destination=destination,
            on_date=on_date,
            documents=list(documents_on_hand),
        )
        return [
            RequirementCheck(
                kind="document", code="commercial_invoice", name="Invoice", status="met"
            ),
            RequirementCheck(
                kind="document",
                code="phytosanitary",
                name="Phytosanitary certificate",
                status="missing",
            ),
        ]

    monkeypatch.setattr("certification.readiness.check_readiness", fake_readiness)
    response = enterprise_client.post(f"/api/v1/shipments/{shipment.pk}/dispatch/")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "not_ready"
    assert [m["code"] for m in body["missing"]] == ["phytosanitary"]
    assert seen["documents"] == ["commercial_invoice"]
    assert seen["destination"].code == "MY"
    assert seen["on_date"] == shipment.planned_departure.date()
    assert [p.pk for p in seen["products"]] == [shipment.items.get().product_id]
    shipment.refresh_from_db()
    assert shipment.status == "booked" and shipment.dispatched_at is None
    assert not Event.objects.filter(kind="shipment.dispatched").exists()


def test_dispatch_when_ready(enterprise_client, enterprise, partner):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    response = enterprise_client.post(f"/api/v1/shipments/{shipment.pk}/dispatch/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_transit"
    assert Event.objects.filter(kind="shipment.dispatched").count() == 1
    again = enterprise_client.post(f"/api/v1/shipments/{shipment.pk}/dispatch/")
    assert again.status_code == 409
    assert again.json()["current_status"] == "in_transit"
    assert again.json()["allowed_actions"] == []


def test_carrier_cannot_dispatch(make_partner_client, enterprise, partner):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    client = make_partner_client(partner, ["logistics:write"])
    assert client.post(f"/api/v1/shipments/{shipment.pk}/dispatch/").status_code == 403


def test_cancel(enterprise_client, enterprise, partner):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    response = enterprise_client.post(
        f"/api/v1/shipments/{shipment.pk}/cancel/", {"reason": "Order withdrawn"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    event = Event.objects.get(kind="shipment.cancelled")
    assert event.payload["reason"] == "Order withdrawn"
    assert enterprise_client.post(f"/api/v1/shipments/{shipment.pk}/dispatch/").status_code == 409


def test_rotate_tracking_token(enterprise_client, enterprise, partner, api_client):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    old = shipment.tracking_token
    response = enterprise_client.post(f"/api/v1/shipments/{shipment.pk}/rotate-tracking-token/")
    assert response.status_code == 200
    new = response.json()["tracking_token"]
    assert new != old and response.json()["tracking_url"].endswith(f"/track/{new}/")
    assert api_client.get(f"/api/v1/tracking/{old}/").status_code == 404
    assert api_client.get(f"/api/v1/tracking/{new}/").status_code == 200


def test_carrier_does_not_see_the_tracking_token(make_partner_client, enterprise, partner):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    client = make_partner_client(partner, ["logistics:read"])
    body = client.get(f"/api/v1/shipments/{shipment.pk}/").json()
    assert body["tracking_token"] is None
    assert body["reference"] == shipment.reference


# --- list --------------------------------------------------------------------------------------


def test_list_query_count_is_constant_whatever_the_page_size(
    enterprise_client, enterprise, partner, django_assert_max_num_queries
):
    for _ in range(3):
        ShipmentFactory(enterprise=enterprise, carrier=partner)
    enterprise_client.get("/api/v1/me/")  # the token's first use stamps last_used_at
    with django_assert_max_num_queries(8) as small:
        response = enterprise_client.get("/api/v1/shipments/", {"page_size": 2})
    assert len(response.json()["results"]) == 2
    for _ in range(25):
        ShipmentFactory(enterprise=enterprise, carrier=partner)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = enterprise_client.get("/api/v1/shipments/", {"page_size": 28})
    assert len(response.json()["results"]) == 28
    assert len(large.captured_queries) == len(small.captured_queries)


def test_list_is_cursor_paginated_and_filtered(enterprise_client, enterprise, partner):
    shipments = [ShipmentFactory(enterprise=enterprise, carrier=partner) for _ in range(5)]
    shipments[0].status = "delivered"
    shipments[0].save()
    page = enterprise_client.get("/api/v1/shipments/", {"page_size": 3}).json()
    assert "cursor=" in page["next"]
    rest = enterprise_client.get(page["next"]).json()
    ids = [s["id"] for s in page["results"] + rest["results"]]
    assert sorted(ids, reverse=True) == ids and len(ids) == 5
    delivered = enterprise_client.get("/api/v1/shipments/", {"status": "delivered"}).json()
    assert [s["id"] for s in delivered["results"]] == [shipments[0].pk]


def test_carrier_lists_only_its_shipments(make_partner_client, enterprise, partner):
    mine = ShipmentFactory(enterprise=enterprise, carrier=partner)
    ShipmentFactory(enterprise=enterprise)  # another carrier's
    client = make_partner_client(partner, ["logistics:read"])
    ids = [s["id"] for s in client.get("/api/v1/shipments/").json()["results"]]
    assert ids == [mine.pk]


def test_declared_value_is_decimal_with_currency(enterprise_client, enterprise, partner):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    item = enterprise_client.get(f"/api/v1/shipments/{shipment.pk}/").json()["items"][0]
    assert Decimal(item["declared_value"]) == Decimal("96000.00") and item["currency"] == "USD"
    assert date.fromisoformat(
        enterprise_client.get(f"/api/v1/shipments/{shipment.pk}/").json()["planned_departure"][:10]
    )
