"""`seed_demo` ends with analytics facts for the demo cases and Runzhao's loan evidence."""

import pytest
from django.core.management import call_command

from analytics.models import CertificateFact, CertificationFact, ShipmentFact
from certification.models import Application, Certificate
from finance.models import FinancingRequest
from logistics.demo import CASES
from logistics.models import Shipment

pytestmark = pytest.mark.django_db


def test_seed_demo_writes_facts_and_links_the_caviar_shipment_as_evidence():
    call_command("seed_demo")
    shipments = Shipment.objects.filter(reference__in=[case.reference for case in CASES])
    assert shipments.count() == len(CASES)
    facts = ShipmentFact.objects.filter(shipment_id__in=shipments.values("pk"))
    assert facts.count() == len(CASES)
    assert all(fact.is_export and fact.value_cny for fact in facts)  # USD rates are seeded
    assert CertificationFact.objects.count() == Application.objects.count() >= 1
    assert CertificateFact.objects.count() == Certificate.objects.count() >= 3

    loan = FinancingRequest.objects.get(kind="pre_shipment_loan")
    evidence = {item.kind: item.summary for item in loan.evidence.all()}
    assert evidence["shipment"]["reference"] == "RZ-VN-2026-014"
    assert evidence["shipment"]["cold_chain"]["reading_count"] > 0
    assert evidence["certificate"]["scheme"] == "CITES-EXPORT"

    call_command("seed_demo")  # idempotent
    assert loan.evidence.count() == 2
    assert ShipmentFact.objects.count() == facts.count()
