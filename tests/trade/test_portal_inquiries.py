"""The exporter's inquiry pages in the portal: what an enterprise's people see of the inquiries sent
to it and how they answer, through the same services as the API."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agri_platform.accounts.choices import MembershipRole
from agri_platform.api.errors import ValidationFailed
from tests import factories
from tests.trade.factories import (
    BuyerBlockFactory,
    BuyerFactory,
    InquiryFactory,
    InquiryMessageFactory,
    QuoteFactory,
)
from trade.choices import BuyerStatus, InquiryStatus, QuoteStatus
from trade.models import BuyerBlock, InquiryMessage, Quote
from trade.services import inquiries as services

pytestmark = pytest.mark.django_db

LIST = reverse("portal:inquiries")
HOME = reverse("portal:home")


def person_of(enterprise, role=MembershipRole.OWNER) -> Client:
    user = factories.MembershipFactory(enterprise=enterprise, role=role, user__language="en").user
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner(enterprise) -> Client:
    return person_of(enterprise)


@pytest.fixture
def inquiry(enterprise):
    factories.currency("USD")
    return InquiryFactory(
        enterprise=enterprise,
        buyer=BuyerFactory(partner__name="Kedai Buah Segar Sdn Bhd", website="https://kbs.my"),
    )


def url(name, obj) -> str:
    return reverse(f"portal:{name}", kwargs={"pk": obj.pk})


def quote_data(inquiry, **overrides) -> dict:
    data = {
        "currency": "USD",
        "incoterm": "CIF",
        "valid_until": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "lead_time_days": "10",
        "conditions": "30% deposit",
    }
    for item in inquiry.items.all():
        data[f"price_{item.pk}"] = "2.40"
        data[f"quantity_{item.pk}"] = str(item.quantity)
        data[f"unit_{item.pk}"] = item.unit
    data.update(overrides)
    return data


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_the_enterprises_inquiries_with_the_buyer_and_what_it_asks(
    owner, inquiry, other_enterprise
):
    InquiryFactory(enterprise=other_enterprise, buyer=BuyerFactory(partner__name="Their Buyer"))
    page = owner.get(LIST).content.decode()
    assert url("inquiry", inquiry) in page
    assert "Kedai Buah Segar Sdn Bhd" in page and "Malaysia" in page and "Importer" in page
    assert "Verified by the platform" in page
    assert "500" in page and inquiry.delivery_from.isoformat() in page
    assert "Their Buyer" not in page
    assert "1 inquiry" in page


def test_the_list_filters_in_the_query_string(owner, enterprise, inquiry):
    answered = InquiryFactory(enterprise=enterprise, status=InquiryStatus.QUOTED)
    elsewhere = InquiryFactory(
        enterprise=enterprise, destination=factories.location("SGSIN", "Singapore")
    )
    waiting = owner.get(LIST, {"waiting": "1"}).content.decode()
    assert url("inquiry", inquiry) in waiting and url("inquiry", answered) not in waiting
    quoted = owner.get(LIST, {"status": "quoted"}).content.decode()
    assert url("inquiry", answered) in quoted and url("inquiry", inquiry) not in quoted
    market = owner.get(LIST, {"market": "SG"}).content.decode()
    assert url("inquiry", elsewhere) in market and url("inquiry", inquiry) not in market
    product = inquiry.items.get().product
    by_product = owner.get(LIST, {"product": product.pk}).content.decode()
    assert url("inquiry", inquiry) in by_product and url("inquiry", elsewhere) not in by_product
    assert "1 inquiry" in by_product


def test_a_buyers_message_after_a_quote_needs_an_answer_again(owner, enterprise):
    quoted = InquiryFactory(enterprise=enterprise, status=InquiryStatus.QUOTED)
    assert url("inquiry", quoted) not in owner.get(LIST, {"waiting": "1"}).content.decode()
    InquiryMessageFactory(inquiry=quoted, side="buyer", body="Can you do 4 kg cartons?")
    assert url("inquiry", quoted) in owner.get(LIST, {"waiting": "1"}).content.decode()


def test_an_unanswered_inquiry_shows_its_age_in_amber_after_two_days(owner, inquiry):
    page = owner.get(LIST).content.decode()
    assert "inquiry-age--late" not in page
    inquiry.created_at = timezone.now() - timedelta(days=3)
    inquiry.save(update_fields=["created_at"])
    page = owner.get(LIST).content.decode()
    assert "inquiry-age--late" in page and "3 days without an answer" in page


def test_hostile_filters_are_ignored_not_a_500(owner, inquiry):
    for query in ({"status": "nope"}, {"market": "'; --"}, {"product": "9" * 40}, {"page": "x"}):
        response = owner.get(LIST, query)
        assert response.status_code == 200


def test_an_empty_list_says_what_brings_inquiries(owner):
    page = owner.get(LIST).content.decode()
    assert "No inquiry yet" in page and "catalogue" in page
    assert reverse("portal:promotions") in page


def test_the_lists_queries_do_not_grow_with_its_rows(owner, enterprise):
    InquiryFactory(enterprise=enterprise)
    owner.get(LIST)  # the session's first request reads what later ones have cached
    with CaptureQueriesContext(connection) as one:
        assert owner.get(LIST).status_code == 200
    for _ in range(6):
        inquiry = InquiryFactory(enterprise=enterprise, buyer=BuyerFactory())
        InquiryMessageFactory(inquiry=inquiry)
    with CaptureQueriesContext(connection) as seven:
        assert owner.get(LIST).status_code == 200
    assert len(seven) == len(one)


# --- one inquiry ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [MembershipRole.OWNER, MembershipRole.MEMBER])
def test_a_member_reads_the_inquiry_and_another_enterprise_gets_a_404(
    role, enterprise, other_enterprise, inquiry
):
    page = person_of(enterprise, role).get(url("inquiry", inquiry))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kedai Buah Segar Sdn Bhd" in html and "https://kbs.my" in html
    assert url("inquiry-quote", inquiry) in html and url("inquiry-decline", inquiry) in html
    stranger = person_of(other_enterprise)
    for name in ("inquiry", "inquiry-quote", "inquiry-decline", "buyer-block"):
        assert stranger.get(url(name, inquiry)).status_code == 404
    assert stranger.post(url("inquiry-message", inquiry), {"body": "hi"}).status_code == 404
    assert not InquiryMessage.objects.exists()


def test_the_buyer_card_shows_only_what_the_inquiry_shows(owner, inquiry):
    inquiry.buyer.description = "Our secret supplier list"
    inquiry.buyer.status_reason = "internal staff note"
    inquiry.buyer.save()
    html = owner.get(url("inquiry", inquiry)).content.decode()
    assert "Our secret supplier list" not in html and "internal staff note" not in html


def test_an_unverified_buyer_is_said_so(owner, inquiry):
    inquiry.buyer.status = BuyerStatus.PENDING
    inquiry.buyer.save(update_fields=["status"])
    html = owner.get(url("inquiry", inquiry)).content.decode()
    assert "has not verified this buyer" in html


def test_the_timeline_tells_everything_in_order(owner, inquiry):
    InquiryMessageFactory(inquiry=inquiry, side="buyer", body="Do you have Grade A?")
    quote = QuoteFactory(inquiry=inquiry, status=QuoteStatus.SUPERSEDED, decided_at=timezone.now())
    html = owner.get(url("inquiry", inquiry)).content.decode()
    sent = html.index("The buyer sent the inquiry")
    asked = html.index("Do you have Grade A?")
    quoted = html.index(f"Your quote #{quote.pk}")
    assert sent < asked < quoted
    assert "Superseded" in html and "18.50" in html


# --- answering -----------------------------------------------------------------------------------


def test_a_message_is_posted_through_the_service_with_and_without_htmx(owner, inquiry):
    response = owner.post(url("inquiry-message", inquiry), {"body": "Yes, Grade A."})
    assert response.status_code == 302 and response["Location"].endswith("#timeline")
    message = InquiryMessage.objects.get()
    assert message.side == "enterprise" and message.body == "Yes, Grade A."
    partial = owner.post(
        url("inquiry-message", inquiry), {"body": "Also 4 kg cartons."}, HTTP_HX_REQUEST="true"
    )
    html = partial.content.decode()
    assert partial.status_code == 200 and 'id="timeline"' in html
    assert "Also 4 kg cartons." in html and "<html" not in html


def test_an_empty_message_is_refused_at_the_field(owner, inquiry):
    response = owner.post(url("inquiry-message", inquiry), {"body": ""})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="id_body_error"' in html
    assert not InquiryMessage.objects.exists()


def test_a_quote_goes_through_the_check_step_then_the_service(owner, inquiry):
    form = owner.get(url("inquiry-quote", inquiry)).content.decode()
    item = inquiry.items.get()
    assert f'name="price_{item.pk}"' in form and 'value="CIF"' in form
    check = owner.post(url("inquiry-quote", inquiry), quote_data(inquiry, step="check"))
    html = check.content.decode()
    assert check.status_code == 200 and "Check your quote before you send it" in html
    assert "1,200.00" in html or "1200.00" in html  # 500 kg × 2.40
    assert not Quote.objects.exists()
    sent = owner.post(url("inquiry-quote", inquiry), quote_data(inquiry, step="confirm"))
    assert sent.status_code == 302
    quote = Quote.objects.get()
    assert quote.status == QuoteStatus.OPEN and quote.lines.get().unit_price == Decimal("2.40")
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.QUOTED
    page = owner.get(url("inquiry", inquiry)).content.decode()
    assert url("quote-withdraw", quote) in page


def test_change_goes_back_to_the_form_with_the_answers(owner, inquiry):
    response = owner.post(
        url("inquiry-quote", inquiry), quote_data(inquiry, step="change", conditions="FOB only")
    )
    html = response.content.decode()
    assert "Check the quote" in html and "FOB only" in html
    assert not Quote.objects.exists()


def test_a_services_refusal_lands_on_the_quote_field(owner, inquiry):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = owner.post(
        url("inquiry-quote", inquiry), quote_data(inquiry, step="confirm", valid_until=yesterday)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_valid_until_error"' in html and "already have expired" in html
    assert not Quote.objects.exists()


def test_a_refused_line_lands_on_its_items_field(owner, inquiry, monkeypatch):
    def refuse(**kwargs):
        raise ValidationFailed("Too cheap to be true.", field="lines[0].unit_price")

    monkeypatch.setattr(services, "quote_send", refuse)
    response = owner.post(url("inquiry-quote", inquiry), quote_data(inquiry, step="confirm"))
    item = inquiry.items.get()
    html = response.content.decode()
    assert f'id="id_price_{item.pk}_error"' in html and "Too cheap to be true." in html


def test_a_missing_price_is_refused_before_the_check_step(owner, inquiry):
    item = inquiry.items.get()
    response = owner.post(
        url("inquiry-quote", inquiry), quote_data(inquiry, step="check", **{f"price_{item.pk}": ""})
    )
    html = response.content.decode()
    assert f'id="id_price_{item.pk}_error"' in html and "Check your quote" not in html


def test_declining_asks_once_and_calls_the_service(owner, inquiry):
    page = owner.get(url("inquiry-decline", inquiry)).content.decode()
    assert "cannot be undone" in page
    response = owner.post(url("inquiry-decline", inquiry), {"reason": "Out of season."})
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.DECLINED and inquiry.status_reason == "Out of season."
    html = owner.get(url("inquiry", inquiry)).content.decode()
    assert url("inquiry-quote", inquiry) not in html
    assert owner.get(url("inquiry-decline", inquiry)).status_code == 302


def test_a_decline_needs_a_reason(owner, inquiry):
    response = owner.post(url("inquiry-decline", inquiry), {"reason": ""})
    assert 'id="id_reason_error"' in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.SENT


def test_withdrawing_an_open_quote(owner, inquiry, other_enterprise):
    quote = QuoteFactory(inquiry=inquiry)
    inquiry.status = InquiryStatus.QUOTED
    inquiry.save(update_fields=["status"])
    assert person_of(other_enterprise).get(url("quote-withdraw", quote)).status_code == 404
    assert "quote #" in owner.get(url("quote-withdraw", quote)).content.decode()
    response = owner.post(url("quote-withdraw", quote), {"reason": "Prices changed."})
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.WITHDRAWN


def test_an_accepted_quote_links_the_shipment_draft_with_its_readiness(owner, inquiry):
    from logistics.models import ShipmentDraft

    draft = ShipmentDraft.objects.create(
        enterprise=inquiry.enterprise,
        source="Quote",
        consignee_name="Kedai Buah Segar Sdn Bhd",
        consignee_country=factories.country("MY", "Malaysia"),
        destination=inquiry.destination,
        incoterm="CIF",
        readiness=[{"status": "met"}, {"status": "missing"}],
    )
    QuoteFactory(inquiry=inquiry, status=QuoteStatus.ACCEPTED, shipment_draft=draft)
    inquiry.status = InquiryStatus.ACCEPTED
    inquiry.save(update_fields=["status"])
    html = owner.get(url("inquiry", inquiry)).content.decode()
    assert reverse("portal:shipment-draft", kwargs={"pk": draft.pk}) in html
    assert "1 of 2 requirements of Malaysia are met" in html


# --- blocking ------------------------------------------------------------------------------------


def test_blocking_says_the_buyer_is_not_told_and_unblocking_asks_once(owner, inquiry):
    page = owner.get(url("buyer-block", inquiry)).content.decode()
    assert "will not be told" in page
    response = owner.post(url("buyer-block", inquiry), {"reason": "Spam"})
    assert response.status_code == 302 and response["Location"] == reverse("portal:blocked-buyers")
    block = BuyerBlock.objects.get()
    assert block.buyer == inquiry.buyer
    listed = owner.get(reverse("portal:blocked-buyers")).content.decode()
    assert "Kedai Buah Segar Sdn Bhd" in listed and "data-confirm" in listed
    assert "Block this buyer" not in owner.get(url("inquiry", inquiry)).content.decode()
    owner.post(url("buyer-unblock", block))
    assert not BuyerBlock.objects.exists()


def test_another_enterprises_block_is_not_found(owner, other_enterprise):
    theirs = BuyerBlockFactory(enterprise=other_enterprise)
    assert owner.post(url("buyer-unblock", theirs)).status_code == 404
    assert BuyerBlock.objects.filter(pk=theirs.pk).exists()
    assert (
        theirs.buyer.partner.name
        not in owner.get(reverse("portal:blocked-buyers")).content.decode()
    )


# --- the home card -------------------------------------------------------------------------------


def test_the_home_counts_the_inquiries_waiting_for_an_answer(owner, enterprise, inquiry):
    InquiryFactory(enterprise=enterprise, status=InquiryStatus.DECLINED)
    html = owner.get(HOME).content.decode()
    assert "Inquiries waiting for an answer" in html
    assert f'href="{LIST}?waiting=1"' in html


def test_the_home_has_no_card_without_waiting_inquiries(owner):
    assert "Inquiries waiting for an answer" not in owner.get(HOME).content.decode()


def test_the_home_card_costs_the_same_queries_however_many_wait(owner, enterprise):
    InquiryFactory(enterprise=enterprise)
    owner.get(HOME)  # the session's first request reads what later ones have cached
    with CaptureQueriesContext(connection) as one:
        owner.get(HOME)
    for _ in range(5):
        InquiryFactory(enterprise=enterprise)
    with CaptureQueriesContext(connection) as six:
        owner.get(HOME)
    assert len(six) == len(one)
