from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentType(models.TextChoices):
    """Shipment-level documents. Shared by certification (market requirements) and logistics."""

    PHYTOSANITARY = "phytosanitary", _("Phytosanitary certificate")
    VETERINARY_HEALTH = "veterinary_health", _("Veterinary health certificate")
    ORIGIN_FORM_E = "origin_form_e", _("Certificate of origin (ACFTA Form E)")
    ORIGIN_RCEP = "origin_rcep", _("Certificate of origin (RCEP)")
    CITES_PERMIT = "cites_permit", _("CITES export permit")
    COMMERCIAL_INVOICE = "commercial_invoice", _("Commercial invoice")
    PACKING_LIST = "packing_list", _("Packing list")


class SchemeLevel(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise (management system, site, registration)")
    CONSIGNMENT = "consignment", _("Consignment (per shipment or batch)")


class ApplicationDocumentKind(models.TextChoices):
    """What an uploaded application document is; schemes list the kinds they require."""

    BUSINESS_LICENCE = "business_licence", _("Business licence")
    QUALITY_MANUAL = "quality_manual", _("Quality manual / management system documentation")
    FOOD_SAFETY_PLAN = "food_safety_plan", _("Food safety plan (HACCP study)")
    PROCESS_FLOW = "process_flow", _("Process flow diagram")
    SITE_PLAN = "site_plan", _("Site plan of the production bases")
    INTERNAL_AUDIT = "internal_audit", _("Internal audit report")
    LAB_REPORT = "lab_report", _("Laboratory test report")
    TRACEABILITY = "traceability", _("Traceability and recall records")
    INGREDIENT_LIST = "ingredient_list", _("Ingredient and supplier list")
    SLAUGHTER_RECORDS = "slaughter_records", _("Slaughter and handling procedures")
    ORGANIC_RECORDS = "organic_records", _("Organic conversion and input records")
    SPECIES_ORIGIN = (
        "species_origin",
        _("Proof of legal origin of the species (aquaculture licence)"),
    )
    EXPORT_CONTRACT = "export_contract", _("Export contract or purchase order")
    OTHER = "other", _("Other")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_APPLICATION_STATUSES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.CHANGES_REQUESTED,
)
# Waiting for staff: what the review queue and the SLA are about.
AWAITING_STAFF_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)


class ApplicationAction(models.TextChoices):
    """Timeline actions. The transition ones are also the names in `allowed_actions`."""

    CREATE = "create", _("Created")
    SUBMIT = "submit", _("Submitted")
    RESUBMIT = "resubmit", _("Resubmitted")
    CLAIM = "claim", _("Claimed")
    ASSIGN = "assign", _("Assigned")
    REQUEST_CHANGES = "request-changes", _("Changes requested")
    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Rejected")
    WITHDRAW = "withdraw", _("Withdrawn")
    NOTE = "note", pgettext_lazy("timeline action", "Note")


class CertificateStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("certificate status", "Active")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class CertificateAction(models.TextChoices):
    ISSUE = "issue", _("Issued")
    SUSPEND = "suspend", _("Suspended")
    REINSTATE = "reinstate", _("Reinstated")
    REVOKE = "revoke", _("Revoked")
    EXPIRE = "expire", _("Expired")
    RENEWAL_STARTED = "renewal_started", _("Renewal started")


class DestinationGroup(models.TextChoices):
    """Market groups a requirement can target; a country belongs to those in `Country.groups`."""

    ANY = "ANY", _("Any destination")
    EU = "EU", _("European Union")
    ASEAN = "ASEAN", _("ASEAN")
    GCC = "GCC", _("Gulf Cooperation Council")
    RCEP = "RCEP", _("RCEP parties")


class RequirementCheckStatus(models.TextChoices):
    MET = "met", _("Met")
    EXPIRING = "expiring", _("Valid now, expires before the date")
    MISSING = "missing", _("Missing")


# Days before expiry at which `certificate.expiring` is sent (largest first).
REMINDER_THRESHOLDS_DAYS = (90, 30, 7)


class RequirementEffect(models.TextChoices):
    """What an unmet requirement means for a shipment."""

    REQUIRED = "required", _("Required: dispatch waits for it")
    TARIFF_PREFERENCE = "tariff_preference", _("Claims a tariff preference: a warning, not a block")


class RequirementKind(models.TextChoices):
    SCHEME = "scheme", _("Certification scheme (enterprise certificate)")
    DOCUMENT = "document", _("Shipment document")
