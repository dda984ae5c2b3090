from django.db import models


class LegalKind(models.TextChoices):
    CONTRACT_REVIEW = "contract_review", "Contract review"
    TRADE_DISPUTE = "trade_dispute", "Trade dispute"
    TRADEMARK_REGISTRATION = "trademark_registration", "Overseas trademark registration (Madrid)"
    COMPLIANCE_CONSULTATION = "compliance_consultation", "Compliance consultation"
    IP_PROTECTION = "ip_protection", "IP protection"


class LegalStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ASSIGNED = "assigned", "Assigned to a law firm"
    IN_PROGRESS = "in_progress", "In progress"
    AWAITING_CLIENT = "awaiting_client", "Awaiting client"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class DesignationStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    FILED = "filed", "Filed with WIPO"
    REGISTERED = "registered", "Protection granted"
    REFUSED = "refused", "Provisional refusal"


class MessageSide(models.TextChoices):
    ENTERPRISE = "enterprise", "Enterprise"
    LAW_FIRM = "law_firm", "Law firm"
