from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetMetric(models.TextChoices):
    """What a target measures; each metric's formula is defined in docs/analytics.md."""

    VERIFIED_ENTERPRISES = "verified_enterprises", _("Verified enterprises on the platform")
    EXPORT_VALUE_12M = "export_value_cny_12m", _("Export value, trailing 12 months (CNY)")
    EXPORT_VOLUME_12M = "export_volume_t_12m", _("Export volume, trailing 12 months (t)")


class GroupBy(models.TextChoices):
    CATEGORY = "category", _("Product category")
    DESTINATION = "destination", _("Destination country")
    REGION = "region", _("Destination region (trade bloc)")
    PREFECTURE = "prefecture", _("Prefecture")
    MONTH = "month", _("Departure month")
    ENTERPRISE = "enterprise", _("Enterprise")


# A fact counts as an export when the shipment has departed and was not cancelled. The names are
# logistics.choices.ShipmentStatus values (booked = not dispatched yet), kept as plain strings so
# analytics imports nothing from logistics; tests/wiring/test_analytics_feeds.py checks they still exist.
NON_EXPORT_SHIPMENT_STATUSES = frozenset({"booked", "cancelled"})
# An application is in the pipeline (open) while undecided and not a draft or withdrawn
# (certification.choices.ApplicationStatus values; checked by the same test).
NOT_OPEN_APPLICATION_STATUSES = frozenset({"draft", "withdrawn"})
