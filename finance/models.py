from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from agri_platform.api.documents import TitledDocument, document_upload_path

from .choices import EvidenceKind, FinancingKind, OfferStatus, RequestStatus

# Where uploads are stored: the migrations name this `upload_to`.
financing_document_path = document_upload_path

MONEY = {"max_digits": 20, "decimal_places": 4}


class FinancingRequest(models.Model):
    """An enterprise asks once for credit, cover or settlement; officers route it to partners."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="financing_requests"
    )
    kind = models.CharField(max_length=30, choices=FinancingKind.choices)
    amount = models.DecimalField(**MONEY)
    currency = models.ForeignKey("reference.Currency", on_delete=models.PROTECT, related_name="+")
    term_days = models.PositiveIntegerField()
    purpose = models.TextField()
    status = models.CharField(
        max_length=12, choices=RequestStatus.choices, default=RequestStatus.DRAFT, db_index=True
    )
    status_reason = models.TextField(blank=True)
    partners = models.ManyToManyField(
        "accounts.Partner",
        through="FinancingRouting",
        related_name="financing_requests",
        blank=True,
    )
    accepted_offer = models.OneToOneField(
        "FinancingOffer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    disbursement_reference = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    routed_at = models.DateTimeField(null=True, blank=True)
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    disbursed_at = models.DateTimeField(null=True, blank=True)
    disbursed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "kind", "submitted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="financing_request_amount_positive",
                violation_error_message="The amount must be greater than zero.",
            ),
            models.CheckConstraint(
                condition=Q(term_days__gt=0),
                name="financing_request_term_positive",
                violation_error_message="The term must be at least one day.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "disbursed", "bound"])
                | Q(accepted_offer__isnull=False),
                name="financing_request_accepted_has_offer",
                violation_error_message="An accepted request names the accepted offer.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"


class FinancingRouting(models.Model):
    """The routing table: which partners a request was sent to (and so who may see it)."""

    request = models.ForeignKey(FinancingRequest, on_delete=models.CASCADE, related_name="routings")
    partner = models.ForeignKey(
        "accounts.Partner", on_delete=models.PROTECT, related_name="financing_routings"
    )
    routed_at = models.DateTimeField(auto_now_add=True)
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["routed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "partner"],
                name="financing_routing_unique",
                violation_error_message="The request is already routed to this partner.",
            ),
        ]

    def __str__(self):
        return f"request {self.request_id} → {self.partner_id}"


class FinancingOffer(models.Model):
    """A partner's answer to a routed request, in the request's currency."""

    request = models.ForeignKey(FinancingRequest, on_delete=models.CASCADE, related_name="offers")
    partner = models.ForeignKey(
        "accounts.Partner", on_delete=models.PROTECT, related_name="financing_offers"
    )
    amount = models.DecimalField(**MONEY)
    currency = models.ForeignKey("reference.Currency", on_delete=models.PROTECT, related_name="+")
    rate_percent = models.DecimalField(
        max_digits=7,
        decimal_places=4,
        help_text="Per annum for loans, factoring and LCs; premium rate for insurance; "
        "margin for FX settlement.",
    )
    term_days = models.PositiveIntegerField()
    fees = models.DecimalField(**MONEY, default=0)
    conditions = models.TextField(blank=True)
    valid_until = models.DateTimeField()
    external_reference = models.CharField(
        max_length=100,
        blank=True,
        help_text="The partner's own reference; a replay with the same value returns this offer.",
    )
    status = models.CharField(
        max_length=10, choices=OfferStatus.choices, default=OfferStatus.PENDING, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "valid_until"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="financing_offer_amount_positive",
                violation_error_message="The offered amount must be greater than zero.",
            ),
            models.CheckConstraint(
                condition=Q(fees__gte=0) & Q(rate_percent__gte=0),
                name="financing_offer_costs_not_negative",
                violation_error_message="Rate and fees cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(term_days__gt=0),
                name="financing_offer_term_positive",
                violation_error_message="The term must be at least one day.",
            ),
            models.UniqueConstraint(
                fields=["request", "partner", "external_reference"],
                condition=~Q(external_reference=""),
                name="financing_offer_unique_external_reference",
                violation_error_message="An offer with this external reference already exists.",
            ),
            models.UniqueConstraint(
                fields=["request", "partner"],
                condition=Q(status="pending"),
                name="financing_offer_one_pending_per_partner",
                violation_error_message="This partner already has a pending offer on the request.",
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status="accepted"),
                name="financing_offer_one_accepted_per_request",
                violation_error_message="Only one offer per request can be accepted.",
            ),
        ]

    def __str__(self):
        return f"offer #{self.pk} by {self.partner_id} on request {self.request_id} ({self.status})"


class FinancingEvidence(models.Model):
    """A shipment or certificate of the enterprise linked as evidence; `summary` is a snapshot
    taken when it was linked (what the partner sees), resolved by finance/evidence.py."""

    request = models.ForeignKey(FinancingRequest, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    object_id = models.CharField(max_length=64)
    summary = models.JSONField(default=dict)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name_plural = "financing evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "object_id"],
                name="financing_evidence_unique",
                violation_error_message="This object is already linked as evidence.",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id} for request {self.request_id}"


class FinancingDocument(TitledDocument):
    request = models.ForeignKey(
        FinancingRequest, on_delete=models.CASCADE, related_name="documents"
    )

    storage_folder = "finance/{request_id}"
