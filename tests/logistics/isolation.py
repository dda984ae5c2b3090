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
