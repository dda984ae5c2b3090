"""Daily certificate expiry: mark expired, then send `certificate.expiring` reminders.

Beat entry "certification.expiry" (settings.CELERY_BEAT_SCHEDULE). Safe to run twice or
concurrently: see services.certificates_expire and services.expiry_reminders_send.
"""

from datetime import date

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="certification.run_expiry")
def run_expiry(today: str | None = None) -> dict:
    day = date.fromisoformat(today) if today else timezone.localdate()
    expired = services.certificates_expire(today=day)
    reminded = services.expiry_reminders_send(today=day)
    return {"date": day.isoformat(), "expired": expired, "reminders": reminded}
