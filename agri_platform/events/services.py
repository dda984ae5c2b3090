"""Recording and dispatching domain events; the in-app inbox.

Every service that changes state calls `record(...)` (agri_platform/events/outbox.py) inside its
transaction; the dispatcher is queued on commit, so a rolled-back change never emits an event. The
dispatcher fans an event out to inbox notifications, e-mails and webhook deliveries in one
transaction guarded by `dispatched_at` and by unique constraints per (event, user) and
(event, endpoint): running it twice adds nothing; its e-mails and deliveries are queued after its
commit (agri_platform/queue.py).
"""

from django.db import transaction
from django.utils import timezone

from agri_platform.api import audience
from agri_platform.api.errors import ValidationFailed
from agri_platform.queue import queue_after_commit

from . import catalogue, emails, routing, webhooks
from .models import Event, Notification, NotificationPreference
from .outbox import queue_dispatch
from .outbox import record as record  # every app records events as `events.services.record`


def event_dispatch(*, event_id: int) -> bool:
    """Fan `event_id` out: inbox notifications, e-mails, webhook deliveries. False if already done."""
    with transaction.atomic():
        event = (
            Event.objects.select_for_update()
            .filter(pk=event_id, dispatched_at__isnull=True)
            .first()
        )
        if event is None:
            return False
        now = timezone.now()
        users = list(routing.recipients(event))
        Notification.objects.bulk_create(
            [
                Notification(
                    user=user,
                    event=event,
                    kind=event.kind,
                    title=catalogue.title_for(
                        event.kind, audience.for_user(user, event.payload), user.reading_language
                    )[:300],
                )
                for user in users
            ],
            ignore_conflicts=True,
        )
        fresh = Notification.objects.filter(event=event, email__isnull=True).select_related(
            "user", "user__notification_preference"
        )
        due_emails = emails.attach_notifications(notifications=list(fresh), now=now)
        due_deliveries = webhooks.deliveries_create(event=event, now=now)
        event.dispatched_at = now
        event.save(update_fields=["dispatched_at"])
        _queue_fan_out(due_emails, due_deliveries)
    return True


def _queue_fan_out(email_ids, deliveries) -> None:
    for email_id in email_ids:
        queue_after_commit("events.send_email", email_id)
    for delivery_id, token in deliveries:
        queue_after_commit("webhooks.deliver", delivery_id, token)


def outbox_sweep(*, limit: int = 500) -> list[int]:
    """Re-queue events left undispatched longer than settings.EVENTS_SWEEP_AFTER."""
    from django.conf import settings

    cutoff = timezone.now() - settings.EVENTS_SWEEP_AFTER
    ids = list(
        Event.objects.filter(dispatched_at__isnull=True, occurred_at__lt=cutoff)
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    for event_id in ids:
        if not queue_dispatch(event_id):
            break
    return ids


# --- inbox ------------------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preferences_for(*, user) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.get_or_create(user=user)
    return preference


def preferences_update(*, user, email_muted_kinds: list[str]) -> NotificationPreference:
    unknown = [p for p in email_muted_kinds if not catalogue.pattern_is_known(p)]
    if unknown:
        raise ValidationFailed(
            f"Unknown event kinds or patterns: {', '.join(unknown)}.", field="email_muted_kinds"
        )
    with transaction.atomic():
        preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
        preference.email_muted_kinds = sorted(set(email_muted_kinds))
        preference.save(update_fields=["email_muted_kinds", "updated_at"])
    return preference
