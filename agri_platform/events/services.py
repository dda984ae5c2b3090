"""Recording and dispatching domain events; the in-app inbox.

Every service that changes state calls `record(...)` (agri_platform/events/outbox.py) inside its
transaction; the dispatcher is queued on commit, so a rolled-back change never emits an event. The
dispatcher fans an event out to inbox notifications, e-mails and webhook deliveries in one
transaction guarded by `dispatched_at` and by unique constraints per (event, user) and
(event, endpoint): running it twice adds nothing; its e-mails and deliveries are queued after its
commit (agri_platform/queue.py).
"""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext

from agri_platform.api.errors import ValidationFailed
from agri_platform.queue import queue_after_commit

from . import catalogue, email_content, emails, routing, webhooks
from .models import Event, Notification, NotificationPreference
from .outbox import queue_dispatch
from .outbox import record as record  # every app records events as `events.services.record`

logger = logging.getLogger(__name__)


def event_dispatch(*, event_id: int) -> bool:
    """Fan `event_id` out (inbox notifications, e-mails, webhook deliveries) together with the
    events pending after it, settings.EVENTS_DISPATCH_BATCH per transaction, until no full batch
    is left. True if this call dispatched `event_id`; False if it was done already.

    A batch that fails rolls back whole; `event_id` is then dispatched alone, so one faulty event
    never holds back the others (they wait for their own message or the outbox sweep)."""
    limit = max(settings.EVENTS_DISPATCH_BATCH, 1)
    if limit == 1:
        return event_id in batch_dispatch(from_id=event_id, limit=1)
    try:
        dispatched = batch_dispatch(from_id=event_id, limit=limit)
    except Exception:
        logger.exception("dispatching the events from #%s failed; dispatching it alone", event_id)
        return event_id in batch_dispatch(from_id=event_id, limit=1)
    claimed = dispatched
    while len(claimed) == limit:  # more may be pending: take them while this worker is here
        claimed = batch_dispatch(from_id=event_id, limit=limit, wait_for_first=False)
    return event_id in dispatched


def batch_dispatch(*, from_id: int, limit: int, wait_for_first: bool = True) -> list[int]:
    """One transaction: claim up to `limit` undispatched events from `from_id`, fan them out with
    bulk writes, mark them dispatched with one UPDATE; their e-mails and deliveries are queued
    after the commit. Returns the ids it dispatched.

    Event `from_id` itself is waited for when another transaction holds it (`wait_for_first`: then
    found dispatched, never taken twice); the others are claimed with SKIP LOCKED, so concurrent
    dispatchers take disjoint rows without waiting for each other."""
    with transaction.atomic():
        events = _claim(from_id, limit, wait_for_first=wait_for_first)
        if not events:
            return []
        prefetch_related_objects(events, "partners")
        for event in events:  # the content type cache instead of a query per event
            if event.subject_type_id:
                event.subject_type = ContentType.objects.get_for_id(event.subject_type_id)
        now = timezone.now()
        _notifications_create(events)
        fresh = (
            Notification.objects.filter(event__in=events, email__isnull=True)
            .select_related("user", "user__notification_preference")
            .order_by("event_id", "-id")
        )
        due_emails = emails.attach_notifications(notifications=list(fresh), now=now)
        due_deliveries = webhooks.deliveries_create(events=events, now=now)
        event_ids = [event.pk for event in events]
        Event.objects.filter(pk__in=event_ids).update(dispatched_at=now)
        _queue_fan_out(due_emails, due_deliveries)
    return event_ids


def _claim(from_id: int, limit: int, *, wait_for_first: bool) -> list[Event]:
    pending = Event.objects.filter(dispatched_at__isnull=True)
    claimed = []
    if wait_for_first:
        claimed = list(pending.select_for_update().filter(pk=from_id))
    if limit > len(claimed):
        others = (
            pending.filter(pk__gt=from_id) if wait_for_first else pending.filter(pk__gte=from_id)
        )
        claimed += others.select_for_update(skip_locked=True).order_by("pk")[: limit - len(claimed)]
    return claimed


def _notifications_create(events: list[Event]) -> None:
    recipients = routing.recipients_of(events)
    Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                event=event,
                kind=event.kind,
                title=email_content.notification_title(event, user)[:300],
            )
            for event in events
            for user in recipients[event.pk]
        ],
        ignore_conflicts=True,
    )


EMAILS_PER_MESSAGE = 20


def _queue_fan_out(email_ids, deliveries) -> None:
    """Queue the e-mails and deliveries after the commit: e-mails EMAILS_PER_MESSAGE per message (a
    single one under its own task name); each webhook delivery in its own message, so that a slow
    endpoint never holds the others past their claim's lease (WEBHOOK_LEASE_SECONDS)."""
    for chunk in _chunks(list(email_ids), EMAILS_PER_MESSAGE):
        if len(chunk) == 1:
            queue_after_commit("events.send_email", chunk[0])
        else:
            queue_after_commit("events.send_emails", chunk)
    for delivery_id, token in deliveries:
        queue_after_commit("webhooks.deliver", delivery_id, token)


def _chunks(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def outbox_sweep(*, limit: int = 500) -> list[int]:
    """Re-queue events left undispatched longer than settings.EVENTS_SWEEP_AFTER."""
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
            gettext("Unknown event kinds or patterns: %(patterns)s.")
            % {"patterns": ", ".join(unknown)},
            field="email_muted_kinds",
        )
    with transaction.atomic():
        preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
        preference.email_muted_kinds = sorted(set(email_muted_kinds))
        preference.save(update_fields=["email_muted_kinds", "updated_at"])
    return preference
