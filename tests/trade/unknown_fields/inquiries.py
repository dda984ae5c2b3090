"""Unknown-field cases: inquiries, quotes, buyer blocks (see tests/security/test_unknown_fields.py)."""

from datetime import timedelta

from django.utils import timezone

from tests import factories
from tests.security.test_unknown_fields import Case, case
from tests.trade.factories import InquiryFactory, QuoteFactory

INQUIRIES = "/api/v1/inquiries"
QUOTES = "/api/v1/quotes"


def _inquiry(kit, **extra):
    return InquiryFactory(buyer=kit.buyer, enterprise=kit.enterprise, **extra)


def _quote(kit):
    inquiry = _inquiry(kit, status="quoted")
    return QuoteFactory(inquiry=inquiry)


@case("POST /api/v1/inquiries/")
def _inquiry_send(kit):
    product = factories.ProductFactory(enterprise=kit.enterprise)
    today = timezone.localdate()
    body = {
        "enterprise": kit.enterprise.pk,
        "items": [{"product": product.pk, "quantity": "500", "unit": "kg"}],
        "destination": factories.location("MYPKG", "Port Klang").pk,
        "incoterm": "CIF",
        "delivery_from": (today + timedelta(days=20)).isoformat(),
        "delivery_to": (today + timedelta(days=50)).isoformat(),
    }
    return Case(kit.key_client(kit.buyer.partner), f"{INQUIRIES}/", body)


@case("POST /api/v1/inquiries/{id}/decline/")
def _inquiry_decline(kit):
    path = f"{INQUIRIES}/{_inquiry(kit).pk}/decline/"
    return Case(kit.owner_client, path, {"reason": "Out of season."})


@case("POST /api/v1/inquiries/{id}/withdraw/")
def _inquiry_withdraw(kit):
    path = f"{INQUIRIES}/{_inquiry(kit).pk}/withdraw/"
    return Case(kit.key_client(kit.buyer.partner), path, {"reason": "Found another supplier."})


@case("POST /api/v1/inquiries/{id}/messages/")
def _inquiry_message(kit):
    path = f"{INQUIRIES}/{_inquiry(kit).pk}/messages/"
    return Case(kit.owner_client, path, {"body": "We can pack in 5 kg cartons."})


@case("POST /api/v1/inquiries/{id}/quotes/")
def _inquiry_quote(kit):
    inquiry = _inquiry(kit)
    body = {
        "currency": factories.currency("USD").pk,
        "incoterm": "CIF",
        "valid_until": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "lead_time_days": 10,
        "lines": [{"item": inquiry.items.get().pk, "unit_price": "2.40"}],
    }
    return Case(kit.owner_client, f"{INQUIRIES}/{inquiry.pk}/quotes/", body)


@case("POST /api/v1/quotes/{id}/accept/")
def _quote_accept(kit):
    return Case(kit.key_client(kit.buyer.partner), f"{QUOTES}/{_quote(kit).pk}/accept/")


@case("POST /api/v1/quotes/{id}/decline/")
def _quote_decline(kit):
    path = f"{QUOTES}/{_quote(kit).pk}/decline/"
    return Case(kit.key_client(kit.buyer.partner), path, {"reason": "Too dear."})


@case("POST /api/v1/quotes/{id}/withdraw/")
def _quote_withdraw(kit):
    return Case(kit.owner_client, f"{QUOTES}/{_quote(kit).pk}/withdraw/", {"reason": "Typo."})


@case("POST /api/v1/buyer-blocks/")
def _buyer_block(kit):
    _inquiry(kit)
    body = {"buyer": kit.buyer.pk, "reason": "Inquiries we cannot serve."}
    return Case(kit.owner_client, "/api/v1/buyer-blocks/", body)
