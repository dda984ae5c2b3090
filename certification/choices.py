from django.db import models


class DocumentType(models.TextChoices):
    """Shipment-level documents. Shared by certification (market requirements) and logistics."""

    PHYTOSANITARY = "phytosanitary", "Phytosanitary certificate"
    VETERINARY_HEALTH = "veterinary_health", "Veterinary health certificate"
    ORIGIN_FORM_E = "origin_form_e", "Certificate of origin (ACFTA Form E)"
    ORIGIN_RCEP = "origin_rcep", "Certificate of origin (RCEP)"
    CITES_PERMIT = "cites_permit", "CITES export permit"
    COMMERCIAL_INVOICE = "commercial_invoice", "Commercial invoice"
    PACKING_LIST = "packing_list", "Packing list"


class SchemeLevel(models.TextChoices):
    ENTERPRISE = "enterprise", "Enterprise (management system, site, registration)"
    CONSIGNMENT = "consignment", "Consignment (per shipment or batch)"


class ApplicationDocumentKind(models.TextChoices):
    """What an uploaded application document is; schemes list the kinds they require."""

    BUSINESS_LICENCE = "business_licence", "Business licence"
    QUALITY_MANUAL = "quality_manual", "Quality manual / management system documentation"
    FOOD_SAFETY_PLAN = "food_safety_plan", "Food safety plan (HACCP study)"
    PROCESS_FLOW = "process_flow", "Process flow diagram"
    SITE_PLAN = "site_plan", "Site plan of the production bases"
    INTERNAL_AUDIT = "internal_audit", "Internal audit report"
    LAB_REPORT = "lab_report", "Laboratory test report"
    TRACEABILITY = "traceability", "Traceability and recall records"
    INGREDIENT_LIST = "ingredient_list", "Ingredient and supplier list"
    SLAUGHTER_RECORDS = "slaughter_records", "Slaughter and handling procedures"
    ORGANIC_RECORDS = "organic_records", "Organic conversion and input records"
    SPECIES_ORIGIN = "species_origin", "Proof of legal origin of the species (aquaculture licence)"
    EXPORT_CONTRACT = "export_contract", "Export contract or purchase order"
    OTHER = "other", "Other"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    UNDER_REVIEW = "under_review", "Under review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


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

    CREATE = "create", "Created"
    SUBMIT = "submit", "Submitted"
    RESUBMIT = "resubmit", "Resubmitted"
    CLAIM = "claim", "Claimed"
    ASSIGN = "assign", "Assigned"
    REQUEST_CHANGES = "request-changes", "Changes requested"
    APPROVE = "approve", "Approved"
    REJECT = "reject", "Rejected"
    WITHDRAW = "withdraw", "Withdrawn"
    NOTE = "note", "Note"


class CertificateStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    REVOKED = "revoked", "Revoked"
    EXPIRED = "expired", "Expired"


class CertificateAction(models.TextChoices):
    ISSUE = "issue", "Issued"
    SUSPEND = "suspend", "Suspended"
    REINSTATE = "reinstate", "Reinstated"
    REVOKE = "revoke", "Revoked"
    EXPIRE = "expire", "Expired"
    RENEWAL_STARTED = "renewal_started", "Renewal started"


class DestinationGroup(models.TextChoices):
    """Market groups a requirement can target; a country belongs to those in `Country.groups`."""

    ANY = "ANY", "Any destination"
    EU = "EU", "European Union"
    ASEAN = "ASEAN", "ASEAN"
    GCC = "GCC", "Gulf Cooperation Council"
    RCEP = "RCEP", "RCEP parties"


class RequirementCheckStatus(models.TextChoices):
    MET = "met", "Met"
    EXPIRING = "expiring", "Valid now, expires before the date"
    MISSING = "missing", "Missing"


# Days before expiry at which `certificate.expiring` is sent (largest first).
REMINDER_THRESHOLDS_DAYS = (90, 30, 7)


class RequirementEffect(models.TextChoices):
    """What an unmet requirement means for a shipment."""

    REQUIRED = "required", "Required: dispatch waits for it"
    TARIFF_PREFERENCE = "tariff_preference", "Claims a tariff preference: a warning, not a block"


class RequirementKind(models.TextChoices):
    SCHEME = "scheme", "Certification scheme (enterprise certificate)"
    DOCUMENT = "document", "Shipment document"
