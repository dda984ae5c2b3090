"""The integration plumbing itself: a committed event reaches a real worker through Redis."""

import pytest
from django.db import transaction

from agri_platform.events.models import Event
from agri_platform.events.services import record
from tests.events.factories import payload_for

from .conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_event_recorded_in_a_transaction_is_dispatched_by_the_real_worker(celery_worker):
    with transaction.atomic():
        event = record("enterprise.registered", payload=payload_for("enterprise.registered"))
    wait_for(
        lambda: Event.objects.filter(pk=event.pk, dispatched_at__isnull=False).exists(),
        message=f"event {event.pk} to be dispatched by the worker",
    )
