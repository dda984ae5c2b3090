"""Fault injection against real processes (docs/quality.md "Fault injection").

- Redis (broker and cache) stopped while requests commit changes: the requests succeed, their outbox
  events wait, and once Redis is back the sweep re-queues them and a worker dispatches each once.
- A worker process SIGKILLed mid-task: the message is redelivered, the task runs again, and its
  effect happens once.
- The database connection dropped mid-request: 503 problem details, nothing of the request written,
  and the server answers the next request normally.
- Concurrent duplicate requests with one Idempotency-Key: exactly one effect.
- One telemetry batch posted by several carrier connections at once (no Idempotency-Key: the
  ingestion's own idempotency): every reading stored once, counted once, one excursion, one event.
"""

import concurrent.futures
import os
import signal
import threading
import time
import uuid
from datetime import timedelta

import psycopg
import pytest
import requests
from django.utils import timezone

from agri_platform.accounts.models import Partner
from agri_platform.accounts.services import api_key_create, token_issue
from agri_platform.events.models import Event
from logistics.models import SensorReading, TelemetrySummary, TemperatureExcursion
from tests import factories
from tests.integration.conftest import WorkerProcess, integration_database_url, wait_for
from tests.logistics.factories import ShipmentFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def staff_headers() -> dict:
    staff = factories.StaffUserFactory(staff_role="platform_admin", is_superuser=True)
    _, token = token_issue(user=staff, name="faults")
    return {"Authorization": f"Bearer {token}"}


def create_partner(base: str, headers: dict, name: str, **extra_headers) -> requests.Response:
    return requests.post(
        f"{base}/api/v1/partners/",
        json={"name": name, "kind": "carrier"},
        headers={**headers, **extra_headers},
        timeout=30,
    )


def test_redis_down_while_requests_commit_then_events_delivered_once(
    private_redis, start_server, run_in_process
):
    headers = staff_headers()
    base = start_server(private_redis.url)
    assert create_partner(base, headers, "Before the outage").status_code == 201

    private_redis.stop()
    assert not private_redis.is_up()
    names = [f"During the outage {i}" for i in range(5)]
    for name in names:
        response = create_partner(base, headers, name)
        assert response.status_code == 201, response.text
    # The changes are committed, their events wait in the outbox.
    outage_events = Event.objects.filter(
        kind="partner.created",
        subject_id__in=[str(p.pk) for p in Partner.objects.filter(name__in=names)],
    )
    assert outage_events.count() == len(names)
    assert not outage_events.filter(dispatched_at__isnull=False).exists()

    private_redis.start()  # same port: the server and worker find it again
    worker = WorkerProcess(concurrency=1, extra_env={"REDIS_URL": private_redis.url}).start()
    try:
        requeued = run_in_process(
            "from agri_platform.events.tasks import sweep_outbox\nprint(sweep_outbox())",
            private_redis.url,
            EVENTS_SWEEP_AFTER_SECONDS="0",  # beat's sweep waits a minute; the test does not
        )
        assert int(requeued.strip().splitlines()[-1]) >= len(names)
        wait_for(
            lambda: not outage_events.filter(dispatched_at__isnull=True).exists(),
            timeout=60,
            message="outbox events dispatched after Redis came back",
        )
        # A second sweep finds nothing left: each event was dispatched once.
        again = run_in_process(
            "from agri_platform.events.tasks import sweep_outbox\nprint(sweep_outbox())",
            private_redis.url,
            EVENTS_SWEEP_AFTER_SECONDS="0",  # beat's sweep waits a minute; the test does not
        )
        assert int(again.strip().splitlines()[-1]) == 0
    finally:
        worker.stop()
    # And the server works normally again with Redis back.
    assert create_partner(base, headers, "After the outage").status_code == 201


def _pool_children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as fh:
        return [int(p) for p in fh.read().split()]


