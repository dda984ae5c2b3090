"""Certification: scheme catalogue, applications and their review, certificates, market rules.

Workflow logic lives in services.py; these are the tables and the rules the database can hold.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agri_platform.accounts.choices import PartnerKind
from agri_platform.api.documents import UploadedDocument, document_upload_path
from agri_platform.reference import l10n
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

    code = models.SlugField(
        verbose_name=_("code"), max_length=30, unique=True, help_text=_("Stable code, e.g. ISO9001")
    )
    name_en = models.CharField(verbose_name=_("name (English)"), max_length=200)
    name_zh = models.CharField(verbose_name=_("name (Chinese)"), max_length=200, blank=True)
    level = models.CharField(verbose_name=_("level"), max_length=12, choices=SchemeLevel.choices)
    issuer = models.CharField(
        verbose_name=_("issuer"),
        max_length=200,
        blank=True,
        help_text=_("Who issues it in practice"),
    )
    certificate_prefix = models.CharField(
        verbose_name=_("certificate number prefix"),
        max_length=6,
        unique=True,
        help_text=_("Upper-case letters/digits that start every certificate number of this scheme"),
    )
    validity_months = models.PositiveSmallIntegerField(
        verbose_name=_("validity (months)"), null=True, blank=True
    )
    validity_days = models.PositiveSmallIntegerField(
        verbose_name=_("validity (days)"), null=True, blank=True
    )
    required_documents = models.JSONField(
        verbose_name=_("required documents"),
        default=list,
        blank=True,
        help_text=_("ApplicationDocumentKind values needed to submit"),
    )
    review_sla_days = models.PositiveSmallIntegerField(
        verbose_name=_("review time limit (days)"), default=15
    )
    product_categories = models.JSONField(
        verbose_name=_("product categories"),
        default=list,
        blank=True,
        help_text=_("ExportCategory values it applies to; empty = all"),
    )
    description = models.TextField(verbose_name=_("description"), blank=True)
    is_active = models.BooleanField(verbose_name=_("open for applications"), default=True)
    certification_body = models.ForeignKey(
        "accounts.Partner",
        verbose_name=_("certification body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certified_schemes",
        limit_choices_to={"kind": PartnerKind.CERTIFICATION_BODY},
        help_text=_(
            "The certification body that certifies this scheme: submitted applications and the "
            "certificates issued for it are routed to it. Empty: platform staff review them."
        ),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certification scheme")
        verbose_name_plural = _("certification schemes")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(validity_months__isnull=False) & Q(validity_days__isnull=True))
                | (Q(validity_months__isnull=True) & Q(validity_days__isnull=False)),
                name="scheme_validity_months_xor_days",
                violation_error_message=_("Give the validity in months or in days (exactly one)."),
            ),
            models.CheckConstraint(
                condition=Q(certificate_prefix__regex=r"^[A-Z0-9]{1,6}$"),
                name="scheme_prefix_upper_alnum",
                violation_error_message=_("The prefix is 1 to 6 upper-case letters or digits."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        errors = {}
        kinds = set(ApplicationDocumentKind.values)
        if not isinstance(self.required_documents, list) or not set(
            self.required_documents
        ).issubset(kinds):
            errors["required_documents"] = gettext("A list of document kinds from: %(kinds)s.") % {
                "kinds": ", ".join(sorted(kinds))
            }
        categories = set(ExportCategory.values)
        if not isinstance(self.product_categories, list) or not set(
            self.product_categories
        ).issubset(categories):
            errors["product_categories"] = gettext("A list of categories from: %(categories)s.") % {
                "categories": ", ".join(sorted(categories))
            }
        if errors:
            raise ValidationError(errors)

    @property
    def validity_label(self) -> str:
        if self.validity_months:
            return ngettext("%(count)d month", "%(count)d months", self.validity_months) % {
                "count": self.validity_months
            }
        return ngettext("%(count)d day", "%(count)d days", self.validity_days) % {
            "count": self.validity_days
        }

    @property
    def name(self) -> str:
        """The scheme's name in the active language (the English one when no Chinese is kept)."""
        return l10n.in_reading_language(self.name_zh, self.name_en)


