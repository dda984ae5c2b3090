from celery import shared_task

from . import services


@shared_task(name="legal.deadline_reminders")
def deadline_reminders() -> int:
    """Send the due deadline reminders. Idempotent: one row per (case, threshold) guards it."""
    return services.deadline_reminders_send()
