"""Dispatch runs the real certification readiness over the market-requirement catalogue."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certification import catalogue
from certification.models import Scheme
from logistics.models import Shipment
from tests import factories
from tests.certification.factories import CertificateFactory, caviar_product
from tests.logistics.factories import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(db):
    factories.currency("USD")
    factories.location("CNCTU", "Chengdu")
    factories.location("MYKUL", "Kuala Lumpur")
    return factories.country("MY", "Malaysia", ("ASEAN", "RCEP"))


def upload(client, shipment_id, doc_type):
    response = client.post(
        f"/api/v1/shipments/{shipment_id}/documents/",
        {"doc_type": doc_type, "file": SimpleUploadedFile(f"{doc_type}.pdf", PDF)},
        format="multipart",
    )
    assert response.status_code == 201, response.content


def test_caviar_to_malaysia_waits_for_cites_permit_and_documents(
    enterprise_client, enterprise, partner, places
):
    catalogue.load()
    caviar = caviar_product(enterprise)
    response = enterprise_client.post(
        "/api/v1/shipments/",
        {
            "reference": "RZ-MY-2026-001",
            "consignee_name": "KL Gourmet Sdn Bhd",
            "consignee_country": "MY",
            "origin": "CNCTU",
            "destination": "MYKUL",
            "transport_mode": "air",
            "incoterm": "CIP",
            "carrier": partner.pk,
            "planned_departure": "2026-12-01T08:00:00+08:00",
            "planned_arrival": "2026-12-01T18:00:00+08:00",
            "items": [
                {
                    "product": caviar.pk,
                    "net_kg": "40",
                    "declared_value": "32000.00",
                    "currency": "USD",
                }
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    shipment_id = response.json()["id"]
    url = f"/api/v1/shipments/{shipment_id}/dispatch/"

    refused = enterprise_client.post(url)
    assert refused.status_code == 409, refused.json()
    body = refused.json()
    assert body["code"] == "not_ready"
    missing = {(item["kind"], item["code"]) for item in body["missing"]}
    assert ("scheme", "CITES-EXPORT") in missing
    assert ("document", "veterinary_health") in missing
    # A certificate of origin only claims the ACFTA/RCEP tariff: the goods may leave without it.
    assert not {code for _, code in missing} & {"origin_form_e", "origin_rcep"}
    assert Shipment.objects.get(pk=shipment_id).status == "booked"

    upload(enterprise_client, shipment_id, "veterinary_health")
    still = enterprise_client.post(url)
    assert still.status_code == 409
    assert [(m["kind"], m["code"]) for m in still.json()["missing"]] == [("scheme", "CITES-EXPORT")]

    CertificateFactory(
        enterprise=enterprise, scheme=Scheme.objects.get(code="CITES-EXPORT")
    ).scope_products.set([caviar])
    dispatched = enterprise_client.post(url)
    assert dispatched.status_code == 200, dispatched.json()
    assert dispatched.json()["status"] == "in_transit"
