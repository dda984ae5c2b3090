from django.db import models


class ShipmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    IN_TRANSIT = "in_transit", "In transit"
    AT_CUSTOMS = "at_customs", "At customs"
    CLEARED = "cleared", "Cleared"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"
    EXCEPTION = "exception", "Exception"


class TransportMode(models.TextChoices):
    REEFER_TRUCK = "reefer_truck", "Reefer truck"
    RAIL = "rail", "Rail"
    SEA = "sea", "Sea"
    AIR = "air", "Air"
    MULTIMODAL = "multimodal", "Multimodal"


class Incoterm(models.TextChoices):
    """Incoterms 2020."""

    EXW = "EXW", "Ex Works"
    FCA = "FCA", "Free Carrier"
    CPT = "CPT", "Carriage Paid To"
    CIP = "CIP", "Carriage and Insurance Paid To"
    DAP = "DAP", "Delivered at Place"
    DPU = "DPU", "Delivered at Place Unloaded"
    DDP = "DDP", "Delivered Duty Paid"
    FAS = "FAS", "Free Alongside Ship"
    FOB = "FOB", "Free on Board"
    CFR = "CFR", "Cost and Freight"
    CIF = "CIF", "Cost, Insurance and Freight"


class Milestone(models.TextChoices):
    PICKED_UP = "picked_up", "Picked up"
    DEPARTED = "departed", "Departed"
    ARRIVED_AT_BORDER = "arrived_at_border", "Arrived at border"
    CUSTOMS_SUBMITTED = "customs_submitted", "Customs declaration submitted"
    CUSTOMS_CLEARED = "customs_cleared", "Customs cleared"
    ARRIVED = "arrived", "Arrived"
    DELIVERED = "delivered", "Delivered"
    EXCEPTION = "exception", "Exception"


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
    CARRIER = "carrier", "Carrier"
    ENTERPRISE = "enterprise", "Enterprise"
    STAFF = "staff", "Platform staff"


class ExcursionMode(models.TextChoices):
    CONSECUTIVE = "consecutive", "Consecutive: one breach must last past the delay"
    CUMULATIVE = "cumulative", "Cumulative: time outside the band adds up to the delay"


class Severity(models.TextChoices):
    MINOR = "minor", "Minor"
    MAJOR = "major", "Major"
    CRITICAL = "critical", "Critical"


class Direction(models.TextChoices):
    ABOVE = "above", "Above the band"
    BELOW = "below", "Below the band"
