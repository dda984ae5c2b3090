"""Quotes: sending, superseding, accepting (→ shipment draft), declining, withdrawing, expiry."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from agri_platform.api.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    TransitionNotAllowed,
    ValidationFailed,
)
from agri_platform.events.catalogue import payload_problems
from agri_platform.events.models import Event
from tests import factories
from tests.trade.factories import InquiryFactory, QuoteFactory
from trade.choices import InquiryStatus, QuoteStatus
from trade.models import Quote
from trade.services import inquiries
from trade.tasks import expire_quotes
from trade.workflows import QUOTE_WORKFLOW

pytestmark = pytest.mark.django_db


def _event(kind: str) -> Event:
    event = Event.objects.filter(kind=kind).latest("id")
    assert payload_problems(kind, event.payload) == []
    return event


@pytest.fixture
def inquiry(buyer, enterprise):
    return InquiryFactory(buyer=buyer, enterprise=enterprise)


@pytest.fixture
def quote_kwargs(enterprise_user, inquiry):
    return {
        "actor": enterprise_user,
        "inquiry": inquiry,
        "currency": factories.currency("USD"),
        "incoterm": "CIF",
        "valid_until": timezone.localdate() + timedelta(days=14),
        "lead_time_days": 10,
        "conditions": "30% deposit",
        "lines": [{"item": inquiry.items.get(), "unit_price": Decimal("2.40")}],
    }


class TestSend:
    def test_quotes_the_inquiry(self, quote_kwargs, inquiry, buyer):
        quote = inquiries.quote_send(**quote_kwargs)

        inquiry.refresh_from_db()
        assert inquiry.status == InquiryStatus.QUOTED
        assert inquiry.first_response_at is not None
        line = quote.lines.get()
        assert (line.quantity, line.unit, line.unit_price) == (
            Decimal("500"),
            "kg",
            Decimal("2.40"),
        )
        event = _event("quote.sent")
        assert event.payload["valid_until"] == quote.valid_until.isoformat()
        assert list(event.partners.all()) == [buyer.partner]

    def test_a_new_quote_supersedes_the_open_one(self, quote_kwargs):
        first = inquiries.quote_send(**quote_kwargs)
        second = inquiries.quote_send(**quote_kwargs)
        first.refresh_from_db()
        assert first.status == QuoteStatus.SUPERSEDED
        assert second.status == QuoteStatus.OPEN

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"incoterm": "ABC"}, "incoterm"),
            ({"valid_until": timezone.localdate() - timedelta(days=1)}, "valid_until"),
            ({"lead_time_days": -1}, "lead_time_days"),
            ({"currency": None}, "currency"),
            ({"lines": []}, "lines"),
        ],
    )
    def test_bad_input_names_the_field(self, quote_kwargs, change, field):
        with pytest.raises(ValidationFailed) as refused:
            inquiries.quote_send(**{**quote_kwargs, **change})
        assert refused.value.field == field
        assert not Quote.objects.exists()

    def test_lines_one_per_item_priced(self, quote_kwargs, inquiry):
        item = inquiry.items.get()
        for lines, field in [
            ([{"item": item, "unit_price": Decimal("0")}], "lines[0].unit_price"),
            ([{"item": item, "unit_price": Decimal("1")}] * 2, "lines[1].item"),
        ]:
            with pytest.raises(ValidationFailed) as refused:
                inquiries.quote_send(**{**quote_kwargs, "lines": lines})
            assert refused.value.field == field
        stranger = InquiryFactory().items.get()
        with pytest.raises(ValidationFailed) as refused:
            inquiries.quote_send(
                **{**quote_kwargs, "lines": [{"item": stranger, "unit_price": Decimal("1")}]}
            )
        assert refused.value.code == "does_not_exist"

    def test_only_the_enterprise_quotes(self, quote_kwargs, buyer_user, other_enterprise_user):
        with pytest.raises(PermissionDenied):
            inquiries.quote_send(**{**quote_kwargs, "actor": buyer_user})
        with pytest.raises(NotFound):
            inquiries.quote_send(**{**quote_kwargs, "actor": other_enterprise_user})

    def test_no_quote_on_a_closed_inquiry(self, quote_kwargs, inquiry):
        inquiry.status = InquiryStatus.WITHDRAWN
        inquiry.save()
        with pytest.raises(TransitionNotAllowed):
            inquiries.quote_send(**quote_kwargs)


class TestAccept:
    def test_accepting_opens_the_shipment_draft(
        self, quote_kwargs, buyer, buyer_user, enterprise, drafts_stand_in
    ):
        first = inquiries.quote_send(**quote_kwargs)
        quote = inquiries.quote_send(**quote_kwargs)
        first.status = QuoteStatus.OPEN  # an older open quote left behind is superseded too
        first.save()

        quote = inquiries.quote_accept(actor=buyer_user, quote=quote)

        first.refresh_from_db()
        assert quote.status == QuoteStatus.ACCEPTED
        assert quote.inquiry.status == InquiryStatus.ACCEPTED
        assert first.status == QuoteStatus.SUPERSEDED
        assert quote.shipment_draft is not None
        (call,) = drafts_stand_in
        assert call["enterprise"] == enterprise
        assert call["consignee_name"] == buyer.name
        assert call["consignee_country"].pk == "MY"
        assert call["destination"].pk == "MYPKG"
        assert call["incoterm"] == "CIF"
        assert call["ready_by"] == timezone.localdate() + timedelta(days=10)
        (item,) = call["items"]
        assert item["net_kg"] == Decimal("500") and item["packages"] is None
        assert item["declared_value"] == Decimal("1200.00")
        assert item["currency"].pk == "USD"
        event = _event("quote.accepted")
        assert event.payload["shipment_draft_id"] == quote.shipment_draft.pk

    def test_draft_items_convert_units(self, inquiry):
        item = inquiry.items.get()
        quote = QuoteFactory(inquiry=inquiry)
        line = quote.lines.get()
        for unit, quantity, net_kg, packages in [
            ("t", Decimal("2"), Decimal("2000"), None),
            ("carton", Decimal("40"), None, 40),
            ("pallet", Decimal("3"), None, None),
        ]:
            line.unit, line.quantity = unit, quantity
            line.save()
            (drafted,) = inquiries.draft_items(quote)
            assert (drafted["net_kg"], drafted["packages"]) == (net_kg, packages)
            assert drafted["product"] == item.product

    def test_only_the_buyer_accepts_and_only_once(
        self, quote_kwargs, buyer_user, enterprise_user, drafts_stand_in
    ):
        quote = inquiries.quote_send(**quote_kwargs)
        with pytest.raises(PermissionDenied):
            inquiries.quote_accept(actor=enterprise_user, quote=quote)
        inquiries.quote_accept(actor=buyer_user, quote=quote)
        with pytest.raises(TransitionNotAllowed):
            inquiries.quote_accept(actor=buyer_user, quote=quote)

    def test_an_expired_quote_cannot_be_accepted(self, inquiry, buyer_user, drafts_stand_in):
        quote = QuoteFactory(inquiry=inquiry, valid_until=timezone.localdate() - timedelta(1))
        inquiry.status = InquiryStatus.QUOTED
        inquiry.save()
        with pytest.raises(Conflict) as refused:
            inquiries.quote_accept(actor=buyer_user, quote=quote)
        assert refused.value.code == "quote_expired"
        assert drafts_stand_in == []


class TestDeclineWithdraw:
    def test_the_buyer_declines(self, quote_kwargs, buyer_user, enterprise_user):
        quote = inquiries.quote_send(**quote_kwargs)
        with pytest.raises(PermissionDenied):
            inquiries.quote_decline(actor=enterprise_user, quote=quote)
        inquiries.quote_decline(actor=buyer_user, quote=quote, reason="Too dear")
        quote.refresh_from_db()
        assert quote.status == QuoteStatus.DECLINED and quote.decided_by == buyer_user
        assert _event("quote.declined").payload["reason"] == "Too dear"

    def test_the_enterprise_withdraws(self, quote_kwargs, buyer_user, enterprise_user):
        quote = inquiries.quote_send(**quote_kwargs)
        with pytest.raises(PermissionDenied):
            inquiries.quote_withdraw(actor=buyer_user, quote=quote)
        inquiries.quote_withdraw(actor=enterprise_user, quote=quote, reason="Price error")
        quote.refresh_from_db()
        assert quote.status == QuoteStatus.WITHDRAWN
        assert list(_event("quote.withdrawn").partners.all()) == [quote.inquiry.buyer.partner]
        with pytest.raises(TransitionNotAllowed):
            inquiries.quote_decline(actor=buyer_user, quote=quote)

    def test_each_side_is_offered_its_own_actions(self, quote_kwargs, buyer_user):
        quote = inquiries.quote_send(**quote_kwargs)
        assert QUOTE_WORKFLOW.permitted(buyer_user, quote) == ["accept", "decline"]
        assert QUOTE_WORKFLOW.permitted(quote_kwargs["actor"], quote) == ["withdraw"]


class TestExpire:
    def test_open_quotes_past_validity_expire_once(self, inquiry, eager_tasks):
        today = timezone.localdate()
        stale = QuoteFactory(inquiry=inquiry, valid_until=today - timedelta(days=1))
        fresh = QuoteFactory(inquiry=inquiry, valid_until=today)

        assert expire_quotes.delay().get() == 1
        assert inquiries.quotes_expire() == 0

        stale.refresh_from_db()
        fresh.refresh_from_db()
        assert (stale.status, fresh.status) == (QuoteStatus.EXPIRED, QuoteStatus.OPEN)
        assert _event("quote.expired").payload["quote_id"] == stale.pk
