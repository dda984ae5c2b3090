"""Daily certificate expiry: mark expired, then send `certificate.expiring` reminders.

Beat entry "certification.expiry" (settings.CELERY_BEAT_SCHEDULE). Safe to run twice or
concurrently: see services.certificates_expire and services.expiry_reminders_send.
"""

from datetime import date

from celery import shared_task
from django.utils import timezone

from . import facts, services


@shared_task(name="certification.run_expiry")
def run_expiry(today: str | None = None) -> dict:
    day = date.fromisoformat(today) if today else timezone.localdate()
    expired = services.certificates_expire(today=day)
    reminded = services.expiry_reminders_send(today=day)
    return {"date": day.isoformat(), "expired": expired, "reminders": reminded}


@shared_task(name="reports.certification_fact_refresh")
def certification_fact_refresh(application_id: int) -> bool:
    """Rewrite the analytics fact of one application from its current state."""
    return facts.application_fact_refresh(application_id=application_id)


@shared_task(name="reports.certificate_fact_refresh")
def certificate_fact_refresh(certificate_id: int) -> bool:
    """Rewrite the analytics fact of one certificate from its current state."""
    return facts.certificate_fact_refresh(certificate_id=certificate_id)


@shared_task(name="reports.certification_facts_reconcile")
def certification_facts_reconcile() -> int:
    """Nightly: rewrite every application's and certificate's fact (also ages `in_force`)."""
    return facts.facts_refresh_all()
