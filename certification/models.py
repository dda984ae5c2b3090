"""Certification: scheme catalogue, applications and their review, certificates, market rules.

Workflow logic lives in services.py; these are the tables and the rules the database can hold.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from agri_platform.api.documents import UploadedDocument, document_upload_path
from agri_platform.reference.choices import ExportCategory

from .choices import (
    ApplicationAction,
    ApplicationDocumentKind,
    ApplicationStatus,
    CertificateAction,
    CertificateStatus,
    DestinationGroup,
    DocumentType,
    RequirementEffect,
    SchemeLevel,
)

# Where uploads are stored: the migrations name this `upload_to`.
application_document_path = document_upload_path


class Scheme(models.Model):
    """A certification scheme or registration the platform handles (ISO 9001, halal JAKIM, ...).

    Seeded from DOMAIN.md and edited by staff in the admin: validity, required documents and review
    SLA are data, not code.
    """

    code = models.SlugField(max_length=30, unique=True, help_text="Stable code, e.g. ISO9001")
    name_en = models.CharField(max_length=200)
    name_zh = models.CharField(max_length=200, blank=True)
    level = models.CharField(max_length=12, choices=SchemeLevel.choices)
    issuer = models.CharField(max_length=200, blank=True, help_text="Who issues it in practice")
    certificate_prefix = models.CharField(
        max_length=6,
        unique=True,
        help_text="Upper-case letters/digits that start every certificate number of this scheme",
    )
    validity_months = models.PositiveSmallIntegerField(null=True, blank=True)
    validity_days = models.PositiveSmallIntegerField(null=True, blank=True)
    required_documents = models.JSONField(
        default=list, blank=True, help_text="ApplicationDocumentKind values needed to submit"
    )
    review_sla_days = models.PositiveSmallIntegerField(default=15)
    product_categories = models.JSONField(
        default=list, blank=True, help_text="ExportCategory values it applies to; empty = all"
    )
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(validity_months__isnull=False) & Q(validity_days__isnull=True))
                | (Q(validity_months__isnull=True) & Q(validity_days__isnull=False)),
                name="scheme_validity_months_xor_days",
                violation_error_message="Give the validity in months or in days (exactly one).",
            ),
            models.CheckConstraint(
                condition=Q(certificate_prefix__regex=r"^[A-Z0-9]{1,6}$"),
                name="scheme_prefix_upper_alnum",
                violation_error_message="The prefix is 1 to 6 upper-case letters or digits.",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name_en}"

    def clean(self):
        errors = {}
        kinds = set(ApplicationDocumentKind.values)
        if not isinstance(self.required_documents, list) or not set(
            self.required_documents
        ).issubset(kinds):
            errors["required_documents"] = f"A list of document kinds from: {sorted(kinds)}."
        categories = set(ExportCategory.values)
        if not isinstance(self.product_categories, list) or not set(
            self.product_categories
        ).issubset(categories):
            errors["product_categories"] = f"A list of categories from: {sorted(categories)}."
        if errors:
            raise ValidationError(errors)

    @property
    def validity_label(self) -> str:
        if self.validity_months:
            return f"{self.validity_months} months"
        return f"{self.validity_days} days"


class Application(models.Model):
    """An enterprise's application for a scheme, with its scope and its place in the workflow."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="cert_applications"
    )
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    scope_products = models.ManyToManyField(
        "enterprises.Product", blank=True, related_name="cert_applications"
    )
    scope_bases = models.ManyToManyField(
        "enterprises.ProductionBase", blank=True, related_name="cert_applications"
    )
    scope_note = models.TextField(blank=True)
    renewal_of = models.ForeignKey(
        "Certificate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal_applications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cert_reviews",
    )
    submitted_at = models.DateTimeField(null=True, blank=True, help_text="First submission")
    last_submitted_at = models.DateTimeField(null=True, blank=True)
    sla_due_at = models.DateTimeField(
        null=True, blank=True, help_text="Last submission + the scheme's review SLA"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["enterprise", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=[ApplicationStatus.APPROVED, ApplicationStatus.REJECTED])
                | (Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="cert_application_decision_stamped",
                violation_error_message="A decided application names who decided and when.",
            ),
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.REJECTED) | ~Q(decision_reason=""),
                name="cert_application_rejection_has_reason",
                violation_error_message="A rejection needs a reason.",
            ),
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.UNDER_REVIEW) | Q(reviewer__isnull=False),
                name="cert_application_review_has_reviewer",
                violation_error_message="An application under review has a reviewer.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
                | Q(submitted_at__isnull=False),
                name="cert_application_submitted_stamped",
                violation_error_message="An application past draft has a submission time.",
            ),
        ]

    def __str__(self):
        return f"Application #{self.pk} {self.scheme_id} ({self.status})"


class ApplicationDocument(UploadedDocument):
    """A document uploaded to an application: type checked from the content, SHA-256 kept."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=30, choices=ApplicationDocumentKind.choices)
    original_name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()

    storage_folder = "certification/applications/{application_id}"

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.kind}: {self.original_name}"


class TimelineEntry(models.Model):
    """One step of an application's life: who, when, from, to, comment. Internal entries (reviewer
    notes) are shown to staff only."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="timeline")
    action = models.CharField(max_length=20, choices=ApplicationAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ApplicationStatus.choices, blank=True)
    comment = models.TextField(blank=True)
    internal = models.BooleanField(default=False, help_text="Visible to platform staff only")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "timeline entries"

    def __str__(self):
        return f"{self.action} {self.from_status}→{self.to_status}"


