"""Celery tasks of logistics: thin, idempotent, taking ids. `reports.*` run on the reports queue."""

from celery import shared_task
from django.utils import timezone

from . import facts, partitions


@shared_task(name="reports.shipment_fact_refresh")
def shipment_fact_refresh(shipment_id: int) -> bool:
    """Rewrite the analytics fact of one shipment from its current state."""
    return facts.fact_refresh(shipment_id=shipment_id)


@shared_task(name="reports.shipment_facts_reconcile")
def shipment_facts_reconcile() -> int:
    """Nightly: rewrite every shipment's fact (catches a refresh lost while the broker was down)."""
    return facts.facts_refresh_all()


@shared_task(name="telemetry.partitions")
def telemetry_partitions() -> list[str]:
    """Daily: readings partitions ahead, DEFAULT split, retention (logistics/partitions.py)."""
    return partitions.maintain(now=timezone.now())
