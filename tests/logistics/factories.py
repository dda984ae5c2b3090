from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from logistics.choices import EventSource, Milestone, Severity
from logistics.models import (
    SensorReading,
    Shipment,
    ShipmentDocument,
    ShipmentItem,
    TelemetrySummary,
    TemperatureExcursion,
    TrackingEvent,
)
from tests import factories

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF"


class ShipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shipment
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(factories.EnterpriseFactory)
    reference = factory.Sequence(lambda n: f"SHP-{n:05d}")
    consignee_name = "Kedai Buah Segar Sdn Bhd"
    consignee_country = factory.LazyFunction(lambda: factories.country("MY", "Malaysia"))
    origin = factory.LazyFunction(lambda: factories.location("CNCTU", "Chengdu"))
    destination = factory.LazyFunction(lambda: factories.location("MYKUL", "Kuala Lumpur"))
    transport_mode = "reefer_truck"
    route = "Chengdu - Mohan/Boten - Vientiane - Bangkok - Kuala Lumpur"
    incoterm = "CIF"
    carrier = factory.SubFactory(factories.PartnerFactory)
    planned_departure = factory.LazyFunction(lambda: timezone.now() - timedelta(days=2))
    planned_arrival = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    temp_min_c = Decimal("4.0")
    temp_max_c = Decimal("8.0")

    @factory.post_generation
    def with_summary(obj, create, extracted, **kwargs):
        if create:
            TelemetrySummary.objects.get_or_create(shipment=obj)

    @factory.post_generation
    def with_item(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            ShipmentItem.objects.create(
                shipment=obj,
                product=factories.ProductFactory(enterprise=obj.enterprise),
                net_kg=Decimal("12000"),
                packages=1200,
                declared_value=Decimal("96000.00"),
                currency=factories.currency("USD"),
            )


class TrackingEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrackingEvent

    shipment = factory.SubFactory(ShipmentFactory)
    milestone = Milestone.DEPARTED
    occurred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    source = EventSource.CARRIER


class ShipmentDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShipmentDocument

    shipment = factory.SubFactory(ShipmentFactory)
    doc_type = "phytosanitary"
    file = factory.django.FileField(filename="phyto.pdf", data=PDF)
    content_type = "application/pdf"
    size = len(PDF)
    sha256 = "0" * 64


class ExcursionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemperatureExcursion

    shipment = factory.SubFactory(ShipmentFactory)
    sensor_id = "T1"
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=5))
    last_out_at = factory.LazyAttribute(lambda o: o.started_at + timedelta(minutes=20))
    ended_at = factory.LazyAttribute(lambda o: o.started_at + timedelta(minutes=25))
    peak_c = 9.4
    direction = "above"
    duration_minutes = 25
    severity = Severity.MINOR
    started_event_sent = True
    ended_event_sent = True


def reading(shipment, minutes_ago: int = 60, temp: float = 5.0, sensor: str = "T1"):
    return SensorReading.objects.create(
        shipment=shipment,
        sensor_id=sensor,
        time=timezone.now().replace(microsecond=0) - timedelta(minutes=minutes_ago),
        temp_c=temp,
    )
