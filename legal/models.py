from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agri_platform.accounts.fields import user_field
from agri_platform.api.documents import TitledDocument, document_upload_path

from .choices import DesignationStatus, LegalKind, LegalStatus, MessageSide

# Where uploads are stored: the migrations name this `upload_to`.
_attachment_path = document_upload_path


class LegalRequest(models.Model):
    """A legal service case: an enterprise asks, an officer assigns a partner law firm."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="legal_requests",
        verbose_name=_("enterprise"),
    )
    kind = models.CharField(_("legal service kind"), max_length=30, choices=LegalKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    trademark = models.CharField(
        _("trademark"),
        max_length=200,
        blank=True,
        help_text=_("The mark to register (trademark registration)."),
    )
    countries = models.ManyToManyField(
        "reference.Country", blank=True, related_name="+", verbose_name=_("countries")
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=LegalStatus.choices,
        default=LegalStatus.SUBMITTED,
        db_index=True,
    )
    status_reason = models.TextField(_("status reason"), blank=True)
    assigned_firm = models.ForeignKey(
        "accounts.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legal_cases",
        verbose_name=_("assigned law firm"),
    )
    resolution = models.TextField(_("resolution"), blank=True)
    created_by = user_field(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    assigned_by = user_field(_("assigned by"))
    started_at = models.DateTimeField(
        pgettext_lazy("legal request", "started at"), null=True, blank=True
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(
        pgettext_lazy("legal request", "closed at"), null=True, blank=True
    )
    closed_by = user_field(pgettext_lazy("legal request", "closed by"))

    history = HistoricalRecords(m2m_fields=[countries])

    class Meta:
        verbose_name = _("legal request")
        verbose_name_plural = _("legal requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "kind", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["assigned", "in_progress", "awaiting_client", "resolved"])
                | Q(assigned_firm__isnull=False),
                name="legal_request_active_has_firm",
                violation_error_message=_("A case in progress has an assigned law firm."),
            ),
            models.CheckConstraint(
                condition=~Q(status="resolved") | ~Q(resolution=""),
                name="legal_request_resolved_has_resolution",
                violation_error_message=_("A resolved case says how it was resolved."),
            ),
        ]

    def __str__(self):
        return gettext("%(kind)s #%(id)s: %(title)s") % {
            "kind": self.get_kind_display(),
            "id": self.pk,
            "title": self.title,
        }


class MadridDesignation(models.Model):
    """One designated country of a Madrid trademark application, with its Nice classes."""

    request = models.ForeignKey(
        LegalRequest,
        on_delete=models.CASCADE,
        related_name="designations",
        verbose_name=_("legal request"),
    )
    country = models.ForeignKey(
        "reference.Country",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("designated country"),
    )
    nice_classes = models.JSONField(
        _("Nice classes"), default=list, help_text=_("Nice classes 1-45")
    )
    status = models.CharField(
        _("designation status"),
        max_length=12,
        choices=DesignationStatus.choices,
        default=DesignationStatus.REQUESTED,
    )
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Madrid designation")
        verbose_name_plural = _("Madrid designations")
        ordering = ["country_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "country"],
                name="madrid_designation_unique_country",
                violation_error_message=_("The country is already designated."),
            ),
        ]

    def __str__(self):
        return gettext("%(country)s for request %(request)s (%(status)s)") % {
            "country": self.country_id,
            "request": self.request_id,
            "status": self.get_status_display(),
        }


class LegalMessage(models.Model):
    """The case thread. Internal notes (`is_internal`) are the law firm's own: never shown to the
    enterprise."""

    request = models.ForeignKey(
        LegalRequest,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("legal request"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    author_side = models.CharField(_("author side"), max_length=12, choices=MessageSide.choices)
    author_partner = models.ForeignKey(
        "accounts.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author's law firm"),
    )
    body = models.TextField(_("message"))
    is_internal = models.BooleanField(_("internal note"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case message")
        verbose_name_plural = _("case messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_internal=False)
                | (Q(author_side="law_firm") & Q(author_partner__isnull=False)),
                name="legal_message_internal_only_from_firm",
                violation_error_message=_("Only the law firm can keep internal notes."),
            ),
        ]

    def __str__(self):
        return gettext("message #%(id)s on request %(request)s") % {
            "id": self.pk,
            "request": self.request_id,
        }


class LegalAttachment(TitledDocument):
    """A document on the case: either attached to a message or to the request itself."""

    request = models.ForeignKey(
        LegalRequest,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("legal request"),
    )
    message = models.ForeignKey(
        LegalMessage,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("case message"),
    )

    storage_folder = "legal/{request_id}"

    class Meta(TitledDocument.Meta):
        verbose_name = _("legal attachment")
        verbose_name_plural = _("legal attachments")

    @property
    def owner_request_id(self):
        return self.request_id


class DeadlineReminder(models.Model):
    """One row per (request, threshold) sent: the reminder task's idempotency guard."""

    request = models.ForeignKey(
        LegalRequest,
        on_delete=models.CASCADE,
        related_name="deadline_reminders",
        verbose_name=_("legal request"),
    )
    threshold_days = models.PositiveSmallIntegerField(_("days before the deadline"))
    deadline = models.DateField(_("deadline"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        ordering = ["request_id", "-threshold_days"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "threshold_days", "deadline"],
                name="legal_deadline_reminder_once",
                violation_error_message=_("This reminder was already sent."),
            ),
        ]

    def __str__(self):
        return gettext("%(days)s-day reminder for request %(request)s") % {
            "days": self.threshold_days,
            "request": self.request_id,
        }
