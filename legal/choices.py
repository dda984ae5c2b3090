from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LegalKind(models.TextChoices):
    CONTRACT_REVIEW = "contract_review", _("Contract review")
    TRADE_DISPUTE = "trade_dispute", _("Trade dispute")
    TRADEMARK_REGISTRATION = "trademark_registration", _("Overseas trademark registration (Madrid)")
    COMPLIANCE_CONSULTATION = "compliance_consultation", _("Compliance consultation")
    IP_PROTECTION = "ip_protection", _("IP protection")


class LegalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ASSIGNED = "assigned", _("Assigned to a law firm")
    IN_PROGRESS = "in_progress", pgettext_lazy("legal request status", "In progress")
    AWAITING_CLIENT = "awaiting_client", _("Awaiting client")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", pgettext_lazy("legal request", "Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DesignationStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    FILED = "filed", _("Filed with WIPO")
    REGISTERED = "registered", _("Protection granted")
    REFUSED = "refused", _("Provisional refusal")


class MessageSide(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    LAW_FIRM = "law_firm", _("Law firm")
