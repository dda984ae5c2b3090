"""Webhook deliveries to a real local receiver, verified with the standardwebhooks package."""

import socket
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from agri_platform.api.errors import Conflict, ValidationFailed
from agri_platform.events import outbound, services, tasks, webhooks
from agri_platform.events.choices import AttemptOutcome, DeliveryStatus
from agri_platform.events.models import Notification, WebhookAttempt, WebhookDelivery
from tests.events.factories import payload_for
from tests.factories import PartnerFactory, PartnerUserFactory

from .factories import WebhookEndpointFactory
from .receiver import Receiver

pytestmark = pytest.mark.django_db


def verified(enterprise):
    return services.record(
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


def make_due(delivery):
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def test_delivery_is_signed_per_standard_webhooks(
    enterprise, receiver, django_capture_on_commit_callbacks
):
    endpoint = WebhookEndpointFactory(url=receiver.url, event_kinds=["enterprise.*"])
    with django_capture_on_commit_callbacks(execute=True):
        event = verified(enterprise)
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    # a real receiver's check, with the package the spec's authors publish
    body = Webhook(endpoint.secret).verify(request["body"], request["headers"])
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert request["headers"]["webhook-id"] == delivery.msg_id == body["id"]
    assert body["type"] == "enterprise.verified"
    assert body["timestamp"].endswith("Z")
    assert body["data"]["event_id"] == event.pk
    assert body["data"]["uscc"] == enterprise.uscc
    assert body["data"]["name_zh"] == enterprise.name_zh  # UTF-8, not escaped away
    assert body["data"]["subject"] == {"type": "enterprise", "id": str(enterprise.pk)}
    assert endpoint.secret not in request["body"].decode()
    assert request["headers"]["content-type"] == "application/json"
    # a forged or tampered message fails the same check
    with pytest.raises(WebhookVerificationError):
        Webhook(webhooks.new_secret()).verify(request["body"], request["headers"])
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(request["body"] + b" ", request["headers"])

    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.delivered_at
    attempt = delivery.attempts.get()
    assert attempt.outcome == AttemptOutcome.SUCCEEDED
    assert attempt.status_code == 200 and attempt.duration_ms is not None
    assert attempt.response_body == '{"status": 200}'


def test_our_signature_matches_the_reference_implementation():
    secret = webhooks.new_secret()
    moment = timezone.now().replace(microsecond=0)
    ours = webhooks.sign(secret, msg_id="msg_1", timestamp=int(moment.timestamp()), body='{"a":1}')
    assert ours == Webhook(secret).sign("msg_1", moment, '{"a":1}')


def test_rotation_signs_with_both_secrets_during_the_grace_period(
    enterprise, receiver, django_capture_on_commit_callbacks
):
    endpoint = WebhookEndpointFactory(url=receiver.url, event_kinds=["*"])
    old_secret = endpoint.secret
    endpoint, new_secret = webhooks.endpoint_rotate_secret(endpoint=endpoint)
    assert new_secret.startswith("whsec_") and new_secret != old_secret
    with django_capture_on_commit_callbacks(execute=True):
        verified(enterprise)
    request = receiver.requests[-1]
    assert request["headers"]["webhook-signature"].count("v1,") == 2
    Webhook(new_secret).verify(request["body"], request["headers"])
    Webhook(old_secret).verify(request["body"], request["headers"])  # receivers not yet updated

    endpoint.previous_secret_expires_at = timezone.now() - timedelta(seconds=1)
    endpoint.save(update_fields=["previous_secret_expires_at"])
    with django_capture_on_commit_callbacks(execute=True):
        verified(enterprise)
    request = receiver.requests[-1]
    assert request["headers"]["webhook-signature"].count("v1,") == 1
    Webhook(new_secret).verify(request["body"], request["headers"])
    with pytest.raises(WebhookVerificationError):
        Webhook(old_secret).verify(request["body"], request["headers"])


def test_routed_events_reach_only_their_partners_public_facts_reach_all(
    enterprise, allow_local, django_capture_on_commit_callbacks
):
    carrier, bank = PartnerFactory(), PartnerFactory()
    with Receiver() as carrier_rx, Receiver() as bank_rx:
        WebhookEndpointFactory(partner=carrier, url=carrier_rx.url, event_kinds=["*"])
        WebhookEndpointFactory(partner=bank, url=bank_rx.url, event_kinds=["*"])
        with django_capture_on_commit_callbacks(execute=True):
            services.record(
                "shipment.dispatched",
                payload=payload_for("shipment.dispatched", reference="SH-1"),
                enterprise=enterprise,
                partners=[carrier],
            )
            verified(enterprise)  # all_partners
        assert [b["type"] for b in carrier_rx.bodies()] == [
            "shipment.dispatched",
            "enterprise.verified",
        ]
        assert [b["type"] for b in bank_rx.bodies()] == ["enterprise.verified"]


def test_unsubscribed_and_inactive_endpoints_get_nothing(
    enterprise, receiver, django_capture_on_commit_callbacks
):
    WebhookEndpointFactory(url=receiver.url, event_kinds=["shipment.*"])
    WebhookEndpointFactory(url=receiver.url, event_kinds=["*"], is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        verified(enterprise)
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.9", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),  # noqa: S104
        ("::1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("224.0.0.1", False),
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
    ],
)
def test_address_classification(address, public):
    assert outbound.is_public_address(address) is public


def test_private_literal_urls_are_refused_at_registration(partner):
    for url in ("http://127.0.0.1:8080/hook", "http://[::1]/hook", "http://169.254.169.254/"):
        with pytest.raises(ValidationFailed) as caught:
            webhooks.endpoint_create(partner=partner, url=url, event_kinds=["*"])
        assert caught.value.field == "url"
    for url in ("ftp://hooks.example.com/", "https://user:pw@hooks.example.com/"):
        with pytest.raises(ValidationFailed):
            webhooks.endpoint_create(partner=partner, url=url, event_kinds=["*"])


def test_names_resolving_to_private_addresses_are_refused_before_sending(
    enterprise, monkeypatch, django_capture_on_commit_callbacks
):
    real_getaddrinfo = socket.getaddrinfo

    def fake_dns(host, *args, **kwargs):
        if host == "hooks.partner.example":  # a public-looking name pointing inside
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", 443))]
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake_dns)
    with Receiver() as rx:
        local = WebhookEndpointFactory(url=rx.url.replace("127.0.0.1", "localhost"))
        inside = WebhookEndpointFactory(url="https://hooks.partner.example/agri")
        with django_capture_on_commit_callbacks(execute=True):
            verified(enterprise)
        assert rx.requests == []  # localhost resolves to loopback: refused
    for endpoint in (local, inside):
        attempt = WebhookAttempt.objects.get(delivery__endpoint=endpoint)
        assert attempt.outcome == AttemptOutcome.REFUSED
        assert "loopback, private or link-local" in attempt.error
        assert attempt.delivery.status == DeliveryStatus.PENDING  # retried (DNS may change)


