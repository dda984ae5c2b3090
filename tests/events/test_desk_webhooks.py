"""The partner desk's webhook pages: endpoints, the delivery log, redeliver, rotate the secret,
through the services the API's webhook views call (events/desk_pages.py)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agri_platform.events import webhooks
from agri_platform.events.choices import AttemptOutcome, DeliveryStatus
from agri_platform.events.models import WebhookAttempt, WebhookEndpoint
from tests import factories

from .factories import WebhookDeliveryFactory, WebhookEndpointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(db):
    return factories.PartnerFactory(name="Bank of Chengdu", kind="bank")


@pytest.fixture
def signed_in(client, bank):
    client.force_login(factories.PartnerUserFactory(partner=bank, language="en"))
    return client


@pytest.fixture
def endpoint(bank):
    return WebhookEndpointFactory(partner=bank, url="https://erp.bank.example/hooks")


@pytest.fixture
def queued(monkeypatch):
    """The deliveries queued for sending (the task itself does not run)."""
    calls = []
    monkeypatch.setattr(
        webhooks, "queue_after_commit", lambda name, *args, **kwargs: calls.append(args)
    )
    return calls


def failed_delivery(endpoint, **fields):
    delivery = WebhookDeliveryFactory(
        endpoint=endpoint,
        status=DeliveryStatus.FAILED,
        attempt_count=1,
        last_status_code=500,
        **fields,
    )
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=1,
        outcome=AttemptOutcome.FAILED,
        started_at=delivery.created_at,
        status_code=500,
        response_body="upstream exploded",
    )
    return delivery


def once_of(html: str) -> str:
    return re.search(r'name="once" value="([^"]+)"', html).group(1)


def test_the_list_shows_the_partners_endpoints_with_their_last_delivery(signed_in, endpoint):
    failed_delivery(endpoint)
    theirs = WebhookEndpointFactory(url="https://other.example/hooks")

    html = signed_in.get(reverse("desk:webhooks")).content.decode()

    assert endpoint.url in html and "Failed" in html
    assert theirs.url not in html


def test_adding_an_endpoint_shows_its_secret_once(signed_in, bank):
    form = signed_in.get(reverse("desk:webhook-new")).content.decode()
    data = {
        "once": once_of(form),
        "url": "https://erp.bank.example/hooks",
        "event_kinds": "finance.*, webhook.ping",
        "description": "ERP",
        "is_active": "on",
    }
    response = signed_in.post(reverse("desk:webhook-new"), data)
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get(partner=bank)
    assert sorted(endpoint.event_kinds) == ["finance.*", "webhook.ping"]

    shown = signed_in.get(response["Location"])
    assert "no-store" in shown["Cache-Control"]
    assert endpoint.secret in shown.content.decode()
    assert endpoint.secret not in signed_in.get(response["Location"]).content.decode()

    signed_in.post(reverse("desk:webhook-new"), data)  # a double click
    assert WebhookEndpoint.objects.filter(partner=bank).count() == 1


@pytest.mark.parametrize(
    ("url", "kinds", "field"),
    [
        ("https://10.0.0.5/hooks", "*", "url"),  # a private address: the SSRF rules
        ("ftp://erp.bank.example/hooks", "*", "url"),
        ("https://user:pw@erp.bank.example/hooks", "*", "url"),
        ("https://erp.bank.example/hooks", "nothing.known", "event_kinds"),
    ],
)
def test_the_services_refusals_show_at_their_field(signed_in, bank, url, kinds, field):
    form = signed_in.get(reverse("desk:webhook-new")).content.decode()
    data = {"once": once_of(form), "url": url, "event_kinds": kinds, "is_active": "on"}

    response = signed_in.post(reverse("desk:webhook-new"), data)

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not WebhookEndpoint.objects.filter(partner=bank).exists()


def test_changing_an_endpoint_goes_through_the_service(signed_in, endpoint):
    address = reverse("desk:webhook-edit", args=[endpoint.pk])
    refused = signed_in.post(address, {"url": "https://127.0.0.1/x", "event_kinds": "*"})
    assert refused.context["form"].errors["url"]

    saved = signed_in.post(
        address, {"url": "https://erp2.bank.example/hooks", "event_kinds": "shipment.*"}
    )
    assert saved.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.url == "https://erp2.bank.example/hooks"
    assert endpoint.event_kinds == ["shipment.*"] and endpoint.is_active is False


def test_the_endpoint_page_has_its_delivery_log_and_a_delivery_its_detail(signed_in, endpoint):
    delivery = failed_delivery(endpoint, body='{"type": "finance.offer_made"}')

    log = signed_in.get(reverse("desk:webhook", args=[endpoint.pk])).content.decode()
    assert reverse("desk:webhook-delivery", args=[delivery.pk]) in log
    assert "HTTP 500" in log

    detail = signed_in.get(reverse("desk:webhook-delivery", args=[delivery.pk])).content.decode()
    assert delivery.msg_id in detail and "upstream exploded" in detail
    assert "webhook-signature" in detail
    assert endpoint.secret not in detail and endpoint.secret not in log


def test_redeliver_queues_exactly_one_delivery_however_often_it_is_clicked(
    signed_in, endpoint, queued, django_capture_on_commit_callbacks
):
    delivery = failed_delivery(endpoint)
    page = signed_in.get(reverse("desk:webhook-delivery", args=[delivery.pk])).content.decode()
    data = {"once": once_of(page)}
    address = reverse("desk:webhook-redeliver", args=[delivery.pk])

    with django_capture_on_commit_callbacks(execute=True):
        assert signed_in.post(address, data).status_code == 302
        assert signed_in.post(address, data).status_code == 302
        assert signed_in.post(address, {"once": "another-token-of-another-tab"}).status_code == 302

    assert len(queued) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING


def test_rotating_the_secret_shows_the_new_one_once_and_keeps_the_old_for_the_overlap(
    signed_in, endpoint
):
    old = endpoint.secret
    page = signed_in.get(reverse("desk:webhook-rotate", args=[endpoint.pk])).content.decode()
    assert "24 hours" in page
    data = {"once": once_of(page)}

    response = signed_in.post(reverse("desk:webhook-rotate", args=[endpoint.pk]), data)
    signed_in.post(reverse("desk:webhook-rotate", args=[endpoint.pk]), data)  # a double click

    endpoint.refresh_from_db()
    assert endpoint.previous_secret == old and endpoint.secret != old
    shown = signed_in.get(response["Location"])
    assert "no-store" in shown["Cache-Control"]
    assert endpoint.secret in shown.content.decode()
    assert endpoint.secret not in signed_in.get(response["Location"]).content.decode()


def test_another_partners_endpoint_and_delivery_are_not_found(signed_in, queued):
    theirs = WebhookEndpointFactory(url="https://other.example/hooks")
    delivery = failed_delivery(theirs)
    for name, pk in (
        ("desk:webhook", theirs.pk),
        ("desk:webhook-edit", theirs.pk),
        ("desk:webhook-rotate", theirs.pk),
        ("desk:webhook-secret", theirs.pk),
        ("desk:webhook-delivery", delivery.pk),
        ("desk:webhook-redeliver", delivery.pk),
    ):
        assert signed_in.get(reverse(name, args=[pk])).status_code == 404, name
        assert signed_in.post(reverse(name, args=[pk]), {"once": "x" * 20}).status_code in (
            404,
            405,
        ), name
    theirs.refresh_from_db()
    assert theirs.previous_secret == "" and not queued


def test_the_pages_read_in_a_constant_number_of_queries(signed_in, bank, endpoint):
    def count(address):
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(address).status_code == 200
        return len(queries)

    failed_delivery(endpoint)
    pages = [reverse("desk:webhooks"), reverse("desk:webhook", args=[endpoint.pk])]
    few = [count(address) for address in pages]
    for _ in range(5):
        failed_delivery(WebhookEndpointFactory(partner=bank))
        failed_delivery(endpoint)
    assert [count(address) for address in pages] == few
