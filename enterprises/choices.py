from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


class BaseKind(models.TextChoices):
    ORCHARD = "orchard", _("Orchard")
    AQUACULTURE_FARM = "aquaculture_farm", _("Aquaculture farm")
    LIVESTOCK_FARM = "livestock_farm", _("Livestock farm")
    PROCESSING_PLANT = "processing_plant", _("Processing plant")
    PACKHOUSE = "packhouse", _("Packhouse")
    COLD_STORE = "cold_store", _("Cold store")


class InvitationStatus(models.TextChoices):
    """Worked out from an invitation's dates (`Invitation.status`), not stored."""

    PENDING = "pending", pgettext_lazy("invitation status", "Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")
