"""Events recorded inside a transaction wait in the connection's buffer (agri_platform.db.postgresql)
and are written together before the connection's next statement or its commit; a rollback of
what contained them drops them. Every statement after `record` sees them, as if written at once."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from agri_platform.events import outbox, services
from agri_platform.events.models import Event
from tests.factories import PartnerFactory

pytestmark = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="deferred writes: the PostgreSQL backend (runs in CI's PostgreSQL pass)",
)


def record(partner, i):
    return services.record(
        "partner.updated",
        payload={"partner": partner.pk, "fields": [f"field {i}"]},
        subject=partner,
        partners=[partner],
    )


@pytest.fixture
def flushes(monkeypatch):
    """The number of events in each buffer write."""
    written = []
    real = outbox._EventBuffer.flush

    def flush(buffer, psycopg_connection):
        written.append(len(buffer.rows))
        real(buffer, psycopg_connection)

    monkeypatch.setattr(outbox._EventBuffer, "flush", flush)
    return written


@pytest.fixture
def written_at_once(monkeypatch):
    """The number of events each written at once reserved ids for."""
    reserved = []
    real = outbox._insert_in_one_statement

    def insert(connection, event, partner_ids, *, reserve=0):
        reserved.append(reserve)
        return real(connection, event, partner_ids, reserve=reserve)

    monkeypatch.setattr(outbox, "_insert_in_one_statement", insert)
    return reserved


@pytest.mark.django_db
def test_a_transactions_events_are_written_together_before_the_next_statement(
    flushes, written_at_once
):
    partner = PartnerFactory()
    with transaction.atomic():
        events = [record(partner, i) for i in range(10)]
        # the 1st event is written at once; the 2nd too, reserving ids for the next 4; the 7th
        # (written after those 4) reserves 24 more: 10 events, 5 round trips
        assert written_at_once == [0, 4, 24] and flushes == [4]
        ids = [event.pk for event in events]
        assert ids == sorted(ids) and len(set(ids)) == 10
        stored = Event.objects.filter(pk__in=ids)  # this statement writes the last 3 first
        assert stored.count() == 10
    assert flushes == [4, 3]
    assert all(set(event.partners.all()) == {partner} for event in stored)
    assert stored.first().payload == {"partner": partner.pk, "fields": ["field 9"]}


@pytest.mark.django_db(transaction=True)
def test_events_are_written_by_the_commit_and_dropped_by_a_rollback(flushes):
    partner = PartnerFactory()
    with transaction.atomic():
        kept = [record(partner, i) for i in range(3)]
    assert flushes == [1]  # the 3rd, by the commit: no statement came after it
    assert Event.objects.filter(pk__in=[e.pk for e in kept]).count() == 3
    assert not connection.transaction_scratch  # reserved ids end with their transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        dropped = [record(partner, i) for i in range(3, 6)]
        raise RuntimeError
    assert flushes == [1] and not connection.deferred_writes
    assert not Event.objects.filter(pk__in=[e.pk for e in dropped]).exists()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_an_event_is_written_at_once(flushes):
    event = record(PartnerFactory(), 1)
    assert flushes == [] and not connection.deferred_writes
    assert Event.objects.get(pk=event.pk).partners.count() == 1


@pytest.mark.django_db
def test_events_recorded_in_a_rolled_back_savepoint_are_dropped_and_the_others_kept():
    partner = PartnerFactory()
    with transaction.atomic():
        before = record(partner, 1)
        with pytest.raises(RuntimeError), transaction.atomic():  # its SAVEPOINT writes `before`
            inside = [record(partner, i) for i in range(2, 5)]  # still in the buffer
            raise RuntimeError
        with pytest.raises(RuntimeError), transaction.atomic():
            written_inside = record(partner, 5)
            Event.objects.count()  # writes it inside the savepoint
            raise RuntimeError
        after = record(partner, 6)
    ids = set(Event.objects.values_list("pk", flat=True))
    assert before.pk in ids and after.pk in ids
    assert not ids & {e.pk for e in inside} and written_inside.pk not in ids


@pytest.mark.django_db
def test_a_counted_query_sees_earlier_events_and_does_not_count_their_write(flushes):
    partner = PartnerFactory()
    with transaction.atomic():
        earlier = [record(partner, i) for i in range(3)]  # the 3rd waits in the buffer
        with CaptureQueriesContext(connection) as queries:
            assert Event.objects.filter(pk__in=[e.pk for e in earlier]).count() == 3
            counted = record(partner, 2)  # queries are logged: written at once, and counted
        assert len(queries) == 2 and queries[1]["sql"].startswith("WITH event AS (INSERT")
    assert flushes == [1]
    assert Event.objects.filter(pk=counted.pk).exists()


@pytest.mark.django_db
def test_many_events_take_several_reservations_and_inserts(monkeypatch, flushes, written_at_once):
    monkeypatch.setattr(outbox, "FLUSH_CHUNK", 7)
    partners = [PartnerFactory(), PartnerFactory()]
    count = outbox.ID_BLOCK + 10
    with transaction.atomic():
        events = [record(partners[i % 2], i) for i in range(count)]
        routed = Event.partners.through.objects.filter(event__in=events)
        assert routed.count() == count  # every route written with its event
    assert written_at_once == [0, 4, 24, outbox.ID_BLOCK]
    assert flushes == [4, 24, count - 32]
    assert len({event.pk for event in events}) == count
    assert sorted(routed.values_list("partner_id", flat=True)) == sorted(
        partners[i % 2].pk for i in range(count)
    )
