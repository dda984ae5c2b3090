from logistics.models import ShipmentDraft
from tests import factories
from tests.isolation import builder

from .factories import (
    ExcursionFactory,
    ShipmentDocumentFactory,
    ShipmentFactory,
    TrackingEventFactory,
    reading,
)


@builder
def shipments(world):
    mine = ShipmentFactory(enterprise=world.enterprise_a, carrier=world.partner_a)
    theirs = ShipmentFactory(enterprise=world.enterprise_b, carrier=world.partner_b)
    world.add(mine, theirs)
    world.add(TrackingEventFactory(shipment=mine), TrackingEventFactory(shipment=theirs))
    world.add(ExcursionFactory(shipment=mine), ExcursionFactory(shipment=theirs))
    world.add(ShipmentDocumentFactory(shipment=mine), ShipmentDocumentFactory(shipment=theirs))
    world.add(reading(mine), reading(theirs))


@builder
def shipment_drafts(world):
    def draft(enterprise):
        return ShipmentDraft.objects.create(
            enterprise=enterprise,
            source="Quote #1",
            consignee_name="Kedai Buah Segar Sdn Bhd",
            consignee_country=factories.country("MY", "Malaysia"),
            destination=factories.location("MYPKG", "Port Klang"),
            incoterm="CIF",
        )

    world.add(draft(world.enterprise_a), draft(world.enterprise_b))
