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


class EnterpriseDocumentKind(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("Business licence")


class Month(models.IntegerChoices):
    """Month numbers as products' harvest months hold them, named short (1月 / Jan)."""

    JAN = 1, pgettext_lazy("month, short", "Jan")
    FEB = 2, pgettext_lazy("month, short", "Feb")
    MAR = 3, pgettext_lazy("month, short", "Mar")
    APR = 4, pgettext_lazy("month, short", "Apr")
    MAY = 5, pgettext_lazy("month, short", "May")
    JUN = 6, pgettext_lazy("month, short", "Jun")
    JUL = 7, pgettext_lazy("month, short", "Jul")
    AUG = 8, pgettext_lazy("month, short", "Aug")
    SEP = 9, pgettext_lazy("month, short", "Sep")
    OCT = 10, pgettext_lazy("month, short", "Oct")
    NOV = 11, pgettext_lazy("month, short", "Nov")
    DEC = 12, pgettext_lazy("month, short", "Dec")