def test_worker_killed_mid_task_runs_again_and_effect_happens_once(celery_worker, settings):
    """SIGKILL the pool process while the dispatcher is inside its transaction (blocked on a row
    lock the test holds): acks_late + reject_on_worker_lost redeliver it, and the dispatched_at
    guard makes the effect happen once."""
    from agri_platform.events.tasks import dispatch_event

    partner = factories.PartnerFactory()
    # Committed outbox row, not yet queued (record() would queue it on commit, racing the lock).
    event = Event.objects.create(kind="partner.updated", payload={"partner": partner.pk})
    hold = psycopg.connect(integration_database_url(), autocommit=False)
    try:
        # The test holds the row lock first (the dispatcher selects the row FOR UPDATE).
        hold.execute("SELECT id FROM events_event WHERE id = %s FOR UPDATE", (event.pk,))
        dispatch_event.delay(event.pk)
        victim = wait_for(lambda: _blocked_backend_pid(), timeout=90, message="dispatcher blocked")
        assert victim
        children = _pool_children(celery_worker.process.pid)
        assert children, "no pool process"
        for child in children:
            os.kill(child, signal.SIGKILL)
        wait_for(
            lambda: "exited with 'signal 9 (SIGKILL)'" in celery_worker.output(),
            timeout=30,
            message="the worker noticing its pool process was killed",
        )
        hold.rollback()  # release the lock: the redelivered task can finish
    finally:
        hold.close()
    wait_for(
        lambda: Event.objects.filter(pk=event.pk, dispatched_at__isnull=False).exists(),
        timeout=90,
        message=f"the redelivered dispatch; worker said:\n{celery_worker.output()[-4000:]}",
    )
    first = Event.objects.get(pk=event.pk).dispatched_at
    time.sleep(2)  # a duplicate delivery would run now; the guard must keep the first stamp
    assert Event.objects.get(pk=event.pk).dispatched_at == first
    assert "WorkerLostError" in celery_worker.output() or "SIGKILL" in celery_worker.output()


def _blocked_backend_pid() -> int | None:
    with psycopg.connect(integration_database_url(), autocommit=True) as probe:
        row = probe.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query ILIKE %s",
            ("%events_event%",),
        ).fetchone()
    return row[0] if row else None


def test_database_connection_dropped_mid_request_is_503_and_nothing_written(
    private_redis, start_server
):
    headers = staff_headers()
    base = start_server(private_redis.url, workers=1)
    # Warm the worker's connection so the kill hits an established one.
    assert requests.get(f"{base}/api/v1/me/", headers=headers, timeout=30).status_code == 200

    name = f"Dropped mid-request {uuid.uuid4().hex[:8]}"
    lock = psycopg.connect(integration_database_url(), autocommit=False)
    result: dict = {}
    try:
        # The partner row is inserted first; the outbox insert then waits on this table lock.
        lock.execute("LOCK TABLE events_event IN ACCESS EXCLUSIVE MODE")
        thread = threading.Thread(
            target=lambda: result.setdefault("response", create_partner(base, headers, name))
        )
        thread.start()
        backend = wait_for(
            lambda: _waiting_backend(lock), timeout=30, message="request blocked mid-transaction"
        )
        # It has written the partner row already (it holds a write lock on the partner table).
        assert _holds_write_lock(backend, "accounts_partner")
        with psycopg.connect(integration_database_url(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (backend,))
        thread.join(30)
    finally:
        lock.rollback()
        lock.close()
    response = result["response"]
    assert response.status_code == 503, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "database_unavailable"
    assert "Retry-After" in response.headers
    assert not Partner.objects.filter(name=name).exists()
    assert (
        not Event.objects.filter(kind="partner.created", payload__kind="carrier")
        .filter(subject_id__in=list(Partner.objects.filter(name=name).values_list("pk", flat=True)))
        .exists()
    )
    # The same worker answers the next request (it reconnects).
    retry = create_partner(base, headers, name)
    assert retry.status_code == 201, retry.text
    assert Partner.objects.filter(name=name).count() == 1


def _waiting_backend(lock_conn) -> int | None:
    with psycopg.connect(integration_database_url(), autocommit=True) as probe:
        row = probe.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> %s",
            (lock_conn.info.backend_pid,),
        ).fetchone()
    return row[0] if row else None