class Application(models.Model):
    """An enterprise's application for a scheme, with its scope and its place in the workflow."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="cert_applications",
    )
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    scope_products = models.ManyToManyField(
        "enterprises.Product",
        verbose_name=_("products in scope"),
        blank=True,
        related_name="cert_applications",
    )
    scope_bases = models.ManyToManyField(
        "enterprises.ProductionBase",
        verbose_name=_("production bases in scope"),
        blank=True,
        related_name="cert_applications",
    )
    scope_note = models.TextField(verbose_name=_("scope note"), blank=True)
    renewal_of = models.ForeignKey(
        "Certificate",
        verbose_name=_("renewal of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal_applications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cert_reviews",
    )
    submitted_at = models.DateTimeField(
        verbose_name=_("first submitted at"), null=True, blank=True, help_text=_("First submission")
    )
    last_submitted_at = models.DateTimeField(
        verbose_name=_("last submitted at"), null=True, blank=True
    )
    sla_due_at = models.DateTimeField(
        verbose_name=_("review due at"),
        null=True,
        blank=True,
        help_text=_("Last submission + the scheme's review SLA"),
    )
    decided_at = models.DateTimeField(verbose_name=_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_reason = models.TextField(verbose_name=_("decision reason"), blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("certification application")
        verbose_name_plural = _("certification applications")
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
                violation_error_message=_("A decided application names who decided and when."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.REJECTED) | ~Q(decision_reason=""),
                name="cert_application_rejection_has_reason",
                violation_error_message=_("A rejection needs a reason."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.UNDER_REVIEW) | Q(reviewer__isnull=False),
                name="cert_application_review_has_reviewer",
                violation_error_message=_("An application under review has a reviewer."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
                | Q(submitted_at__isnull=False),
                name="cert_application_submitted_stamped",
                violation_error_message=_("An application past draft has a submission time."),
            ),
        ]

    def __str__(self):
        return gettext("Application #%(id)s %(scheme)s (%(status)s)") % {
            "id": self.pk,
            "scheme": self.scheme_id,
            "status": self.get_status_display(),
        }


class ApplicationDocument(UploadedDocument):
    """A document uploaded to an application: type checked from the content, SHA-256 kept."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(
        verbose_name=_("document kind"), max_length=30, choices=ApplicationDocumentKind.choices
    )
    original_name = models.CharField(verbose_name=_("original file name"), max_length=200)
    size = models.PositiveBigIntegerField(verbose_name=_("size (bytes)"))

    storage_folder = "certification/applications/{application_id}"

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"


