from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .choices import AttemptOutcome, DeliveryStatus, EmailStatus


class Event(models.Model):
    """A domain event, written in the same transaction as the change that caused it (the outbox).

    `dispatched_at` stays empty until the dispatcher has fanned it out; a periodic sweep re-queues
    events left undispatched (broker down at commit time).
    """

    kind = models.CharField(max_length=80, db_index=True)
    payload = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    partners = models.ManyToManyField(
        "accounts.Partner",
        blank=True,
        related_name="events",
        help_text="Partners this event is routed to.",
    )
    for_all_partners = models.BooleanField(
        default=False,
        help_text="A public fact every partner may see (catalogue audience 'all_partners').",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    subject_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
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
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=80)
    title = models.CharField(max_length=300)
    email = models.ForeignKey(
        "events.EmailMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
        help_text="The e-mail (single or digest) this notification went out in.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                name="notification_unique_event_user",
                violation_error_message="This user was already notified of this event.",
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
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_muted_kinds = models.JSONField(
        default=list, blank=True, help_text="Kinds or patterns ('shipment.*') never e-mailed."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"preferences of {self.user_id}"


class EmailMessage(models.Model):
    """An e-mail to one user about one kind of event: one notification, or a digest of several.

    Outbox-style status guard: QUEUED → SENDING → SENT, each step under select_for_update, so a task
    delivered twice never sends twice. At most one QUEUED message per (user, kind): new notifications
    of that kind join it until it goes out (the digest).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_messages"
    )
    kind = models.CharField(max_length=80)
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    send_after = models.DateTimeField(db_index=True)
    to_address = models.EmailField()
    language = models.CharField(max_length=8)
    subject = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(status=EmailStatus.QUEUED),
                name="email_one_queued_per_user_kind",
                violation_error_message="There is already a queued e-mail for this user and kind.",
            ),
            models.CheckConstraint(
                condition=~Q(status=EmailStatus.SENT) | Q(sent_at__isnull=False),
                name="email_sent_has_sent_at",
                violation_error_message="A sent e-mail needs its sending time.",
            ),
        ]

    def __str__(self):
        return f"e-mail {self.kind} → {self.to_address} ({self.status})"


class WebhookEndpoint(models.Model):
    """A partner's URL that receives signed event callbacks (Standard Webhooks)."""

    partner = models.ForeignKey(
        "accounts.Partner", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    event_kinds = models.JSONField(
        default=list, help_text="Kinds or patterns: 'shipment.dispatched', 'shipment.*', '*'."
    )
    is_active = models.BooleanField(default=True)
    secret = models.CharField(max_length=100, help_text="whsec_…; shown once on create/rotate.")
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # DELETE archives: the endpoint receives nothing more and cannot be changed; its deliveries stay.
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["secret", "previous_secret"])

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(secret__startswith="whsec_"),  # noqa: S106 (a prefix)  # nosec B106
                name="webhook_endpoint_secret_prefix",
                violation_error_message="A webhook secret starts with whsec_.",
            ),
            models.CheckConstraint(
                condition=Q(archived_at__isnull=True) | Q(is_active=False),
                name="webhook_endpoint_archived_is_inactive",
                violation_error_message="An archived webhook endpoint is never active.",
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
        WebhookEndpoint, on_delete=models.PROTECT, related_name="deliveries"
    )
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    msg_id = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=80)
    body = models.TextField(help_text="The exact JSON that is signed and sent.")
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(
        max_length=32,
        blank=True,
        help_text="Lets the task queued with it attempt before the lease.",
    )
    attempt_count = models.PositiveIntegerField(default=0)
    round_attempts = models.PositiveIntegerField(
        default=0, help_text="Attempts since creation or the last redeliver (drives the backoff)."
    )
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "endpoint"],
                name="webhook_delivery_unique_event_endpoint",
                violation_error_message="This event already has a delivery to this endpoint.",
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SUCCEEDED) | Q(delivered_at__isnull=False),
                name="webhook_delivery_succeeded_has_time",
                violation_error_message="A succeeded delivery needs its delivery time.",
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

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    outcome = models.CharField(
        max_length=12, choices=AttemptOutcome.choices, default=AttemptOutcome.IN_PROGRESS
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True, help_text="Truncated.")
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["delivery_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "number"],
                name="webhook_attempt_unique_number",
                violation_error_message="Attempt numbers are unique per delivery.",
            ),
        ]

    def __str__(self):
        return f"{self.delivery_id} #{self.number} {self.outcome}"