def _holds_write_lock(pid: int, table: str) -> bool:
    with psycopg.connect(integration_database_url(), autocommit=True) as probe:
        row = probe.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE l.pid = %s AND c.relname = %s AND l.mode = 'RowExclusiveLock' AND l.granted",
            (pid, table),
        ).fetchone()
    return row[0] > 0


def test_concurrent_duplicates_with_one_idempotency_key_have_one_effect(
    private_redis, start_server
):
    headers = staff_headers()
    base = start_server(private_redis.url, workers=2, threads=4)
    name = f"Raced {uuid.uuid4().hex[:8]}"
    key = str(uuid.uuid4())
    barrier = threading.Barrier(8)

    def fire(_):
        barrier.wait()
        return create_partner(base, headers, name, **{"Idempotency-Key": key})

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(fire, range(8)))
    statuses = sorted(r.status_code for r in responses)
    assert set(statuses) <= {201, 409}, statuses
    assert 201 in statuses
    # Exactly one partner and one event; every 201 carries the same partner.
    assert Partner.objects.filter(name=name).count() == 1
    partner = Partner.objects.get(name=name)
    assert {r.json()["id"] for r in responses if r.status_code == 201} == {partner.pk}
    assert Event.objects.filter(kind="partner.created", subject_id=str(partner.pk)).count() == 1
    # In-flight losers retry and get the stored response, replayed.
    replay = create_partner(base, headers, name, **{"Idempotency-Key": key})
    assert replay.status_code == 201
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert Partner.objects.filter(name=name).count() == 1


def telemetry_batch(start, count: int, breach: range) -> list[dict]:
    """One sensor every minute, in the 4-8 °C band except the minutes in `breach` (12 °C)."""
    return [
        {
            "sensor_id": "RACE-1",
            "time": (start + timedelta(minutes=i)).isoformat(),
            "temp_c": 12.0 if i in breach else 6.0,
        }
        for i in range(count)
    ]


def test_one_telemetry_batch_posted_concurrently_is_stored_and_announced_once(
    private_redis, start_server
):
    shipment = ShipmentFactory(excursion_delay_minutes=0)
    _, key = api_key_create(partner=shipment.carrier, name="race", scopes=["telemetry:write"])
    base = start_server(private_redis.url, workers=2, threads=4)
    batch = telemetry_batch(timezone.now() - timedelta(days=2), 2_000, breach=range(500, 530))
    barrier = threading.Barrier(6)

    def post(_):
        barrier.wait()
        return requests.post(
            f"{base}/api/v1/shipments/{shipment.pk}/telemetry/",
            json={"readings": batch},
            headers={"Authorization": f"Api-Key {key}"},
            timeout=60,
        )

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(post, range(6)))
    assert sorted(r.status_code for r in responses) == [200] * 5 + [201]
    bodies = [r.json() for r in responses]
    assert sum(b["accepted"] for b in bodies) == 2_000
    assert sum(b["duplicate"] for b in bodies) == 5 * 2_000
    assert SensorReading.objects.filter(shipment=shipment).count() == 2_000
    summary = TelemetrySummary.objects.get(shipment=shipment)
    assert (summary.reading_count, summary.in_band_count) == (2_000, 1_970)
    assert TemperatureExcursion.objects.filter(shipment=shipment).count() == 1
    excursion = TemperatureExcursion.objects.get(shipment=shipment)
    assert (
        Event.objects.filter(
            kind="shipment.temperature_excursion.started", subject_id=str(excursion.pk)
        ).count()
        == 1
    )
