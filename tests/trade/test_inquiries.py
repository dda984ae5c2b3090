"""Inquiries: sending (rules, throttle, blocks), declining, withdrawing, messages, tenancy."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from agri_platform.api.errors import (
    NotFound,
    PermissionDenied,
    TooManyRequests,
    TransitionNotAllowed,
    ValidationFailed,
)
from agri_platform.events.catalogue import payload_problems
from agri_platform.events.models import Event
from enterprises.choices import VerificationStatus
from tests import factories
from tests.trade.factories import (
    BuyerBlockFactory,
    BuyerFactory,
    InquiryFactory,
    QuoteFactory,
    buyer_person,
)
from trade.choices import InquiryStatus, MessageSide, QuoteStatus
from trade.models import BuyerBlock, Inquiry
from trade.selectors.inquiries import (
    blocks_for,
    inquiries_for,
    inquiry_for_buyer,
    inquiry_for_enterprise,
    quotes_for,
)
from trade.services import blocks, inquiries
from trade.workflows import INQUIRY_WORKFLOW

pytestmark = pytest.mark.django_db


def _event(kind: str) -> Event:
    event = Event.objects.filter(kind=kind).latest("id")
    assert payload_problems(kind, event.payload) == []
    return event


class TestSend:
    def test_sends_records_the_event_routed_to_the_buyer(self, send_kwargs, buyer, enterprise):
        inquiry = inquiries.inquiry_send(**send_kwargs)

        assert inquiry.status == InquiryStatus.SENT
        assert inquiry.items.get().quantity == Decimal("500")
        event = _event("inquiry.sent")
        assert event.enterprise == enterprise
        assert list(event.partners.all()) == [buyer.partner]
        assert event.payload["inquiry_id"] == inquiry.pk
        assert event.payload["destination"] == "MYPKG"
        assert event.payload["product_ids"] == [send_kwargs["items"][0]["product"].pk]

    def test_only_the_buyers_people_send(self, send_kwargs, enterprise_user):
        with pytest.raises(PermissionDenied):
            inquiries.inquiry_send(**{**send_kwargs, "actor": enterprise_user})
        other = buyer_person(BuyerFactory())
        with pytest.raises(PermissionDenied):
            inquiries.inquiry_send(**{**send_kwargs, "actor": other})
        assert not Inquiry.objects.exists()

    def test_suspended_buyer_may_not_send(self, send_kwargs, buyer):
        buyer.status = "suspended"
        buyer.save()
        with pytest.raises(PermissionDenied):
            inquiries.inquiry_send(**send_kwargs)

    def test_a_block_answers_like_an_enterprise_taking_no_inquiries(
        self, send_kwargs, buyer, enterprise
    ):
        BuyerBlockFactory(enterprise=enterprise, buyer=buyer)
        with pytest.raises(ValidationFailed) as blocked:
            inquiries.inquiry_send(**send_kwargs)
        BuyerBlock.objects.all().delete()
        enterprise.status = VerificationStatus.PENDING
        enterprise.save()
        with pytest.raises(ValidationFailed) as unverified:
            inquiries.inquiry_send(**send_kwargs)

        assert (blocked.value.code, blocked.value.field, blocked.value.detail) == (
            unverified.value.code,
            unverified.value.field,
            unverified.value.detail,
        )
        assert not Inquiry.objects.exists()

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"items": []}, "items"),
            ({"incoterm": "XYZ"}, "incoterm"),
            ({"delivery_from": timezone.localdate() - timedelta(days=1)}, "delivery_from"),
            ({"delivery_to": timezone.localdate() + timedelta(days=1)}, "delivery_to"),
            ({"notes": "x" * 5000}, "notes"),
            ({"destination": None}, "destination"),
        ],
    )
    def test_bad_input_names_the_field(self, send_kwargs, change, field):
        with pytest.raises(ValidationFailed) as refused:
            inquiries.inquiry_send(**{**send_kwargs, **change})
        assert refused.value.field == field
        assert not Inquiry.objects.exists()

    @pytest.mark.parametrize(
        ("item", "field"),
        [
            ({"quantity": Decimal("0")}, "items[0].quantity"),
            ({"quantity": Decimal("-3")}, "items[0].quantity"),
            ({"unit": "jin"}, "items[0].unit"),
        ],
    )
    def test_bad_items_name_the_item(self, send_kwargs, item, field):
        items = [{**send_kwargs["items"][0], **item}]
        with pytest.raises(ValidationFailed) as refused:
            inquiries.inquiry_send(**{**send_kwargs, "items": items})
        assert refused.value.field == field

    def test_a_product_of_another_enterprise_is_refused(self, send_kwargs):
        stranger = factories.ProductFactory()
        items = [{**send_kwargs["items"][0], "product": stranger}]
        with pytest.raises(ValidationFailed) as refused:
            inquiries.inquiry_send(**{**send_kwargs, "items": items})
        assert refused.value.field == "items[0].product"

    def test_the_same_product_twice_is_refused(self, send_kwargs):
        items = send_kwargs["items"] * 2
        with pytest.raises(ValidationFailed) as refused:
            inquiries.inquiry_send(**{**send_kwargs, "items": items})
        assert refused.value.code == "duplicate"

    def test_throttled_per_buyer_with_retry_after(self, send_kwargs, settings):
        settings.TRADE_INQUIRY_RATE = "2/hour"
        inquiries.inquiry_send(**send_kwargs)
        inquiries.inquiry_send(**send_kwargs)
        with pytest.raises(TooManyRequests) as throttled:
            inquiries.inquiry_send(**send_kwargs)
        assert 3500 < throttled.value.retry_after <= 3601
        assert Inquiry.objects.count() == 2
        other = BuyerFactory()
        inquiries.inquiry_send(**{**send_kwargs, "buyer": other, "actor": buyer_person(other)})
        assert Inquiry.objects.count() == 3

    def test_rate_setting_must_read_like_a_rate(self):
        assert inquiries.parse_rate("20/day") == (20, 86400)
        with pytest.raises(ValueError):
            inquiries.parse_rate("twenty a day")


class TestDeclineAndWithdraw:
    def test_the_enterprise_declines_with_a_reason(self, enterprise_user, enterprise, buyer):
        inquiry = InquiryFactory(enterprise=enterprise, buyer=buyer)
        quote = QuoteFactory(inquiry=inquiry)

        inquiries.inquiry_decline(actor=enterprise_user, inquiry=inquiry, reason="Out of season")

        inquiry.refresh_from_db()
        quote.refresh_from_db()
        assert inquiry.status == InquiryStatus.DECLINED
        assert inquiry.first_response_at is not None and inquiry.closed_at is not None
        assert quote.status == QuoteStatus.SUPERSEDED
        event = _event("inquiry.declined")
        assert event.payload["reason"] == "Out of season"
        assert list(event.partners.all()) == [buyer.partner]

    def test_declining_needs_a_reason(self, enterprise_user, enterprise):
        inquiry = InquiryFactory(enterprise=enterprise)
        with pytest.raises(ValidationFailed) as refused:
            inquiries.inquiry_decline(actor=enterprise_user, inquiry=inquiry, reason=" ")
        assert refused.value.field == "reason"

    def test_the_buyer_may_not_decline_nor_another_enterprise(
        self, buyer, buyer_user, enterprise, other_enterprise_user
    ):
        inquiry = InquiryFactory(enterprise=enterprise, buyer=buyer)
        with pytest.raises(PermissionDenied):
            inquiries.inquiry_decline(actor=buyer_user, inquiry=inquiry, reason="no")
        with pytest.raises(NotFound):
            inquiries.inquiry_decline(actor=other_enterprise_user, inquiry=inquiry, reason="no")

    def test_the_buyer_withdraws(self, buyer, buyer_user, enterprise):
        inquiry = InquiryFactory(enterprise=enterprise, buyer=buyer)
        inquiries.inquiry_withdraw(actor=buyer_user, inquiry=inquiry, reason="Found another")
        inquiry.refresh_from_db()
        assert inquiry.status == InquiryStatus.WITHDRAWN
        assert inquiry.first_response_at is None
        assert _event("inquiry.withdrawn").payload["reason"] == "Found another"

    def test_the_enterprise_may_not_withdraw(self, enterprise_user, enterprise):
        inquiry = InquiryFactory(enterprise=enterprise)
        with pytest.raises(PermissionDenied):
            inquiries.inquiry_withdraw(actor=enterprise_user, inquiry=inquiry)

    @pytest.mark.parametrize(
        "status", [InquiryStatus.DECLINED, InquiryStatus.WITHDRAWN, InquiryStatus.ACCEPTED]
    )
    def test_a_closed_inquiry_is_a_conflict(self, buyer, buyer_user, enterprise, status):
        inquiry = InquiryFactory(enterprise=enterprise, buyer=buyer, status=status)
        with pytest.raises(TransitionNotAllowed):
            inquiries.inquiry_withdraw(actor=buyer_user, inquiry=inquiry)


class TestMessages:
    def test_each_side_writes_and_the_enterprise_answers_first(
        self, buyer, buyer_user, enterprise, enterprise_user
    ):
        inquiry = InquiryFactory(enterprise=enterprise, buyer=buyer)

        mine = inquiries.inquiry_message_post(actor=buyer_user, inquiry=inquiry, body="Hello")
        inquiry.refresh_from_db()
        assert mine.side == MessageSide.BUYER and inquiry.first_response_at is None
        theirs = inquiries.inquiry_message_post(actor=enterprise_user, inquiry=inquiry, body="Hi")
        inquiry.refresh_from_db()
        assert theirs.side == MessageSide.ENTERPRISE and inquiry.first_response_at is not None
        event = _event("inquiry.message_posted")
        assert event.payload["author_side"] == "enterprise"
        assert event.payload["message_id"] == theirs.pk

    def test_strangers_and_empty_bodies_are_refused(self, enterprise, buyer_user, staff_user):
        inquiry = InquiryFactory(enterprise=enterprise)
        with pytest.raises(NotFound):
            inquiries.inquiry_message_post(actor=buyer_user, inquiry=inquiry, body="hi")
        with pytest.raises(PermissionDenied):
            inquiries.inquiry_message_post(actor=staff_user, inquiry=inquiry, body="hi")
        own = buyer_person(inquiry.buyer)
        with pytest.raises(ValidationFailed):
            inquiries.inquiry_message_post(actor=own, inquiry=inquiry, body="  ")

    def test_no_messages_once_declined(self, enterprise, enterprise_user):
        inquiry = InquiryFactory(enterprise=enterprise, status=InquiryStatus.DECLINED)
        with pytest.raises(TransitionNotAllowed):
            inquiries.inquiry_message_post(actor=enterprise_user, inquiry=inquiry, body="hi")


class TestWorkflow:
    def test_each_side_is_offered_its_own_actions(
        self, buyer, buyer_user, enterprise, enterprise_user
    ):
        inquiry = InquiryFactory(enterprise=enterprise, buyer=buyer)
        assert INQUIRY_WORKFLOW.permitted(buyer_user, inquiry) == ["message", "withdraw"]
        assert INQUIRY_WORKFLOW.permitted(enterprise_user, inquiry) == [
            "decline",
            "message",
            "quote",
        ]


class TestBlocks:
    def test_only_a_buyer_that_wrote_can_be_blocked(self, enterprise, enterprise_user, buyer):
        with pytest.raises(NotFound):
            blocks.buyer_block(actor=enterprise_user, enterprise=enterprise, buyer=buyer)
        InquiryFactory(enterprise=enterprise, buyer=buyer)

        block = blocks.buyer_block(
            actor=enterprise_user, enterprise=enterprise, buyer=buyer, reason="Spam"
        )

        event = _event("buyer.blocked")
        assert event.payload == {"buyer_id": buyer.pk, "enterprise_id": enterprise.pk}
        assert not event.partners.exists()  # the buyer is never told
        with pytest.raises(Exception) as again:
            blocks.buyer_block(actor=enterprise_user, enterprise=enterprise, buyer=buyer)
        assert getattr(again.value, "code", "") == "already_blocked"
        blocks.buyer_unblock(actor=enterprise_user, block=block)
        assert not BuyerBlock.objects.exists()
        assert _event("buyer.unblocked").payload["buyer_id"] == buyer.pk

    def test_another_enterprise_may_not_block_or_unblock(
        self, enterprise, other_enterprise_user, buyer
    ):
        InquiryFactory(enterprise=enterprise, buyer=buyer)
        with pytest.raises(NotFound):
            blocks.buyer_block(actor=other_enterprise_user, enterprise=enterprise, buyer=buyer)
        block = BuyerBlockFactory(enterprise=enterprise, buyer=buyer)
        with pytest.raises(NotFound):
            blocks.buyer_unblock(actor=other_enterprise_user, block=block)


class TestTenancy:
    def test_a_buyer_sees_only_its_own(self, buyer, buyer_user, enterprise):
        mine = InquiryFactory(buyer=buyer, enterprise=enterprise)
        InquiryFactory(enterprise=enterprise)
        QuoteFactory(inquiry=mine)
        QuoteFactory()
        assert list(inquiries_for(buyer_user)) == [mine]
        assert [q.inquiry_id for q in quotes_for(buyer_user)] == [mine.pk]
        assert not blocks_for(buyer_user).exists()
        with pytest.raises(NotFound):
            inquiry_for_buyer(BuyerFactory(), mine.pk)
        assert inquiry_for_buyer(buyer, mine.pk) == mine

    def test_an_enterprise_sees_only_those_sent_to_it(
        self, enterprise, enterprise_user, other_enterprise
    ):
        ours = InquiryFactory(enterprise=enterprise)
        InquiryFactory(enterprise=other_enterprise)
        assert list(inquiries_for(enterprise_user)) == [ours]
        with pytest.raises(NotFound):
            inquiry_for_enterprise(other_enterprise, ours.pk)
        assert inquiry_for_enterprise(enterprise, ours.pk) == ours

    def test_staff_see_all_other_partners_nothing(self, staff_user, partner):
        InquiryFactory.create_batch(2)
        assert inquiries_for(staff_user).count() == 2
        assert not inquiries_for(factories.PartnerUserFactory(partner=partner)).exists()

    def test_the_list_takes_a_fixed_number_of_queries(self, buyer, buyer_user):
        def count_queries():
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                shown = [
                    (
                        inquiry.buyer.partner.name,
                        inquiry.destination.country.name_en,
                        [item.product.name_en for item in inquiry.items.all()],
                        [line.unit_price for q in inquiry.quotes.all() for line in q.lines.all()],
                    )
                    for inquiry in inquiries_for(buyer_user)
                ]
            assert shown
            return len(captured)

        QuoteFactory(inquiry=InquiryFactory(buyer=buyer))
        one = count_queries()
        for _ in range(3):
            QuoteFactory(inquiry=InquiryFactory(buyer=buyer))
        assert count_queries() == one
