"""Two concurrent requests with one Idempotency-Key on real PostgreSQL: exactly one effect.

Runs in CI's PostgreSQL pass (the `integration` marker; it needs real concurrent connections, which
SQLite's single writer cannot show).
"""

import threading
import time

import pytest
from django.db import connection

from agri_platform.accounts import services as account_services
from agri_platform.accounts.models import Partner
from agri_platform.api.models import IdempotencyKey
from agri_platform.events.models import Event
from tests import factories
from tests.conftest import client_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

BODY = {"name": "Concurrent Carrier", "kind": "carrier", "country": "CN"}


def test_two_threads_same_key_one_effect(monkeypatch):
    assert connection.vendor == "postgresql"
    staff = factories.StaffUserFactory(staff_role="platform_admin")
    clients = [client_for(staff), client_for(staff)]
    real = account_services.partner_create

    def slow_create(**kwargs):
        partner = real(**kwargs)
        time.sleep(0.5)  # keep the first request in flight while the second arrives
        return partner

    monkeypatch.setattr(account_services, "partner_create", slow_create)
    barrier = threading.Barrier(2)
    responses = [None, None]

    def send(index):
        try:
            barrier.wait(timeout=10)
            responses[index] = clients[index].post(
                "/api/v1/partners/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="same-key"
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201, 409], statuses
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.json()["code"] == "idempotency_key_in_flight"
    assert Partner.objects.filter(name=BODY["name"]).count() == 1
    assert Event.objects.filter(kind="partner.created").count() == 1
    assert IdempotencyKey.objects.get().state == IdempotencyKey.State.COMPLETED

    replay = clients[0].post(
        "/api/v1/partners/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="same-key"
    )
    assert replay.status_code == 201
    assert replay["Idempotent-Replayed"] == "true"
    assert Partner.objects.filter(name=BODY["name"]).count() == 1


def test_many_threads_racing_for_one_key_insert_one_row():
    """No sleep: the unique constraint alone decides; every loser gets 409 or the replay."""
    staff = factories.StaffUserFactory(staff_role="platform_admin")
    count = 6
    clients = [client_for(staff) for _ in range(count)]
    barrier = threading.Barrier(count)
    responses = [None] * count

    def send(index):
        try:
            barrier.wait(timeout=10)
            responses[index] = clients[index].post(
                "/api/v1/partners/",
                {**BODY, "name": "Racer"},
                format="json",
                HTTP_IDEMPOTENCY_KEY="race",
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    statuses = [response.status_code for response in responses]
    assert all(status in (201, 409) for status in statuses), statuses
    fresh = [r for r in responses if r.status_code == 201 and "Idempotent-Replayed" not in r]
    assert len(fresh) == 1, statuses
    assert Partner.objects.filter(name="Racer").count() == 1
    assert Event.objects.filter(kind="partner.created").count() == 1
