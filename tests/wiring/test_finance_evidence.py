"""Finance evidence: the logistics and certification resolvers registered at start-up."""

from datetime import timedelta

import pytest
from django.utils import timezone

from finance import evidence
from logistics.services.telemetry import telemetry_ingest
from tests import factories
from tests.certification.factories import CertificateFactory
from tests.finance.factories import routed_request
from tests.logistics.factories import ShipmentFactory

pytestmark = pytest.mark.django_db


def test_shipment_and_certificate_resolvers_are_registered_at_start_up():
    assert evidence.registered_kinds() == ["certificate", "shipment"]


def readings(start, temps):
    return [
        {"sensor_id": "RF-01", "time": (start + timedelta(minutes=5 * i)).isoformat(), "temp_c": t}
        for i, t in enumerate(temps)
    ]


def test_partner_sees_the_shipment_summary_with_its_cold_chain_record(
    enterprise, enterprise_client, make_partner_client
):
    bank = factories.PartnerFactory(kind="bank")
    shipment = ShipmentFactory(enterprise=enterprise, reference="RZ-VN-2026-014")
    start = timezone.now() - timedelta(hours=3)
    telemetry_ingest(actor=None, shipment=shipment, readings=readings(start, [5.0, 6.0, 7.0, 6.0]))
    financing_request = routed_request(enterprise=enterprise, partners=[bank])
    url = f"/api/v1/finance/requests/{financing_request.pk}/evidence/"

    response = enterprise_client.post(
        url, {"kind": "shipment", "object_id": str(shipment.pk)}, format="json"
    )
    assert response.status_code == 201, response.json()

    seen = make_partner_client(bank, ["finance:read"]).get(
        f"/api/v1/finance/requests/{financing_request.pk}/"
    )
    assert seen.status_code == 200
    summary = seen.json()["evidence"][0]["summary"]
    assert summary["reference"] == "RZ-VN-2026-014"
    assert summary["destination"] == "MYKUL" and summary["destination_country"] == "MY"
    assert summary["status"] == "booked"
    assert summary["route"] == shipment.route
    assert summary["items_total"]["declared_value"] == [{"currency": "USD", "amount": "96000.00"}]
    cold_chain = summary["cold_chain"]
    assert cold_chain["band_c"] == ["4.0", "8.0"]
    assert cold_chain["reading_count"] == 4
    assert cold_chain["temp_min_c"] == 5.0 and cold_chain["temp_max_c"] == 7.0
    assert cold_chain["temp_mean_c"] == 6.0
    assert cold_chain["mean_kinetic_temperature_c"] is not None
    assert cold_chain["time_in_band_pct"] == 100.0
    assert cold_chain["excursion_count"] == 0 and cold_chain["excursion_minutes"] == 0


@pytest.mark.parametrize("object_id", ["theirs", "999999", "abc"])
def test_another_enterprises_or_a_missing_shipment_is_the_same_400(
    enterprise, enterprise_client, other_enterprise, object_id
):
    theirs = ShipmentFactory(enterprise=other_enterprise)
    financing_request = routed_request(enterprise=enterprise, partners=[])
    response = enterprise_client.post(
        f"/api/v1/finance/requests/{financing_request.pk}/evidence/",
        {"kind": "shipment", "object_id": str(theirs.pk) if object_id == "theirs" else object_id},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"] == "object_id" and body["code"] != "evidence_kind_unavailable"
    assert theirs.reference not in response.content.decode()
    assert financing_request.evidence.count() == 0


def test_certificate_evidence_is_own_only_and_shows_validity(
    enterprise, enterprise_client, other_enterprise
):
    own = CertificateFactory(enterprise=enterprise)
    theirs = CertificateFactory(enterprise=other_enterprise)
    financing_request = routed_request(enterprise=enterprise, partners=[])
    url = f"/api/v1/finance/requests/{financing_request.pk}/evidence/"

    response = enterprise_client.post(
        url, {"kind": "certificate", "object_id": str(own.pk)}, format="json"
    )
    assert response.status_code == 201, response.json()
    summary = response.json()["summary"]
    assert summary["number"] == own.number and summary["scheme"] == own.scheme.code
    assert summary["status"] == "active" and summary["valid_now"] is True
    assert summary["valid_until"] == own.expiry_date.isoformat()

    for object_id in (str(theirs.pk), theirs.number):
        refused = enterprise_client.post(
            url, {"kind": "certificate", "object_id": object_id}, format="json"
        )
        assert refused.status_code == 400
        assert refused.json()["errors"][0]["field"] == "object_id"
        assert theirs.number not in refused.content.decode() or object_id == theirs.number
