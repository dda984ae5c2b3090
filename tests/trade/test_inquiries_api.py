"""The inquiries API: send (idempotent, throttled), answer, quote, accept (a real draft), blocks."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agri_platform.events.models import Event
from logistics.models import ShipmentDraft
from tests import factories
from tests.conftest import client_for, client_for_key
from tests.trade.factories import BuyerFactory, InquiryFactory, QuoteFactory
from trade.models import Inquiry

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer_key(buyer):
    return client_for_key(buyer.partner, scopes=["trade:read", "trade:write"])


@pytest.fixture
def body(enterprise, product, port_klang):
    today = timezone.localdate()
    return {
        "enterprise": enterprise.pk,
        "items": [{"product": product.pk, "quantity": "500", "unit": "kg"}],
        "destination": "MYPKG",
        "incoterm": "CIF",
        "delivery_from": (today + timedelta(days=20)).isoformat(),
        "delivery_to": (today + timedelta(days=50)).isoformat(),
        "notes": "Weekly supply.",
    }


def test_a_buyer_key_sends_and_a_replay_answers_the_first(buyer_key, body):
    headers = {"HTTP_IDEMPOTENCY_KEY": "inquiry-1"}
    first = buyer_key.post("/api/v1/inquiries/", body, format="json", **headers)
    again = buyer_key.post("/api/v1/inquiries/", body, format="json", **headers)

    assert first.status_code == 201, first.json()
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert Inquiry.objects.count() == 1
    data = first.json()
    assert data["status"] == "sent"
    assert data["allowed_actions"] == ["message", "withdraw"]
    assert data["items"][0]["quantity"] == "500.000"


def test_the_enterprise_sees_only_the_buyer_card(enterprise_client, buyer):
    inquiry = InquiryFactory(
        buyer=buyer, enterprise=enterprise_client.user.memberships.get().enterprise
    )
    data = enterprise_client.get(f"/api/v1/inquiries/{inquiry.pk}/").json()
    assert set(data["buyer"]) == {"id", "name", "country", "kind", "website", "verified"}
    assert data["allowed_actions"] == ["decline", "message", "quote"]


def test_only_buyers_send(enterprise_client, body):
    response = enterprise_client.post("/api/v1/inquiries/", body, format="json")
    assert response.status_code == 403
    assert not Inquiry.objects.exists()


def test_throttled_answers_429_with_retry_after(buyer_key, body, settings):
    settings.TRADE_INQUIRY_RATE = "1/minute"
    assert buyer_key.post("/api/v1/inquiries/", body, format="json").status_code == 201
    response = buyer_key.post("/api/v1/inquiries/", body, format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 61


def test_a_blocked_buyer_reads_the_same_as_a_closed_enterprise(buyer_key, body, enterprise):
    from tests.trade.factories import BuyerBlockFactory

    BuyerBlockFactory(buyer=buyer_key.partner.buyer, enterprise=enterprise)
    blocked = buyer_key.post("/api/v1/inquiries/", body, format="json").json()
    enterprise.buyer_blocks.all().delete()
    enterprise.status = "pending"
    enterprise.save()
    closed = buyer_key.post("/api/v1/inquiries/", body, format="json").json()
    assert blocked == closed
    assert blocked["errors"][0]["field"] == "enterprise"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"destination": "ZZZZZ"}, "destination"),
        ({"incoterm": "XXX"}, "incoterm"),
        ({"items": [{"product": 1, "quantity": "-1", "unit": "kg"}]}, "items[0].quantity"),
        ({"items": []}, "items"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(buyer_key, body, change, field):
    response = buyer_key.post("/api/v1/inquiries/", {**body, **change}, format="json")
    assert response.status_code == 400
    assert field in [error["field"] for error in response.json()["errors"]]


def test_quote_accept_opens_a_real_draft_with_readiness(
    enterprise_client, buyer, buyer_key, enterprise
):
    inquiry = InquiryFactory(buyer=buyer, enterprise=enterprise)
    body = {
        "currency": factories.currency("USD").pk,
        "incoterm": "FOB",
        "valid_until": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "lead_time_days": 5,
        "lines": [{"item": inquiry.items.get().pk, "unit_price": "2.40"}],
    }
    quoted = enterprise_client.post(f"/api/v1/inquiries/{inquiry.pk}/quotes/", body, format="json")
    assert quoted.status_code == 201, quoted.json()
    quote_id = quoted.json()["id"]

    accepted = buyer_key.post(f"/api/v1/quotes/{quote_id}/accept/")

    assert accepted.status_code == 200, accepted.json()
    draft = ShipmentDraft.objects.get(pk=accepted.json()["shipment_draft"])
    assert draft.enterprise == enterprise and draft.destination_id == "MYPKG"
    assert draft.readiness_checked_at is not None
    assert draft.items.get().net_kg == 500
    event = Event.objects.get(kind="quote.accepted")
    assert event.payload["shipment_draft_id"] == draft.pk
    again = buyer_key.post(f"/api/v1/quotes/{quote_id}/accept/")
    assert again.status_code == 409


def test_messages_both_sides(enterprise_client, buyer, buyer_key, enterprise):
    inquiry = InquiryFactory(buyer=buyer, enterprise=enterprise)
    path = f"/api/v1/inquiries/{inquiry.pk}/messages/"
    assert buyer_key.post(path, {"body": "Hello"}, format="json").json()["side"] == "buyer"
    assert (
        enterprise_client.post(path, {"body": "Hi"}, format="json").json()["side"] == "enterprise"
    )
    listed = buyer_key.get(path).json()["results"]
    assert [m["body"] for m in listed] == ["Hello", "Hi"]


def test_blocks_by_members_only_of_buyers_that_wrote(enterprise_client, enterprise, buyer):
    stranger = BuyerFactory()
    refused = enterprise_client.post("/api/v1/buyer-blocks/", {"buyer": stranger.pk}, format="json")
    assert refused.status_code == 400
    InquiryFactory(buyer=buyer, enterprise=enterprise)
    created = enterprise_client.post("/api/v1/buyer-blocks/", {"buyer": buyer.pk}, format="json")
    assert created.status_code == 201
    again = enterprise_client.post("/api/v1/buyer-blocks/", {"buyer": buyer.pk}, format="json")
    assert again.status_code == 409
    assert (
        enterprise_client.delete(f"/api/v1/buyer-blocks/{created.json()['id']}/").status_code == 204
    )
    person = client_for(factories.PartnerUserFactory(partner=buyer.partner))
    assert person.get("/api/v1/buyer-blocks/").json()["count"] == 0


def test_the_list_takes_a_fixed_number_of_queries(buyer, buyer_key):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert buyer_key.get("/api/v1/inquiries/").status_code == 200
        return len(captured)

    QuoteFactory(inquiry=InquiryFactory(buyer=buyer))
    queries()  # the key's first use of the request writes its last-used time once
    one = queries()
    for _ in range(3):
        QuoteFactory(inquiry=InquiryFactory(buyer=buyer))
    assert queries() == one


def test_the_list_filters_by_the_destination_country(buyer, buyer_key):
    to_malaysia = InquiryFactory(buyer=buyer)
    InquiryFactory(buyer=buyer, destination=factories.location("SGSIN", "Singapore"))

    answer = buyer_key.get("/api/v1/inquiries/", {"destination_country": "my"})

    assert answer.status_code == 200
    assert [row["id"] for row in answer.json()["results"]] == [to_malaysia.pk]
