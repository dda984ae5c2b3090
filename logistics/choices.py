from django.db import models
from django.utils.translation import gettext_lazy as _


class ShipmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    IN_TRANSIT = "in_transit", _("In transit")
    AT_CUSTOMS = "at_customs", _("At customs")
    CLEARED = "cleared", _("Cleared")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")
    EXCEPTION = "exception", _("Exception")


class TransportMode(models.TextChoices):
    REEFER_TRUCK = "reefer_truck", _("Reefer truck")
    RAIL = "rail", _("Rail")
    SEA = "sea", _("Sea")
    AIR = "air", _("Air")
    MULTIMODAL = "multimodal", _("Multimodal")


class Milestone(models.TextChoices):
    PICKED_UP = "picked_up", _("Picked up")
    DEPARTED = "departed", _("Departed")
    ARRIVED_AT_BORDER = "arrived_at_border", _("Arrived at border")
    CUSTOMS_SUBMITTED = "customs_submitted", _("Customs declaration submitted")
    CUSTOMS_CLEARED = "customs_cleared", _("Customs cleared")
    ARRIVED = "arrived", _("Arrived")
    DELIVERED = "delivered", _("Delivered")
    EXCEPTION = "exception", _("Exception")


# The status a milestone puts a dispatched shipment in. `arrived` has none: the shipment keeps the
# status of the latest milestone before it (cleared for a truck past the border; in transit by air
# before clearance at the destination airport).
MILESTONE_STATUS: dict[str, str | None] = {
    Milestone.PICKED_UP: ShipmentStatus.IN_TRANSIT,
    Milestone.DEPARTED: ShipmentStatus.IN_TRANSIT,
    Milestone.ARRIVED_AT_BORDER: ShipmentStatus.AT_CUSTOMS,
    Milestone.CUSTOMS_SUBMITTED: ShipmentStatus.AT_CUSTOMS,
    Milestone.CUSTOMS_CLEARED: ShipmentStatus.CLEARED,
    Milestone.ARRIVED: None,
    Milestone.DELIVERED: ShipmentStatus.DELIVERED,
    Milestone.EXCEPTION: ShipmentStatus.EXCEPTION,
}


class EventSource(models.TextChoices):
    CARRIER = "carrier", _("Carrier")
    ENTERPRISE = "enterprise", _("Enterprise")
    STAFF = "staff", _("Platform staff")


class ExcursionMode(models.TextChoices):
    CONSECUTIVE = "consecutive", _("Consecutive: one breach must last past the delay")
    CUMULATIVE = "cumulative", _("Cumulative: time outside the band adds up to the delay")


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Major")
    CRITICAL = "critical", _("Critical")


class Direction(models.TextChoices):
    ABOVE = "above", _("Above the band")
    BELOW = "below", _("Below the band")
