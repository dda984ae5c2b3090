"""Fixtures for the inquiry and quote tests: a buyer with a person, an exporter with a member."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests import factories
from tests.trade.factories import BuyerFactory, buyer_person


@pytest.fixture
def buyer(db):
    return BuyerFactory()


@pytest.fixture
def buyer_user(buyer):
    return buyer_person(buyer)


@pytest.fixture
def product(enterprise):
    return factories.ProductFactory(enterprise=enterprise)


@pytest.fixture
def port_klang(db):
    return factories.location("MYPKG", "Port Klang")


@pytest.fixture
def send_kwargs(buyer, buyer_user, enterprise, product, port_klang):
    """What inquiry_send needs for a valid inquiry of 500 kg of `product` to Port Klang."""
    today = timezone.localdate()
    return {
        "actor": buyer_user,
        "buyer": buyer,
        "enterprise": enterprise,
        "items": [{"product": product, "quantity": Decimal("500"), "unit": "kg"}],
        "destination": port_klang,
        "incoterm": "CIF",
        "delivery_from": today + timedelta(days=20),
        "delivery_to": today + timedelta(days=50),
        "notes": "Weekly supply.",
    }


@pytest.fixture
def drafts_stand_in(monkeypatch):
    """Records what quote_accept asks of the drafts service and answers with a real draft row
    (the contract of the call is what the test reads; TestAccept also runs the real service)."""
    from logistics.models import ShipmentDraft

    calls = []

    def shipment_draft_open(**kwargs):
        calls.append(kwargs)
        return ShipmentDraft.objects.create(
            enterprise=kwargs["enterprise"],
            source=kwargs["source"],
            consignee_name=kwargs["consignee_name"],
            consignee_country=kwargs["consignee_country"],
            destination=kwargs["destination"],
            incoterm=kwargs["incoterm"],
            ready_by=kwargs["ready_by"],
        )

    from logistics.services import drafts

    monkeypatch.setattr(drafts, "shipment_draft_open", shipment_draft_open)
    return calls
