"""The outbox: `record` writes an event row inside the caller's transaction and queues its
dispatch after the commit, so a rolled-back change never emits an event. The dispatcher
(`services.event_dispatch`) fans the event out; the periodic sweep (`services.outbox_sweep`)
re-queues what a broker outage left undispatched.

Every app calls it as `agri_platform.events.services.record`; webhooks import it from here, which
imports neither the dispatcher nor webhooks.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from agri_platform.queue import queue_now

from . import catalogue
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

    `kind` must be in the catalogue (agri_platform/events/catalogue.py) and `payload` carry exactly
    the fields its entry lists, each of its type (`catalogue.payload_problems`), else ValueError:
    receivers and docs/events.md rely on that shape, whichever app records the event.
    `payload` must be JSON-serialisable and hold what a receiver needs (ids, numbers, statuses), never
    secrets. `partners` are the partner organisations the event is routed to (webhooks, event log).
    """
    entry = catalogue.get(kind)
    problems = catalogue.payload_problems(kind, payload)
    if problems:
        raise ValueError(f"{kind} payload does not match the catalogue: {'; '.join(problems)}")
    event = Event.objects.create(
        kind=kind,
        payload=payload,
        enterprise=enterprise,
        for_all_partners=entry.partners == catalogue.ALL_PARTNERS,
        actor=actor if actor is not None and actor.is_authenticated else None,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=str(subject.pk) if subject is not None else "",
    )
    if partners:
        event.partners.set(partners)
    transaction.on_commit(lambda: queue_dispatch(event.pk), robust=True)
    return event


def queue_dispatch(event_id: int) -> bool:
    """Queue the dispatcher of `event_id` now (after-commit hook, sweep, admin); False when the
    broker is down (logged): the outbox sweep tries again."""
    return queue_now("events.dispatch_event", event_id)
