"""The batch dispatcher: the same rows as one event at a time, a constant number of queries per
batch, one dispatch message per transaction, and two concurrent dispatchers never take one event."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agri_platform.accounts.choices import MembershipRole
from agri_platform.events import emails, outbox, services
from agri_platform.events.choices import EmailStatus
from agri_platform.events.models import (
    EmailMessage,
    Event,
    Notification,
    WebhookDelivery,
    WebhookEndpoint,
)
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    PartnerFactory,
    PartnerUserFactory,
    UserFactory,
)

from .factories import WebhookEndpointFactory, verified_payload

pytestmark = pytest.mark.django_db


def partner_payload(partner, i):
    return {"partner": partner.pk, "fields": ["name", f"field {i}"]}


def record_partner_events(partners, count):
    with transaction.atomic():
        return [
            services.record(
                "partner.updated",
                payload=partner_payload(partners[i % len(partners)], i),
                subject=partners[i % len(partners)],
                partners=[partners[i % len(partners)]],
            )
            for i in range(count)
        ]


def snapshot() -> dict:
    """The dispatcher's rows by what they mean (no ids, no random message ids)."""
    return {
        "dispatched": sorted(Event.objects.filter(dispatched_at__isnull=False).values_list("pk")),
        "notifications": sorted(
            Notification.objects.values_list(
                "event_id", "user_id", "kind", "title", "email__user_id", "email__send_after"
            )
        ),
        "emails": sorted(
            EmailMessage.objects.values_list(
                "user_id", "kind", "status", "send_after", "to_address", "language"
            )
        ),
        "deliveries": sorted(
            WebhookDelivery.objects.values_list("event_id", "endpoint_id", "kind", "status")
        ),
    }


@pytest.fixture
def mixed_events(settings):
    """Events of two kinds, two enterprises and two partners; a muted user; a user whose last
    e-mail of the kind went out inside the digest window; webhook endpoints of both partners."""
    first, second = EnterpriseFactory(), EnterpriseFactory()
    owners = [
        MembershipFactory(enterprise=enterprise, role=MembershipRole.OWNER).user
        for enterprise in (first, second)
    ]
    MembershipFactory(
        enterprise=first, role=MembershipRole.ADMIN, user=UserFactory(language="zh-hans")
    )
    muted = MembershipFactory(enterprise=second, role=MembershipRole.ADMIN).user
    services.preferences_update(user=muted, email_muted_kinds=["enterprise.*"])
    partners = [PartnerFactory(), PartnerFactory()]
    for partner in partners:
        PartnerUserFactory(partner=partner)
        WebhookEndpointFactory(partner=partner, event_kinds=["partner.*", "enterprise.*"])
    EmailMessage.objects.create(
        user=owners[0],
        kind="enterprise.verified",
        status=EmailStatus.SENT,
        send_after=timezone.now() - timedelta(minutes=3),
        sending_started_at=timezone.now() - timedelta(minutes=2),
        sent_at=timezone.now() - timedelta(minutes=2),
        to_address=owners[0].email,
    )
    with transaction.atomic():
        for enterprise in (first, second, first):
            services.record(
                "enterprise.verified", payload=verified_payload(enterprise), enterprise=enterprise
            )
        record_partner_events(partners, 4)
    return list(Event.objects.order_by("pk").values_list("pk", flat=True))


def test_a_batch_gives_the_same_rows_as_one_event_at_a_time(mixed_events, settings, monkeypatch):
    moment = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: moment)
    before = transaction.savepoint()
    settings.EVENTS_DISPATCH_BATCH = 1
    for event_id in mixed_events:
        assert services.event_dispatch(event_id=event_id) is True
    one_by_one = snapshot()
    transaction.savepoint_rollback(before)

    settings.EVENTS_DISPATCH_BATCH = 100
    assert services.event_dispatch(event_id=mixed_events[0]) is True
    batched = snapshot()
    assert batched == one_by_one
    assert len(batched["dispatched"]) == len(mixed_events)
    assert batched["notifications"] and batched["emails"] and batched["deliveries"]
    digest = [e for e in batched["emails"] if e[1] == "enterprise.verified" and e[3] > moment]
    assert len(digest) == 1  # the recently e-mailed owner waits for the window


def record_enterprise_events(enterprises, count):
    with transaction.atomic():
        return [
            services.record(
                "enterprise.verified",
                payload=verified_payload(enterprises[i % len(enterprises)]),
                enterprise=enterprises[i % len(enterprises)],
            )
            for i in range(count)
        ]


def dispatch_queries(count: int) -> int:
    enterprises = [EnterpriseFactory(), EnterpriseFactory()]
    for enterprise in enterprises:
        MembershipFactory(enterprise=enterprise, role=MembershipRole.OWNER)
    WebhookEndpointFactory(event_kinds=["enterprise.*"])
    events = record_enterprise_events(enterprises, count)
    with CaptureQueriesContext(connection) as queries:
        dispatched = services.batch_dispatch(from_id=events[0].pk, limit=100)
    assert len(dispatched) == count
    notified = Notification.objects.filter(event__in=events)
    assert notified.count() == count and notified.filter(email__isnull=False).count() == count
    endpoints = WebhookEndpoint.objects.count()
    assert WebhookDelivery.objects.filter(event__in=events).count() == count * endpoints
    return len(queries)