class Certificate(models.Model):
    """A certificate issued on approval (or recorded by staff). Verified publicly by its number."""

    number = models.CharField(max_length=32, unique=True)
    application = models.OneToOneField(
        Application,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificate",
        help_text="One certificate per application",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="certificates"
    )
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="certificates")
    scope_products = models.ManyToManyField(
        "enterprises.Product", blank=True, related_name="certificates"
    )
    scope_bases = models.ManyToManyField(
        "enterprises.ProductionBase", blank=True, related_name="certificates"
    )
    scope_summary = models.TextField(blank=True)
    issue_date = models.DateField()
    expiry_date = models.DateField(help_text="Last day of validity")
    status = models.CharField(
        max_length=12, choices=CertificateStatus.choices, default=CertificateStatus.ACTIVE
    )
    status_reason = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-issue_date", "-id"]
        indexes = [
            models.Index(fields=["status", "expiry_date"]),
            models.Index(fields=["enterprise", "scheme", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expiry_date__gte=models.F("issue_date")),
                name="certificate_expires_after_issue",
                violation_error_message="The expiry date cannot precede the issue date.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[CertificateStatus.SUSPENDED, CertificateStatus.REVOKED])
                | ~Q(status_reason=""),
                name="certificate_suspension_revocation_has_reason",
                violation_error_message="Suspending or revoking a certificate needs a reason.",
            ),
        ]

    def __str__(self):
        return self.number

    def is_valid_on(self, day) -> bool:
        return (
            self.status == CertificateStatus.ACTIVE and self.issue_date <= day <= self.expiry_date
        )


class CertificateEvent(models.Model):
    """What happened to a certificate: issued, suspended, reinstated, revoked, expired, renewal."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=CertificateAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=CertificateStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=CertificateStatus.choices, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.certificate_id} {self.action}"


class CertificateSequence(models.Model):
    """The last sequence number used per scheme and year; locked row by row when issuing."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "year"], name="cert_sequence_scheme_year"),
        ]

    def __str__(self):
        return f"{self.scheme_id} {self.year}: {self.last_value}"


class ExpiryReminder(models.Model):
    """A `certificate.expiring` reminder that was sent: one row per certificate and threshold, so a
    reminder goes out once even when the daily task runs twice or concurrently."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="expiry_reminders"
    )
    threshold_days = models.PositiveSmallIntegerField()
    sent_on = models.DateField()
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "threshold_days"], name="expiry_reminder_once"
            ),
        ]

    def __str__(self):
        return f"{self.certificate_id} at {self.threshold_days} days"


class MarketRequirement(models.Model):
    """destination (country or group) × product (category and/or HS prefix) → scheme or document.

    Rows sharing a non-empty `alternative_group` (for the same destination and product) are
    alternatives: any one of them satisfies the group. Data to keep current, not legal advice.
    """

    destination_country = models.ForeignKey(
        "reference.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="market_requirements",
    )
    destination_group = models.CharField(max_length=8, choices=DestinationGroup.choices, blank=True)
    product_category = models.CharField(
        max_length=30, choices=ExportCategory.choices, blank=True, help_text="Empty = any"
    )
    hs_prefix = models.CharField(
        max_length=10, blank=True, help_text="Digits the product's HS code starts with; empty = any"
    )
    scheme = models.ForeignKey(
        Scheme, null=True, blank=True, on_delete=models.PROTECT, related_name="requirements"
    )
    document_type = models.CharField(max_length=30, choices=DocumentType.choices, blank=True)
    alternative_group = models.CharField(
        max_length=40, blank=True, help_text="Rows with the same group: any one satisfies it"
    )
    effect = models.CharField(
        max_length=20,
        choices=RequirementEffect.choices,
        default=RequirementEffect.REQUIRED,
        help_text="Required rows block dispatch while unmet; tariff-preference rows only warn",
    )
    note = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(destination_country__isnull=False) & Q(destination_group=""))
                | (Q(destination_country__isnull=True) & ~Q(destination_group="")),
                name="market_req_country_xor_group",
                violation_error_message="Give a destination country or a group (exactly one).",
            ),
            models.CheckConstraint(
                condition=(Q(scheme__isnull=False) & Q(document_type=""))
                | (Q(scheme__isnull=True) & ~Q(document_type="")),
                name="market_req_scheme_xor_document",
                violation_error_message="Require a scheme or a shipment document (exactly one).",
            ),
            models.CheckConstraint(
                condition=Q(hs_prefix="") | Q(hs_prefix__regex=r"^[0-9]{2,10}$"),
                name="market_req_hs_prefix_digits",
                violation_error_message="The HS prefix is 2 to 10 digits.",
            ),
        ]

    def __str__(self):
        destination = self.destination_country_id or self.destination_group
        product = self.product_category or self.hs_prefix or "any product"
        return f"{destination} × {product} → {self.requirement_code}"

    @property
    def requirement_kind(self) -> str:
        return "scheme" if self.scheme_id else "document"

    @property
    def requirement_code(self) -> str:
        return self.scheme.code if self.scheme_id else self.document_type

    @property
    def requirement_name(self) -> str:
        if self.scheme_id:
            return self.scheme.name_en
        return DocumentType(self.document_type).label

    def applies_to_destination(self, country) -> bool:
        if self.destination_country_id:
            return self.destination_country_id == country.code
        if self.destination_group == DestinationGroup.ANY:
            return True
        return self.destination_group in (country.groups or [])

    def applies_to_product(self, product) -> bool:
        if self.product_category and product.category != self.product_category:
            return False
        hs_code = (product.hs_code_id or "").replace(".", "")
        return not (self.hs_prefix and not hs_code.startswith(self.hs_prefix))