def test_redirects_are_not_followed(enterprise, allow_local, django_capture_on_commit_callbacks):
    with Receiver(default=(302, 0)) as rx:
        WebhookEndpointFactory(url=rx.url)
        with django_capture_on_commit_callbacks(execute=True):
            verified(enterprise)
        assert len(rx.requests) == 1
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code == 302 and attempt.outcome == AttemptOutcome.FAILED


def test_timeouts_fail_the_attempt(
    enterprise, allow_local, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    with Receiver(default=(200, 1.0)) as rx:
        WebhookEndpointFactory(url=rx.url)
        with django_capture_on_commit_callbacks(execute=True):
            verified(enterprise)
    attempt = WebhookAttempt.objects.get()
    assert attempt.outcome == AttemptOutcome.FAILED
    assert "timed out" in attempt.error.lower()
    assert attempt.delivery.status == DeliveryStatus.PENDING


def test_backoff_is_exponential_with_jitter_over_about_three_days():
    nominal = [webhooks.nominal_delay(n) for n in range(1, settings.WEBHOOK_MAX_ATTEMPTS)]
    assert nominal[:4] == [10, 40, 160, 640]
    assert max(nominal) == 12 * 3600
    total_days = sum(nominal) / 86400
    assert 2.5 < total_days < 3.5
    for n in (1, 5, 12):
        samples = {webhooks.retry_delay(n).total_seconds() for _ in range(50)}
        assert len(samples) > 1  # jitter
        assert all(0.75 * nominal[n - 1] <= s <= 1.25 * nominal[n - 1] for s in samples)


def test_500_then_200_is_delivered_on_retry_with_both_attempts_logged(
    enterprise, allow_local, django_capture_on_commit_callbacks
):
    with Receiver(script=[(500, 0)]) as rx:
        endpoint = WebhookEndpointFactory(url=rx.url)
        with django_capture_on_commit_callbacks(execute=True):
            verified(enterprise)
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == DeliveryStatus.PENDING
        wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
        assert 7 <= wait <= 13  # 10 s ± 25 %
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.retry_due_webhooks() == 0  # not due yet
        make_due(delivery)
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.retry_due_webhooks() == 1
        assert len({r["headers"]["webhook-id"] for r in rx.requests}) == 1  # same id: dedupable
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert list(delivery.attempts.values_list("number", "status_code", "outcome")) == [
        (1, 500, "failed"),
        (2, 200, "succeeded"),
    ]
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_410_disables_the_endpoint_and_tells_the_partner(
    enterprise, allow_local, django_capture_on_commit_callbacks
):
    partner = PartnerFactory()
    person = PartnerUserFactory(partner=partner)
    with Receiver(default=(410, 0)) as rx:
        endpoint = WebhookEndpointFactory(
            partner=partner, url=rx.url + "?token=s3cr3t", event_kinds=["enterprise.*"]
        )
        with django_capture_on_commit_callbacks(execute=True):
            verified(enterprise)
    endpoint.refresh_from_db()
    assert endpoint.is_active is False
    assert "410" in endpoint.disabled_reason
    assert WebhookDelivery.objects.get(endpoint=endpoint).status == DeliveryStatus.FAILED
    notice = Notification.objects.get(user=person, kind="webhook.endpoint.disabled")
    assert notice.event.payload["endpoint_id"] == endpoint.pk
    assert "s3cr3t" not in str(notice.event.payload)  # no query strings in payloads


def test_a_run_of_failures_disables_the_endpoint(
    enterprise, allow_local, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    partner = PartnerFactory()
    person = PartnerUserFactory(partner=partner)
    with Receiver(default=(503, 0)) as rx:
        endpoint = WebhookEndpointFactory(partner=partner, url=rx.url)
        with django_capture_on_commit_callbacks(execute=True):
            verified(enterprise)
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
        for _ in range(2):
            make_due(delivery)
            with django_capture_on_commit_callbacks(execute=True):
                tasks.retry_due_webhooks()
        assert len(rx.requests) == 3
    endpoint.refresh_from_db()
    assert endpoint.is_active is False and endpoint.consecutive_failures == 3
    assert Notification.objects.filter(user=person, kind="webhook.endpoint.disabled").exists()
    # what is still pending for a disabled endpoint fails when picked up, without a request
    make_due(delivery)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.retry_due_webhooks()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts.count() == 3


def test_the_delivery_gives_up_after_the_last_attempt(
    enterprise, allow_local, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    with Receiver(default=(500, 0)) as rx:
        WebhookEndpointFactory(url=rx.url)
        with django_capture_on_commit_callbacks(execute=True):
            verified(enterprise)
        delivery = WebhookDelivery.objects.get()
        make_due(delivery)
        with django_capture_on_commit_callbacks(execute=True):
            tasks.retry_due_webhooks()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.next_attempt_at is None
    assert delivery.attempts.count() == 2


def test_an_attempt_lost_with_its_worker_is_made_again(
    enterprise, receiver, django_capture_on_commit_callbacks, monkeypatch
):
    endpoint = WebhookEndpointFactory(url=receiver.url)
    monkeypatch.setattr(services, "_queue_fan_out", lambda *args: None)
    with django_capture_on_commit_callbacks(execute=True):
        verified(enterprise)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    # a worker claims it (attempt row written, lease taken) and dies before recording a result
    assert webhooks._claim(delivery.pk, delivery.claim_token, timezone.now()) is not None
    # the redelivered task message finds the lease held and does nothing
    assert tasks.deliver_webhook(delivery.pk, delivery.claim_token) is None
    make_due(delivery)  # the lease runs out
    with django_capture_on_commit_callbacks(execute=True):
        tasks.retry_due_webhooks()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert list(delivery.attempts.values_list("number", "outcome")) == [
        (1, "interrupted"),
        (2, "succeeded"),
    ]


def test_ping_and_redeliver(enterprise, receiver, django_capture_on_commit_callbacks):
    endpoint = WebhookEndpointFactory(url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        ping = webhooks.endpoint_ping(endpoint=endpoint)
    body = Webhook(endpoint.secret).verify(
        receiver.requests[0]["body"], receiver.requests[0]["headers"]
    )
    assert body["type"] == "webhook.ping" and body["data"]["endpoint_id"] == endpoint.pk
    ping.refresh_from_db()
    assert ping.status == DeliveryStatus.SUCCEEDED

    with django_capture_on_commit_callbacks(execute=True):
        webhooks.delivery_redeliver(delivery=ping)
    assert len(receiver.requests) == 2
    assert receiver.requests[1]["headers"]["webhook-id"] == ping.msg_id
    ping.refresh_from_db()
    assert ping.status == DeliveryStatus.SUCCEEDED and ping.attempt_count == 2

    webhooks.endpoint_update(endpoint=endpoint, is_active=False)
    with pytest.raises(Conflict):
        webhooks.endpoint_ping(endpoint=endpoint)
    with pytest.raises(Conflict):
        webhooks.delivery_redeliver(delivery=ping)


def test_reactivation_clears_the_failure_run(partner):
    endpoint = WebhookEndpointFactory(partner=partner, is_active=False, consecutive_failures=30)
    endpoint.disabled_reason = "30 failed attempts in a row."
    endpoint.save()
    endpoint = webhooks.endpoint_update(endpoint=endpoint, is_active=True)
    assert endpoint.consecutive_failures == 0 and endpoint.disabled_reason == ""


def test_unknown_kinds_are_refused(partner):
    with pytest.raises(ValidationFailed) as caught:
        webhooks.endpoint_create(
            partner=partner, url="https://hooks.example.com/", event_kinds=["shipment.teleported"]
        )
    assert caught.value.field == "event_kinds"


def test_the_documented_receiver_without_the_package_verifies_our_messages(
    enterprise, receiver, django_capture_on_commit_callbacks
):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "webhooks.md").read_text()
    section = text.split("## Verifying without it", 1)[1]
    code = section.split("```python", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(compile(code, "docs/webhooks.md", "exec"), namespace)  # noqa: S102 (our own docs)
    verify = namespace["verify"]

    endpoint = WebhookEndpointFactory(url=receiver.url)
    old_secret = endpoint.secret
    endpoint, new_secret = webhooks.endpoint_rotate_secret(endpoint=endpoint)
    with django_capture_on_commit_callbacks(execute=True):
        verified(enterprise)
    request = receiver.requests[0]
    for secret in (new_secret, old_secret):
        assert verify(secret, request["headers"], request["body"])["type"] == "enterprise.verified"
    with pytest.raises(ValueError):
        verify(webhooks.new_secret(), request["headers"], request["body"])
