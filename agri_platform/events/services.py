"""Recording domain events. Every service that changes state calls `record(...)` inside its
transaction; the dispatcher is queued on commit, so a rolled-back change never emits an event."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from .models import Event


def record(
    kind: str,
    *,
    payload: dict,
    enterprise=None,
    actor=None,
    subject=None,
    partners=(),
) -> Event:
    """Write an outbox row for `kind` and queue its dispatch after the surrounding commit.

    `payload` must be JSON-serialisable and hold what a receiver needs (ids, numbers, statuses), never
    secrets. `partners` are the partner organisations the event is routed to (webhooks, event log).
    """
    event = Event.objects.create(
        kind=kind,
        payload=payload,
        enterprise=enterprise,
        actor=actor if actor is not None and actor.is_authenticated else None,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=str(subject.pk) if subject is not None else "",
    )
    if partners:
        event.partners.set(partners)
    transaction.on_commit(lambda: _queue_dispatch(event.pk))
    return event


def _queue_dispatch(event_id: int) -> None:
    from .tasks import dispatch_event

    try:
        dispatch_event.delay(event_id)
    except Exception:  # broker unreachable: the periodic sweep picks the event up later
        import logging

        logging.getLogger(__name__).warning("could not queue dispatch of event %s", event_id)
