"""Logistics and certification feed the analytics facts through `reports.*` tasks queued on commit."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from analytics import choices as analytics_choices
from analytics.models import (
    CertificateFact,
    CertificationFact,
    FxRate,
    ShipmentFact,
)
from certification.choices import ApplicationStatus
from logistics import facts as shipment_facts
from logistics.choices import ShipmentStatus
from tests import factories
from tests.certification.factories import SchemeFactory
from tests.certification.helpers import API as CERT_API
from tests.certification.helpers import submitted_application
from tests.logistics.factories import ShipmentFactory, booking, booking_places

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(db):
    return booking_places()


@pytest.fixture
def usd_rate(db):
    month = timezone.now().date().replace(day=1)
    return FxRate.objects.create(currency="USD", month=month, rate_to_cny=Decimal("7.1"))


def destination_row(staff_client, code="MY"):
    response = staff_client.get("/api/v1/analytics/exports/?group_by=destination")
    assert response.status_code == 200, response.json()
    return next((row for row in response.json()["province"]["rows"] if row["key"] == code), None)


def test_status_names_analytics_assumes_exist_in_logistics_and_certification():
    assert set(ShipmentStatus.values) >= analytics_choices.NON_EXPORT_SHIPMENT_STATUSES
    assert set(ApplicationStatus.values) >= analytics_choices.NOT_OPEN_APPLICATION_STATUSES


def test_booked_then_dispatched_shipment_reaches_the_export_figures_in_cny(
    enterprise_client,
    enterprise,
    partner,
    staff_client,
    places,
    usd_rate,
    django_capture_on_commit_callbacks,
):
    product = factories.ProductFactory(enterprise=enterprise)
    with django_capture_on_commit_callbacks(execute=True):
        response = enterprise_client.post(
            "/api/v1/shipments/", booking(enterprise, partner, product), format="json"
        )
    assert response.status_code == 201, response.json()
    shipment_id = response.json()["id"]
    fact = ShipmentFact.objects.get(shipment_id=shipment_id)
    assert fact.status == "booked" and not fact.is_export
    assert destination_row(staff_client) is None  # booked is not an export yet

    with django_capture_on_commit_callbacks(execute=True):
        response = enterprise_client.post(f"/api/v1/shipments/{shipment_id}/dispatch/")
    assert response.status_code == 200, response.json()

    row = destination_row(staff_client)
    assert row is not None
    assert row["shipments"] == 1
    assert row["value_cny"] == "56800.00"  # 8000 USD × 7.1
    assert row["volume_t"] == "1.000"
    fact.refresh_from_db()
    assert fact.is_export and fact.departed_on == timezone.now().date()
    assert fact.destination_id == "MY" and fact.currency == "USD"
    assert fact.route == "CNCTU-MYKUL" and fact.carrier_id == partner.pk
    assert list(fact.lines.values_list("category", flat=True)) == ["fruits"]


def test_a_fact_change_replaces_the_cached_figures(enterprise, partner, staff_client, places):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    shipment.dispatched_at = timezone.now()
    shipment.status = ShipmentStatus.IN_TRANSIT
    shipment.save()
    # USD without a rate for this month: counted as unconverted, never a zero value
    shipment_facts.fact_refresh(shipment_id=shipment.pk)
    row = destination_row(staff_client)
    assert row["shipments"] == 1 and row["unconverted_shipments"] == 1
    assert row["value_cny"] == "0.00"
    month = timezone.now().date().replace(day=1)
    FxRate.objects.create(currency="USD", month=month, rate_to_cny=Decimal("7"))  # no service
    assert destination_row(staff_client)["unconverted_shipments"] == 1  # the cached answer
    shipment_facts.fact_refresh(shipment_id=shipment.pk)
    row = destination_row(staff_client)
    assert row["value_cny"] == "672000.00" and row["unconverted_shipments"] == 0


def test_cancel_keeps_the_shipment_out_of_the_exports(
    enterprise_client, enterprise, partner, places, django_capture_on_commit_callbacks
):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    with django_capture_on_commit_callbacks(execute=True):
        response = enterprise_client.post(f"/api/v1/shipments/{shipment.pk}/cancel/", {})
    assert response.status_code == 200, response.json()
    fact = ShipmentFact.objects.get(shipment_id=shipment.pk)
    assert fact.status == "cancelled" and not fact.is_export


def test_excursion_count_and_minutes_follow_the_telemetry_summary(
    enterprise, partner, places, django_capture_on_commit_callbacks
):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    start = timezone.now() - timezone.timedelta(hours=2)
    rows = [
        {
            "sensor_id": "S1",
            "time": (start + timezone.timedelta(minutes=m)).isoformat(),
            "temp_c": t,
        }
        for m, t in [(0, 5.0), (5, 12.0), (10, 12.5), (15, 12.0), (20, 12.0), (25, 5.0)]
    ]
    from logistics.services.telemetry import telemetry_ingest

    with django_capture_on_commit_callbacks(execute=True):
        telemetry_ingest(actor=None, shipment=shipment, readings=rows)
    fact = ShipmentFact.objects.get(shipment_id=shipment.pk)
    assert fact.excursion_count == 1
    assert fact.excursion_minutes == 20


def test_mixed_currencies_sum_in_cny_or_stay_unconverted(enterprise, partner, places):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    shipment.dispatched_at = timezone.now()
    shipment.status = ShipmentStatus.IN_TRANSIT
    shipment.save()
    shipment.items.create(
        product=factories.ProductFactory(enterprise=enterprise, category="aquatic_products"),
        net_kg=Decimal("10"),
        declared_value=Decimal("100.00"),
        currency=factories.currency("MYR"),
    )
    shipment_facts.fact_refresh(shipment_id=shipment.pk)
    fact = ShipmentFact.objects.get(shipment_id=shipment.pk)
    assert fact.currency == "XXX" and fact.fx_missing and fact.value_cny is None
    month = timezone.now().date().replace(day=1)
    FxRate.objects.create(currency="USD", month=month, rate_to_cny=Decimal("7"))
    FxRate.objects.create(currency="MYR", month=month, rate_to_cny=Decimal("1.5"))
    shipment_facts.fact_refresh(shipment_id=shipment.pk)
    fact.refresh_from_db()
    assert fact.currency == "CNY" and fact.value_cny == Decimal("672150.00")
    assert set(fact.lines.values_list("category", flat=True)) == {"fruits", "aquatic_products"}


def test_approved_application_changes_the_pipeline_figures(
    enterprise, enterprise_client, reviewer_client, staff_client, django_capture_on_commit_callbacks
):
    scheme = SchemeFactory(
        code="ISO9001W",
        certificate_prefix="QMS",
        validity_months=36,
        review_sla_days=30,
        required_documents=["business_licence"],
    )
    product = factories.ProductFactory(enterprise=enterprise)

    def pipeline():
        return staff_client.get("/api/v1/analytics/overview/").json()["certification"]

    before = pipeline()
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted_application(enterprise_client, scheme, [product])
    fact = CertificationFact.objects.get(application_id=application["id"])
    assert fact.status == "submitted" and fact.sla_days == 30 and fact.submitted_at
    assert pipeline()["by_status"].get("submitted") == 1

    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(f"{CERT_API}/applications/{application['id']}/claim/")
        response = reviewer_client.post(
            f"{CERT_API}/applications/{application['id']}/approve/", {"comment": "Good."}
        )
    assert response.status_code == 200, response.json()
    after = pipeline()
    assert after["by_status"].get("approved") == 1 and "submitted" not in after["by_status"]
    assert after["decided_in_window"] == before["decided_in_window"] + 1
    assert after["review_days_median"] is not None
    certificate = CertificateFact.objects.get(number=response.json()["certificate"]["number"])
    assert certificate.in_force and certificate.status == "active"
    assert certificate.valid_until > date.today()
