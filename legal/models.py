from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from agri_platform.api.documents import TitledDocument, document_upload_path

from .choices import DesignationStatus, LegalKind, LegalStatus, MessageSide

# Where uploads are stored: the migrations name this `upload_to`.
_attachment_path = document_upload_path


class LegalRequest(models.Model):
    """A legal service case: an enterprise asks, an officer assigns a partner law firm."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="legal_requests"
    )
    kind = models.CharField(max_length=30, choices=LegalKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField()
    trademark = models.CharField(
        max_length=200, blank=True, help_text="The mark to register (trademark registration)."
    )
    countries = models.ManyToManyField("reference.Country", blank=True, related_name="+")
    deadline = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=LegalStatus.choices, default=LegalStatus.SUBMITTED, db_index=True
    )
    status_reason = models.TextField(blank=True)
    assigned_firm = models.ForeignKey(
        "accounts.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legal_cases",
    )
    resolution = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(m2m_fields=[countries])

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "kind", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["assigned", "in_progress", "awaiting_client", "resolved"])
                | Q(assigned_firm__isnull=False),
                name="legal_request_active_has_firm",
                violation_error_message="A case in progress has an assigned law firm.",
            ),
            models.CheckConstraint(
                condition=~Q(status="resolved") | ~Q(resolution=""),
                name="legal_request_resolved_has_resolution",
                violation_error_message="A resolved case says how it was resolved.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}: {self.title}"


class MadridDesignation(models.Model):
    """One designated country of a Madrid trademark application, with its Nice classes."""

    request = models.ForeignKey(LegalRequest, on_delete=models.CASCADE, related_name="designations")
    country = models.ForeignKey("reference.Country", on_delete=models.PROTECT, related_name="+")
    nice_classes = models.JSONField(default=list, help_text="Nice classes 1-45")
    status = models.CharField(
        max_length=12, choices=DesignationStatus.choices, default=DesignationStatus.REQUESTED
    )
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["country_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "country"],
                name="madrid_designation_unique_country",
                violation_error_message="The country is already designated.",
            ),
        ]

    def __str__(self):
        return f"{self.country_id} for request {self.request_id} ({self.status})"


class LegalMessage(models.Model):
    """The case thread. Internal notes (`is_internal`) are the law firm's own: never shown to the
    enterprise."""

    request = models.ForeignKey(LegalRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_side = models.CharField(max_length=12, choices=MessageSide.choices)
    author_partner = models.ForeignKey(
        "accounts.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField()
    is_internal = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_internal=False)
                | (Q(author_side="law_firm") & Q(author_partner__isnull=False)),
                name="legal_message_internal_only_from_firm",
                violation_error_message="Only the law firm can keep internal notes.",
            ),
        ]

    def __str__(self):
        return f"message #{self.pk} on request {self.request_id}"


class LegalAttachment(TitledDocument):
    """A document on the case: either attached to a message or to the request itself."""

    request = models.ForeignKey(LegalRequest, on_delete=models.CASCADE, related_name="documents")
    message = models.ForeignKey(
        LegalMessage,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )

    storage_folder = "legal/{request_id}"

    @property
    def owner_request_id(self):
        return self.request_id


class DeadlineReminder(models.Model):
    """One row per (request, threshold) sent: the reminder task's idempotency guard."""

    request = models.ForeignKey(
        LegalRequest, on_delete=models.CASCADE, related_name="deadline_reminders"
    )
    threshold_days = models.PositiveSmallIntegerField()
    deadline = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request_id", "-threshold_days"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "threshold_days", "deadline"],
                name="legal_deadline_reminder_once",
                violation_error_message="This reminder was already sent.",
            ),
        ]

    def __str__(self):
        return f"{self.threshold_days}-day reminder for request {self.request_id}"