class TimelineEntry(models.Model):
    """One step of an application's life: who, when, from, to, comment. Internal entries (reviewer
    notes) are shown to staff only."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="timeline",
    )
    action = models.CharField(
        verbose_name=_("action"), max_length=20, choices=ApplicationAction.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_status = models.CharField(
        verbose_name=_("from status"), max_length=20, choices=ApplicationStatus.choices, blank=True
    )
    to_status = models.CharField(
        verbose_name=_("to status"), max_length=20, choices=ApplicationStatus.choices, blank=True
    )
    comment = models.TextField(verbose_name=_("comment"), blank=True)
    internal = models.BooleanField(
        verbose_name=_("internal"), default=False, help_text=_("Visible to platform staff only")
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_action_display()} {self.get_from_status_display()}→{self.get_to_status_display()}"


class Certificate(models.Model):
    """A certificate issued on approval (or recorded by staff). Verified publicly by its number."""

    number = models.CharField(verbose_name=_("certificate number"), max_length=32, unique=True)
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificate",
        help_text=_("One certificate per application"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="certificates"
    )
    scope_products = models.ManyToManyField(
        "enterprises.Product",
        verbose_name=_("products in scope"),
        blank=True,
        related_name="certificates",
    )
    scope_bases = models.ManyToManyField(
        "enterprises.ProductionBase",
        verbose_name=_("production bases in scope"),
        blank=True,
        related_name="certificates",
    )
    scope_summary = models.TextField(verbose_name=_("scope summary"), blank=True)
    issue_date = models.DateField(verbose_name=_("issue date"))
    expiry_date = models.DateField(
        verbose_name=_("expiry date"), help_text=_("Last day of validity")
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=12,
        choices=CertificateStatus.choices,
        default=CertificateStatus.ACTIVE,
    )
    status_reason = models.TextField(verbose_name=_("status reason"), blank=True)
    status_changed_at = models.DateTimeField(
        verbose_name=_("status changed at"), null=True, blank=True
    )
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issue_date", "-id"]
        indexes = [
            models.Index(fields=["status", "expiry_date"]),
            models.Index(fields=["enterprise", "scheme", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expiry_date__gte=models.F("issue_date")),
                name="certificate_expires_after_issue",
                violation_error_message=_("The expiry date cannot precede the issue date."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[CertificateStatus.SUSPENDED, CertificateStatus.REVOKED])
                | ~Q(status_reason=""),
                name="certificate_suspension_revocation_has_reason",
                violation_error_message=_("Suspending or revoking a certificate needs a reason."),
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def current_document(self) -> "CertificateDocument | None":
        """The newest PDF issued for it (None until one is issued; see services.pdfs)."""
        documents = self.documents.all()  # prefetched by the selectors
        return documents[0] if documents else None

    def is_valid_on(self, day) -> bool:
        return (
            self.status == CertificateStatus.ACTIVE and self.issue_date <= day <= self.expiry_date
        )


def certificate_document_path(document, filename: str) -> str:
    """Where a certificate's PDF is stored: its number and the start of its digest (a re-issue
    gets a new name, the PDF it replaces stays)."""
    return f"certification/certificates/{document.certificate.number}-{document.sha256[:12]}.pdf"


class CertificateDocument(models.Model):
    """A PDF the platform issued for a certificate, with its SHA-256: anyone holding a PDF can check
    that it is exactly one of these. The newest is the certificate's current PDF."""

    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    file = models.FileField(
        verbose_name=_("file"), upload_to=certificate_document_path, max_length=300
    )
    sha256 = models.CharField(verbose_name=_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(verbose_name=_("size (bytes)"))
    issued_at = models.DateTimeField(verbose_name=_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate PDF")
        verbose_name_plural = _("certificate PDFs")
        ordering = ["-issued_at", "-id"]

    def __str__(self):
        return f"{self.certificate_id} {self.sha256[:12]}"


class CertificateEvent(models.Model):
    """What happened to a certificate: issued, suspended, reinstated, revoked, expired, renewal."""

    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(
        verbose_name=_("action"), max_length=20, choices=CertificateAction.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_status = models.CharField(
        verbose_name=_("from status"), max_length=12, choices=CertificateStatus.choices, blank=True
    )
    to_status = models.CharField(
        verbose_name=_("to status"), max_length=12, choices=CertificateStatus.choices, blank=True
    )
    reason = models.TextField(verbose_name=_("reason"), blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")
        ordering = ["id"]

    def __str__(self):
        return f"{self.certificate_id} {self.get_action_display()}"


class CertificateSequence(models.Model):
    """The last sequence number used per scheme and year; locked row by row when issuing."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    last_value = models.PositiveIntegerField(verbose_name=_("last sequence number"), default=0)

    class Meta:
        verbose_name = _("certificate number sequence")
        verbose_name_plural = _("certificate number sequences")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "year"], name="cert_sequence_scheme_year"),
        ]

    def __str__(self):
        return f"{self.scheme_id} {self.year}: {self.last_value}"


class ExpiryReminder(models.Model):
    """A `certificate.expiring` reminder that was sent: one row per certificate and threshold, so a
    reminder goes out once even when the daily task runs twice or concurrently."""

    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        on_delete=models.CASCADE,
        related_name="expiry_reminders",
    )
    threshold_days = models.PositiveSmallIntegerField(verbose_name=_("days before expiry"))
    sent_on = models.DateField(verbose_name=_("sent on"))
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "threshold_days"], name="expiry_reminder_once"
            ),
        ]

    def __str__(self):
        return ngettext(
            "%(certificate)s, %(days)d day before expiry",
            "%(certificate)s, %(days)d days before expiry",
            self.threshold_days,
        ) % {"certificate": self.certificate_id, "days": self.threshold_days}


class MarketRequirement(models.Model):
    """destination (country or group) × product (category and/or HS prefix) → scheme or document.

    Rows sharing a non-empty `alternative_group` (for the same destination and product) are
    alternatives: any one of them satisfies the group. Data to keep current, not legal advice.
    """

    destination_country = models.ForeignKey(
        "reference.Country",
        verbose_name=_("destination country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="market_requirements",
    )
    destination_group = models.CharField(
        verbose_name=_("destination group"),
        max_length=8,
        choices=DestinationGroup.choices,
        blank=True,
    )
    product_category = models.CharField(
        verbose_name=_("product category"),
        max_length=30,
        choices=ExportCategory.choices,
        blank=True,
        help_text=_("Empty = any"),
    )
    hs_prefix = models.CharField(
        verbose_name=_("HS code prefix"),
        max_length=10,
        blank=True,
        help_text=_("Digits the product's HS code starts with; empty = any"),
    )
    scheme = models.ForeignKey(
        Scheme,
        verbose_name=_("scheme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requirements",
    )
    document_type = models.CharField(
        verbose_name=_("shipment document"), max_length=30, choices=DocumentType.choices, blank=True
    )
    alternative_group = models.CharField(
        verbose_name=_("alternative group"),
        max_length=40,
        blank=True,
        help_text=_("Rows with the same group: any one satisfies it"),
    )
    effect = models.CharField(
        verbose_name=_("effect"),
        max_length=20,
        choices=RequirementEffect.choices,
        default=RequirementEffect.REQUIRED,
        help_text=_("Required rows block dispatch while unmet; tariff-preference rows only warn"),
    )
    note = models.TextField(verbose_name=_("note"), blank=True)
    source = models.CharField(verbose_name=_("source"), max_length=300, blank=True)
    is_active = models.BooleanField(verbose_name=_("active"), default=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("market requirement")
        verbose_name_plural = _("market requirements")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(destination_country__isnull=False) & Q(destination_group=""))
                | (Q(destination_country__isnull=True) & ~Q(destination_group="")),
                name="market_req_country_xor_group",
                violation_error_message=_("Give a destination country or a group (exactly one)."),
            ),
            models.CheckConstraint(
                condition=(Q(scheme__isnull=False) & Q(document_type=""))
                | (Q(scheme__isnull=True) & ~Q(document_type="")),
                name="market_req_scheme_xor_document",
                violation_error_message=_("Require a scheme or a shipment document (exactly one)."),
            ),
            models.CheckConstraint(
                condition=Q(hs_prefix="") | Q(hs_prefix__regex=r"^[0-9]{2,10}$"),
                name="market_req_hs_prefix_digits",
                violation_error_message=_("The HS prefix is 2 to 10 digits."),
            ),
        ]

    def __str__(self):
        destination = self.destination_country_id or self.destination_group
        product = self.product_category or self.hs_prefix or gettext("any product")
        return f"{destination} × {product} → {self.requirement_code}"

    @property
    def requirement_kind(self) -> str:
        return "scheme" if self.scheme_id else "document"

    @property
    def requirement_code(self) -> str:
        return self.scheme.code if self.scheme_id else self.document_type

    @property
    def requirement_name(self) -> str:
        """What the requirement is called in the active language."""
        if self.scheme_id:
            return self.scheme.name
        return str(DocumentType(self.document_type).label)

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
