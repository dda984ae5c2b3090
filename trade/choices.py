from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agri_platform.reference import choices as reference_choices


class BuyerKind(models.TextChoices):
    IMPORTER = "importer", _("Importer")
    DISTRIBUTOR = "distributor", _("Distributor")
    RETAILER = "retailer", _("Retailer")
    RESTAURANT = "restaurant", _("Restaurant")
    HOTEL = "hotel", _("Hotel")


class BuyerStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("buyer status", "Pending verification")
    VERIFIED = "verified", pgettext_lazy("buyer status", "Verified")
    REJECTED = "rejected", pgettext_lazy("buyer status", "Rejected")
    SUSPENDED = "suspended", pgettext_lazy("buyer status", "Suspended")


class InquiryStatus(models.TextChoices):
    SENT = "sent", pgettext_lazy("inquiry status", "Awaiting an answer")
    QUOTED = "quoted", pgettext_lazy("inquiry status", "Quoted")
    ACCEPTED = "accepted", pgettext_lazy("inquiry status", "Quote accepted")
    DECLINED = "declined", pgettext_lazy("inquiry status", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("inquiry status", "Withdrawn")


class QuoteStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("quote status", "Open")
    ACCEPTED = "accepted", pgettext_lazy("quote status", "Accepted")
    DECLINED = "declined", pgettext_lazy("quote status", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("quote status", "Withdrawn")
    SUPERSEDED = "superseded", pgettext_lazy("quote status", "Superseded")
    EXPIRED = "expired", pgettext_lazy("quote status", "Expired")


QuantityUnit = reference_choices.QuantityUnit  # shared with the product's minimum order


class MessageSide(models.TextChoices):
    BUYER = "buyer", pgettext_lazy("inquiry side", "Buyer")
    ENTERPRISE = "enterprise", pgettext_lazy("inquiry side", "Exporter")


class PromotionKind(models.TextChoices):
    TRADE_FAIR = "trade_fair", _("Trade fair")
    TASTING = "tasting", _("Tasting")
    BUYER_MEETING = "buyer_meeting", _("Buyer meeting")


class PromotionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("promotion status", "Draft")
    PUBLISHED = "published", pgettext_lazy("promotion status", "Published")
    CANCELLED = "cancelled", pgettext_lazy("promotion status", "Cancelled")


class ParticipantStatus(models.TextChoices):
    SIGNED_UP = "signed_up", pgettext_lazy("promotion participant", "Taking part")
    WITHDRAWN = "withdrawn", pgettext_lazy("promotion participant", "Withdrawn")
