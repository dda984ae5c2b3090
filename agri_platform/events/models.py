from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import AttemptOutcome, DeliveryStatus, EmailStatus


class Event(models.Model):
    """A domain event, written in the same transaction as the change that caused it (the outbox).

    `dispatched_at` stays empty until the dispatcher has fanned it out; a periodic sweep re-queues
    events left undispatched (broker down at commit time).
    """

    kind = models.CharField(_("kind"), max_length=80, db_index=True)
    payload = models.JSONField(_("payload"), default=dict, encoder=DjangoJSONEncoder)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    partners = models.ManyToManyField(
        "accounts.Partner",
        verbose_name=_("partners"),
        blank=True,
        related_name="events",
        help_text=_("Partners this event is routed to."),
    )
    for_all_partners = models.BooleanField(
        _("for all partners"),
        default=False,
        help_text=_("A public fact every partner may see (catalogue audience 'all_partners')."),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name=_("subject type"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    subject_id = models.CharField(_("subject id"), max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    subject.verbose_name = _("event subject")
    occurred_at = models.DateTimeField(_("occurred at"), auto_now_add=True, db_index=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["id"],
                name="event_undispatched_idx",
                condition=Q(dispatched_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"


class Notification(models.Model):
    """One event in one user's in-app inbox. Unique per (event, user): a re-run dispatch adds none."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=80)
    title = models.CharField(_("title"), max_length=300)
    email = models.ForeignKey(
        "events.EmailMessage",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
        help_text=_("The e-mail (single or digest) this notification went out in."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                name="notification_unique_event_user",
                violation_error_message=_("This user was already notified of this event."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["user", "id"],
                name="notification_unread_idx",
                condition=Q(read_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.user_id}"


class NotificationPreference(models.Model):
    """Per-user settings: kinds the user does not want by e-mail (the inbox always gets them)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_muted_kinds = models.JSONField(
        _("kinds muted by e-mail"),
        default=list,
        blank=True,
        help_text=_("Kinds or patterns ('shipment.*') never e-mailed."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"preferences of {self.user_id}"


class EmailMessage(models.Model):
    """An e-mail to one user about one kind of event: one notification, or a digest of several.

    Outbox-style status guard: QUEUED → SENDING → SENT, each step under select_for_update, so a task
    delivered twice never sends twice. At most one QUEUED message per (user, kind): new notifications
    of that kind join it until it goes out (the digest).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="email_messages",
    )
    kind = models.CharField(_("kind"), max_length=80)
    status = models.CharField(
        _("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    send_after = models.DateTimeField(_("send after"), db_index=True)
    to_address = models.EmailField(_("recipient address"))
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(
        _("body"), blank=True, help_text=_("The text exactly as it was sent to the recipient.")
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sending_started_at = models.DateTimeField(_("sending started at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail message")
        verbose_name_plural = _("e-mail messages")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(status=EmailStatus.QUEUED),
                name="email_one_queued_per_user_kind",
                violation_error_message=_(
                    "There is already a queued e-mail for this user and kind."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=EmailStatus.SENT) | Q(sent_at__isnull=False),
                name="email_sent_has_sent_at",
                violation_error_message=_("A sent e-mail needs its sending time."),
            ),
        ]

    def __str__(self):
        return f"e-mail {self.kind} → {self.to_address} ({self.status})"


class WebhookEndpoint(models.Model):
    """A partner's URL that receives signed event callbacks (Standard Webhooks)."""

    partner = models.ForeignKey(
        "accounts.Partner",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    event_kinds = models.JSONField(
        _("event kinds"),
        default=list,
        help_text=_("Kinds or patterns: 'shipment.dispatched', 'shipment.*', '*'."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    secret = models.CharField(
        _("secret"), max_length=100, help_text=_("whsec_…; shown once on create/rotate.")
    )
    previous_secret = models.CharField(_("previous secret"), max_length=100, blank=True)
    previous_secret_expires_at = models.DateTimeField(
        _("previous secret expires at"), null=True, blank=True
    )
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    disabled_reason = models.CharField(_("reason for disabling"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # DELETE archives: the endpoint receives nothing more and cannot be changed; its deliveries stay.
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("archived by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["secret", "previous_secret"])

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(secret__startswith="whsec_"),  # noqa: S106 (a prefix)  # nosec B106
                name="webhook_endpoint_secret_prefix",
                violation_error_message=_("A webhook secret starts with whsec_."),
            ),
            models.CheckConstraint(
                condition=Q(archived_at__isnull=True) | Q(is_active=False),
                name="webhook_endpoint_archived_is_inactive",
                violation_error_message=_("An archived webhook endpoint is never active."),
            ),
        ]

    def __str__(self):
        return f"{self.partner_id}: {self.url}"


class WebhookDelivery(models.Model):
    """One message to one endpoint. The body is frozen at creation; the `msg_id` (header
    webhook-id) stays the same across attempts so the receiver can dedupe. The retry schedule lives
    in `next_attempt_at`, picked up by the periodic task."""

    # PROTECT: an endpoint with deliveries is archived, never deleted with its history.
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    msg_id = models.CharField(_("message id"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=80)
    body = models.TextField(_("body"), help_text=_("The exact JSON that is signed and sent."))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claim_token = models.CharField(
        _("claim token"),
        max_length=32,
        blank=True,
        help_text=_("Lets the task queued with it attempt before the lease."),
    )
    attempt_count = models.PositiveIntegerField(_("attempt count"), default=0)
    round_attempts = models.PositiveIntegerField(
        _("attempts this round"),
        default=0,
        help_text=_("Attempts since creation or the last redeliver (drives the backoff)."),
    )
    last_status_code = models.PositiveSmallIntegerField(
        _("last status code"), null=True, blank=True
    )
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "endpoint"],
                name="webhook_delivery_unique_event_endpoint",
                violation_error_message=_("This event already has a delivery to this endpoint."),
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SUCCEEDED) | Q(delivered_at__isnull=False),
                name="webhook_delivery_succeeded_has_time",
                violation_error_message=_("A succeeded delivery needs its delivery time."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due_idx",
                condition=Q(status=DeliveryStatus.PENDING),
            ),
        ]

    def __str__(self):
        return f"{self.msg_id} {self.kind} → {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery, written before the request goes out."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        verbose_name=_("delivery"),
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    number = models.PositiveIntegerField(_("number"))
    outcome = models.CharField(
        _("outcome"),
        max_length=12,
        choices=AttemptOutcome.choices,
        default=AttemptOutcome.IN_PROGRESS,
    )
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    response_body = models.TextField(_("response body"), blank=True, help_text=_("Truncated."))
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["delivery_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "number"],
                name="webhook_attempt_unique_number",
                violation_error_message=_("Attempt numbers are unique per delivery."),
            ),
        ]

    def __str__(self):
        return f"{self.delivery_id} #{self.number} {self.outcome}"
