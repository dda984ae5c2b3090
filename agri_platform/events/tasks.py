"""Celery tasks: thin, idempotent, taking ids. Names route them to the `events` and `webhooks`
queues (settings.CELERY_TASK_ROUTES); the periodic ones are in settings.CELERY_BEAT_SCHEDULE."""

from celery import shared_task

from . import emails, services, webhooks


@shared_task(name="events.dispatch_event")
def dispatch_event(event_id: int) -> bool:
    """Fan an event out (notifications, e-mail, webhooks). Safe to run twice: guarded by dispatched_at."""
    return services.event_dispatch(event_id=event_id)


@shared_task(name="events.sweep_outbox")
def sweep_outbox() -> int:
    """Re-queue events that were never dispatched (broker or worker down at commit time)."""
    return len(services.outbox_sweep())


@shared_task(name="events.send_email")
def send_email(email_id: int) -> bool:
    """Send one e-mail; the QUEUED → SENDING → SENT guard makes a second run a no-op."""
    return emails.email_send(email_id=email_id)


@shared_task(name="events.send_emails")
def send_emails(email_ids: list[int]) -> int:
    """Send a group of e-mails queued together by one dispatch; each keeps its own status guard."""
    return sum(emails.email_send(email_id=email_id) for email_id in email_ids)


@shared_task(name="events.send_due_emails")
def send_due_emails() -> int:
    """Queue the e-mails whose time has come (digests, retries after a failure)."""
    due = emails.emails_due()
    for email_id in due:
        send_email.delay(email_id)
    return len(due)


@shared_task(name="webhooks.deliver")
def deliver_webhook(delivery_id: int, token: str = "") -> str | None:  # a claim token  # nosec B107
    """One attempt of one delivery, if it is still due (or this task holds its claim token)."""
    return webhooks.delivery_attempt(delivery_id=delivery_id, token=token)


@shared_task(name="webhooks.retry_due")
def retry_due_webhooks() -> int:
    """Pick up deliveries whose next_attempt_at has passed (retries, lost workers, lost messages)."""
    return len(webhooks.deliveries_claim_due())