def test_a_batch_costs_the_same_queries_whatever_its_size(settings):
    small = dispatch_queries(3)
    assert dispatch_queries(30) == small
    # savepoint, claim of the first event, claim of the others (SKIP LOCKED), partners, 2 routing shapes, notifications, fresh notifications,
    # queued e-mails, last e-mails, new e-mails (savepoint + insert + release), notifications'
    # e-mails, endpoints, deliveries insert + ids, dispatched_at, release
    assert small == 19


def test_recording_costs_one_statement_per_event(django_capture_on_commit_callbacks):
    """PostgreSQL writes the event and its partner routes in one statement; other databases in
    two INSERTs (outbox._one_statement_insert)."""
    partner = PartnerFactory()
    record_partner_events([partner], 1)  # the content type is cached from now on
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        transaction.atomic(),
        CaptureQueriesContext(connection) as queries,
    ):
        record_partner_events([partner], 10)
    per_event = 1 if connection.vendor == "postgresql" else 2
    writes = [q for q in queries if q["sql"].startswith(("INSERT", "WITH"))]
    assert len(writes) == 10 * per_event
    assert len(queries) == 10 * per_event + 2  # plus the savepoints of the atomic blocks
    assert len(callbacks) == 1  # one dispatch message for the transaction


@pytest.mark.parametrize("way", ["deferred", "prepared", "one statement"])
def test_recorded_event_is_stored_with_its_routes(settings, way):
    settings.EVENTS_DEFERRED_INSERT = way == "deferred"
    settings.EVENTS_PREPARED_INSERT = prepared = way == "prepared"
    enterprise, actor = EnterpriseFactory(), UserFactory()
    partners = [PartnerFactory(), PartnerFactory()]
    with transaction.atomic():
        event = services.record(
            "partner.updated",
            payload=partner_payload(partners[0], 1),
            enterprise=enterprise,
            actor=actor,
            subject=partners[0],
            partners=partners,
        )
    stored = Event.objects.get(pk=event.pk)
    assert (stored.kind, stored.payload, stored.enterprise, stored.actor) == (
        "partner.updated",
        partner_payload(partners[0], 1),
        enterprise,
        actor,
    )
    assert stored.subject == partners[0] and stored.dispatched_at is None
    assert stored.occurred_at == event.occurred_at and stored.occurred_at is not None
    assert set(stored.partners.all()) == set(partners)
    unrouted = services.record("partner.updated", payload=partner_payload(partners[1], 2))
    assert not Event.objects.get(pk=unrouted.pk).partners.exists()
    if connection.vendor == "postgresql" and prepared:
        # prepared on the server for this connection, and Django's own setting left as it was
        assert connection.connection.prepare_threshold is None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ["WITH event AS (INSERT INTO events_event %"],
            )
            assert cursor.fetchone()[0] >= 1  # one per kind of parameters (a null, an id)


def test_one_message_per_batch_size_and_none_for_a_rolled_back_savepoint(
    settings, django_capture_on_commit_callbacks
):
    settings.EVENTS_DISPATCH_BATCH = 4
    partner = PartnerFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        events = record_partner_events([partner], 10)
    assert len(callbacks) == 1
    sent = []
    real = outbox.queue_dispatch
    outbox.queue_dispatch = sent.append
    try:
        callbacks[0]()
    finally:
        outbox.queue_dispatch = real
    assert sent == [events[0].pk, events[4].pk, events[8].pk]

    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        try:
            with transaction.atomic():
                record_partner_events([partner], 2)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == []


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SKIP LOCKED: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_dispatchers_never_take_the_same_event(monkeypatch):
    enterprise = EnterpriseFactory()
    MembershipFactory(enterprise=enterprise, role=MembershipRole.OWNER)
    monkeypatch.setattr(outbox, "queue_dispatch", lambda event_id: True)  # no eager dispatch
    events = record_enterprise_events([enterprise], 20)
    real_attach = emails.attach_notifications

    def slow_attach(**kwargs):
        time.sleep(0.5)  # hold the claimed rows while the other dispatcher claims
        return real_attach(**kwargs)

    monkeypatch.setattr(emails, "attach_notifications", slow_attach)
    monkeypatch.setattr(services, "_queue_fan_out", lambda *args: None)
    taken: dict[str, list[int]] = {}
    start = threading.Barrier(2)

    def dispatcher(name):
        try:
            start.wait()
            taken[name] = services.batch_dispatch(
                from_id=events[0].pk, limit=8, wait_for_first=False
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(taken["a"]) == len(taken["b"]) == 8
    assert not set(taken["a"]) & set(taken["b"])
    rest = services.batch_dispatch(from_id=events[0].pk, limit=8)
    assert sorted(taken["a"] + taken["b"] + rest) == [event.pk for event in events]
    assert services.batch_dispatch(from_id=events[0].pk, limit=8) == []
    assert Notification.objects.count() == 20
