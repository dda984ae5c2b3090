from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q


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
