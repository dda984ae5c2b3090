"""E-mail notifications: one message per (user, kind) at a time, digests, an outbox status guard.

- A notification joins the QUEUED e-mail of its user and kind if there is one (at most one may
  exist: a partial unique constraint); otherwise a new one is queued. If the last e-mail of that
  user and kind went out less than EVENTS_EMAIL_DIGEST_WINDOW ago, the new one waits until the
  window has passed, collecting everything of that kind meanwhile: many events, one e-mail.
- Sending: QUEUED → SENDING (under select_for_update, committed before the SMTP call) → SENT. A task
  delivered twice finds SENDING or SENT and sends nothing. A message left SENDING by a lost worker is
  marked FAILED by the periodic task, never resent (at most once, never twice).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from . import catalogue, email_content
from .choices import EmailStatus
from .models import EmailMessage, Notification

logger = logging.getLogger(__name__)

SENDING_STUCK_AFTER = timedelta(minutes=15)


def _deliverable_address(user) -> bool:
    return bool(user.email) and not user.email.endswith(".invalid")


def _muted(user, kind: str) -> bool:
    try:
        patterns = user.notification_preference.email_muted_kinds
    except Exception:  # no preference row yet
        return False
    return any(catalogue.kind_matches(pattern, kind) for pattern in patterns)


def _queued_for(user, kind: str, now) -> EmailMessage:
    existing = (
        EmailMessage.objects.select_for_update()
        .filter(user=user, kind=kind, status=EmailStatus.QUEUED)
        .first()
    )
    if existing is not None:
        return existing
    window = settings.EVENTS_EMAIL_DIGEST_WINDOW
    last = (
        EmailMessage.objects.filter(
            user=user,
            kind=kind,
            status__in=[EmailStatus.SENDING, EmailStatus.SENT],
            sending_started_at__gte=now - window,
        )
        .order_by("-sending_started_at")
        .first()
    )
    send_after = last.sending_started_at + window if last is not None else now
    try:
        with transaction.atomic():
            return EmailMessage.objects.create(
                user=user,
                kind=kind,
                send_after=send_after,
                to_address=user.email,
                language=user.reading_language,
            )
    except IntegrityError:  # another dispatcher queued one for this user and kind just now
        return (
            EmailMessage.objects.select_for_update()
            .filter(user=user, kind=kind, status=EmailStatus.QUEUED)
            .get()
        )


def attach_notifications(*, notifications: list[Notification], now) -> list[int]:
    """Put each notification into an e-mail (unless muted); ids of e-mails due to go out now.

    The same e-mails as one notification at a time, with a constant number of queries: the queued
    e-mails of all (user, kind) pairs in one query, the missing ones created in one insert, every
    notification linked in one update."""
    wanted = [
        notification
        for notification in notifications
        if _deliverable_address(notification.user)
        and not _muted(notification.user, notification.kind)
    ]
    if not wanted:
        return []
    users = {(n.user_id, n.kind): n.user for n in wanted}  # insertion order: first seen first
    queued = _queued_for_pairs(users, now)
    for notification in wanted:
        notification.email = queued[(notification.user_id, notification.kind)]
    Notification.objects.bulk_update(wanted, ["email"])
    return sorted({email.pk for email in queued.values() if email.send_after <= now})


def _queued_for_pairs(users: dict[tuple[int, str], object], now) -> dict[tuple, EmailMessage]:
    """{(user id, kind): its QUEUED e-mail, locked}, creating the missing ones (`_queued_for` for
    many pairs at once)."""
    user_ids = {user_id for user_id, _ in users}
    kinds = {kind for _, kind in users}
    queued = {
        (email.user_id, email.kind): email
        for email in EmailMessage.objects.select_for_update()
        .filter(user_id__in=user_ids, kind__in=kinds, status=EmailStatus.QUEUED)
        .order_by("pk")  # one lock order for concurrent dispatchers
        if (email.user_id, email.kind) in users
    }
    missing = {pair: user for pair, user in users.items() if pair not in queued}
    if missing:
        queued.update(_queue_new(missing, now))
    return queued


def _queue_new(users: dict[tuple[int, str], object], now) -> dict[tuple, EmailMessage]:
    window = settings.EVENTS_EMAIL_DIGEST_WINDOW
    last_started = {
        (row["user_id"], row["kind"]): row["last"]
        for row in EmailMessage.objects.filter(
            user_id__in={user_id for user_id, _ in users},
            kind__in={kind for _, kind in users},
            status__in=[EmailStatus.SENDING, EmailStatus.SENT],
            sending_started_at__gte=now - window,
        )
        .values("user_id", "kind")
        .annotate(last=Max("sending_started_at"))
        .order_by()
    }
    rows = {
        (user.pk, kind): EmailMessage(
            user=user,
            kind=kind,
            send_after=last_started[(user.pk, kind)] + window
            if (user.pk, kind) in last_started
            else now,
            to_address=user.email,
            language=user.reading_language,
        )
        for (_, kind), user in users.items()
    }
    try:
        with transaction.atomic():
            EmailMessage.objects.bulk_create(rows.values())
    except IntegrityError:  # another dispatcher queued some of them just now: one at a time
        return {pair: _queued_for(user, pair[1], now) for pair, user in users.items()}
    return rows


def _render(email: EmailMessage, notifications: list[Notification]) -> tuple[str, str]:
    """Subject and body in the recipient's language and time zone, each notification with its
    figures and the page to act on (agri_platform/events/email_content.py)."""
    with email_content.reading_context(email.user) as language:
        items = [email_content.item_for(notification) for notification in notifications]
        context = {
            "count": len(items),
            "items": items,
            "first": items[0] if items else None,
            "full_name": email.user.full_name,
            "kind": email.kind,
            "inbox_url": email_content.inbox_link(email.user),
            "preferences_url": email_content.preferences_link(email.user),
        }
        subject = render_to_string(f"events/email/subject.{language}.txt", context)
        body = render_to_string(f"events/email/body.{language}.txt", context)
    return " ".join(subject.split())[:300], body


def email_send(*, email_id: int) -> bool:
    """Send one queued e-mail if it is due. True if this call sent it; never sends twice."""
    now = timezone.now()
    with transaction.atomic():
        email = (
            EmailMessage.objects.select_for_update()
            .filter(pk=email_id, status=EmailStatus.QUEUED, send_after__lte=now)
            .first()
        )
        if email is None:
            return False
        notifications = list(email.notifications.select_related("event", "user").order_by("id"))
        if not notifications:  # every notification was read or moved: nothing to say
            email.status = EmailStatus.FAILED
            email.error = "No notifications left to send."
            email.save(update_fields=["status", "error"])
            return False
        subject, body = _render(email, notifications)
        email.status = EmailStatus.SENDING
        email.sending_started_at = now
        email.attempts += 1
        email.subject, email.body = subject, body
        email.language = email_content.language_of(email.user)
        email.save(
            update_fields=[
                "status",
                "sending_started_at",
                "attempts",
                "subject",
                "body",
                "language",
            ]
        )
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email.to_address])
    except Exception as exc:
        logger.warning("e-mail %s failed: %s", email.pk, exc)
        _after_failure(email_id=email.pk, error=str(exc)[:500])
        return False
    EmailMessage.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(
        status=EmailStatus.SENT, sent_at=timezone.now()
    )
    return True


def _after_failure(*, email_id: int, error: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        email = EmailMessage.objects.select_for_update().get(pk=email_id)
        if email.status != EmailStatus.SENDING:
            return
        email.error = error
        other = (
            EmailMessage.objects.select_for_update()
            .filter(user_id=email.user_id, kind=email.kind, status=EmailStatus.QUEUED)
            .first()
        )
        if other is not None:
            email.notifications.update(email=other)
            email.status = EmailStatus.FAILED
            email.error = f"{error} (its notifications joined e-mail #{other.pk})"[:500]
        elif email.attempts >= settings.EVENTS_EMAIL_MAX_ATTEMPTS:
            email.status = EmailStatus.FAILED
        else:
            email.status = EmailStatus.QUEUED
            email.send_after = now + timedelta(minutes=2**email.attempts)
        email.save(update_fields=["status", "error", "send_after"])


def emails_due(*, limit: int = 500) -> list[int]:
    """Ids of queued e-mails whose time has come; marks stuck SENDING ones FAILED (not resent)."""
    now = timezone.now()
    EmailMessage.objects.filter(
        status=EmailStatus.SENDING, sending_started_at__lt=now - SENDING_STUCK_AFTER
    ).update(
        status=EmailStatus.FAILED,
        error="Interrupted while sending; not resent so that nobody gets it twice.",
    )
    return list(
        EmailMessage.objects.filter(status=EmailStatus.QUEUED, send_after__lte=now)
        .order_by("send_after")
        .values_list("pk", flat=True)[:limit]
    )
