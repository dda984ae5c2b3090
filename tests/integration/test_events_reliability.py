"""Events and webhooks with PostgreSQL, Redis and real worker processes: nothing is lost when the
broker is unreachable at commit, when a worker dies mid-request, or when a receiver fails once."""

import pytest
from django.db import transaction

from agri_platform.accounts.choices import MembershipRole
from agri_platform.events import tasks
from agri_platform.events.choices import DeliveryStatus
from agri_platform.events.models import Event, Notification, WebhookDelivery
from agri_platform.events.services import record
from tests.events.factories import WebhookEndpointFactory
from tests.events.receiver import Receiver
from tests.factories import EnterpriseFactory, MembershipFactory, PartnerFactory

from .conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Short delays so that retries and sweeps happen within a test's patience.
FAST = {
    "EVENTS_SWEEP_AFTER_SECONDS": "1",
    "WEBHOOK_RETRY_BASE_SECONDS": "1",
    "WEBHOOK_LEASE_SECONDS": "3",
    "WEBHOOK_TIMEOUT_SECONDS": "20",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


def verified(enterprise):
    with transaction.atomic():
        return record(
            "enterprise.verified",
            payload={
                "enterprise_id": enterprise.pk,
                "uscc": enterprise.uscc,
                "name_zh": enterprise.name_zh,
                "name_en": enterprise.name_en,
                "status": "verified",
            },
            enterprise=enterprise,
            subject=enterprise,
        )


def delivered(delivery_id, *, poke=None):
    def check():
        if poke is not None:
            poke.delay()  # what beat does every few seconds in production
        return WebhookDelivery.objects.filter(
            pk=delivery_id, status=DeliveryStatus.SUCCEEDED
        ).exists()

    return check


def test_commit_while_the_broker_is_unreachable_is_delivered_after_it_returns(make_worker):
    from agri_platform.celery import app

    make_worker(extra_env=FAST).start()
    enterprise = EnterpriseFactory()
    owner = MembershipFactory(enterprise=enterprise, role=MembershipRole.OWNER).user
    endpoint = WebhookEndpointFactory(partner=PartnerFactory(), event_kinds=["enterprise.*"])
    real_delay = tasks.dispatch_event.delay

    def publish_to_a_dead_broker(*args):
        # a real publish, to a port where no Redis listens
        with app.connection_for_write("redis://127.0.0.1:9/0") as dead:
            return tasks.dispatch_event.apply_async(args, connection=dead)

    with Receiver(secret=endpoint.secret) as rx:
        endpoint.url = rx.url
        endpoint.save(update_fields=["url"])
        tasks.dispatch_event.delay = publish_to_a_dead_broker
        try:
            event = verified(enterprise)  # the change commits; queueing the dispatch fails
        finally:
            tasks.dispatch_event.delay = real_delay
        event.refresh_from_db()
        assert event.dispatched_at is None

        # the broker is reachable again: the periodic sweep finds the event in the outbox
        def dispatched():
            tasks.sweep_outbox.delay()
            return Event.objects.filter(pk=event.pk, dispatched_at__isnull=False).exists()

        wait_for(dispatched, timeout=30, interval=1, message="the sweep to dispatch the event")
        delivery = WebhookDelivery.objects.get(event=event)
        wait_for(delivered(delivery.pk), timeout=30, message="the webhook delivery")
        assert len(rx.requests) == 1 and rx.verification_errors == []
    assert Notification.objects.filter(event=event, user=owner).exists()


def test_worker_killed_during_an_attempt_is_attempted_again(make_worker):
    enterprise = EnterpriseFactory()
    endpoint = WebhookEndpointFactory(event_kinds=["enterprise.verified"])
    # the first request hangs (the worker is killed meanwhile), the second is answered at once
    with Receiver(script=[(200, 8)], secret=endpoint.secret) as rx:
        endpoint.url = rx.url
        endpoint.save(update_fields=["url"])
        first = make_worker(extra_env=FAST).start()
        event = verified(enterprise)
        assert rx.arrived.wait(30), "the first attempt never reached the receiver"
        first.kill()

        delivery = WebhookDelivery.objects.get(event=event)
        assert delivery.status == DeliveryStatus.PENDING  # never marked sent without a 2xx
        assert list(delivery.attempts.values_list("outcome", flat=True)) == ["in_progress"]

        make_worker(extra_env=FAST).start()
        wait_for(
            delivered(delivery.pk, poke=tasks.retry_due_webhooks),
            timeout=40,
            interval=1,
            message="the delivery to be attempted again by another worker",
        )
        ids = [request["headers"]["webhook-id"] for request in rx.requests]
        assert len(ids) == 2 and len(set(ids)) == 1 == len(set(rx.processed_ids))
        assert rx.verification_errors == []
    delivery.refresh_from_db()
    assert list(delivery.attempts.values_list("number", "outcome", "status_code")) == [
        (1, "interrupted", None),
        (2, "succeeded", 200),
    ]


def test_receiver_answering_500_then_200_is_delivered_on_retry(make_worker):
    make_worker(extra_env=FAST).start()
    enterprise = EnterpriseFactory()
    endpoint = WebhookEndpointFactory(event_kinds=["enterprise.*"])
    with Receiver(script=[(500, 0)], secret=endpoint.secret) as rx:
        endpoint.url = rx.url
        endpoint.save(update_fields=["url"])
        event = verified(enterprise)
        wait_for(
            lambda: WebhookDelivery.objects.filter(event=event, attempt_count=1).exists(),
            message="the first attempt",
        )
        delivery = WebhookDelivery.objects.get(event=event)
        wait_for(
            delivered(delivery.pk, poke=tasks.retry_due_webhooks),
            timeout=30,
            interval=1,
            message="the retry",
        )
        assert len({r["headers"]["webhook-id"] for r in rx.requests}) == 1
    assert list(delivery.attempts.values_list("number", "status_code", "outcome")) == [
        (1, 500, "failed"),
        (2, 200, "succeeded"),
    ]
