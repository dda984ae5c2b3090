"""The buyer's desk: a buyer's person sends an inquiry (form, check your answers, send), reads the
quotes and decides, through the services the API calls; another buyer's inquiry is a 404."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.trade.factories import (
    BuyerBlockFactory,
    BuyerFactory,
    InquiryFactory,
    QuoteFactory,
    buyer_person,
)
from trade.choices import InquiryStatus, QuoteStatus
from trade.models import Inquiry, InquiryMessage

pytestmark = pytest.mark.django_db

INQUIRIES = reverse("desk:inquiries")
NEW = reverse("desk:inquiry-new")


@pytest.fixture
def buyer(db):
    return BuyerFactory()


@pytest.fixture
def person(buyer):
    return buyer_person(buyer, language="en")


@pytest.fixture
def desk(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def product(db):
    factories.location("MYPKG", "Port Klang")
    return factories.ProductFactory(name_en="Danling late citrus", name_zh="丹棱晚熟柑橘")


def inquiry_data(product, **changes) -> dict:
    today = timezone.localdate()
    data = {
        f"quantity_{product.pk}": "2000",
        f"unit_{product.pk}": "kg",
        "destination_search": "MYPKG",
        "destination": "",
        "incoterm": "CIF",
        "delivery_from": (today + timedelta(days=30)).isoformat(),
        "delivery_to": (today + timedelta(days=60)).isoformat(),
        "notes": "5 kg cartons, English labels.",
    }
    data.update(changes)
    return data


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- the list ------------------------------------------------------------------------------------


def test_an_empty_list_sends_to_the_catalogue_and_the_promotions(desk):
    html = page(desk, INQUIRIES)
    assert reverse("public:catalogue") in html
    assert reverse("public:promotions") in html


def test_the_list_shows_only_the_buyers_inquiries_with_their_latest_quote(desk, buyer):
    mine = QuoteFactory(inquiry=InquiryFactory(buyer=buyer)).inquiry
    theirs = InquiryFactory()
    html = page(desk, INQUIRIES)
    assert reverse("desk:inquiry", args=[mine.pk]) in html
    assert reverse("desk:inquiry", args=[theirs.pk]) not in html
    assert "9,250.00" in html  # 500 kg × 18.50
    assert "1 inquiry" in html


def test_the_list_filters_by_status_and_says_how_many_match(desk, buyer):
    InquiryFactory(buyer=buyer)
    InquiryFactory(buyer=buyer, status=InquiryStatus.WITHDRAWN)
    assert "1 inquiry" in page(desk, f"{INQUIRIES}?status=withdrawn")
    assert "2 inquiries" in page(desk, f"{INQUIRIES}?status=nonsense")


def test_the_lists_queries_do_not_grow_with_its_rows(desk, buyer, django_assert_max_num_queries):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert desk.get(INQUIRIES).status_code == 200
        return len(queries)

    QuoteFactory(inquiry=InquiryFactory(buyer=buyer))
    few = count()
    for _ in range(5):
        QuoteFactory(inquiry=InquiryFactory(buyer=buyer))
    assert count() == few


# --- who may open the desk -----------------------------------------------------------------------


def test_another_buyers_inquiry_is_not_found(desk):
    theirs = InquiryFactory()
    assert desk.get(reverse("desk:inquiry", args=[theirs.pk])).status_code == 404
    assert desk.post(reverse("desk:inquiry-withdraw", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == InquiryStatus.SENT


def test_a_carriers_person_gets_the_not_a_buyer_page(client):
    client.force_login(factories.PartnerUserFactory(language="en"))
    response = client.get(INQUIRIES)
    assert response.status_code == 403
    assert "for overseas buyers" in response.content.decode()


def test_a_signed_out_visitor_signs_in_and_comes_back(client, product):
    address = f"{NEW}?product={product.pk}"
    response = client.get(address)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))
    assert "next=" in response["Location"]


# --- a new inquiry -------------------------------------------------------------------------------


def test_the_form_asks_for_each_product_of_one_exporter(desk, product):
    elsewhere = factories.ProductFactory(name_en="Zigong rabbit")
    sibling = factories.ProductFactory(enterprise=product.enterprise, name_en="Late orange")
    html = page(desk, f"{NEW}?product={product.pk}&product={elsewhere.pk}&product=x&product=999999")
    assert f'name="quantity_{product.pk}"' in html
    assert f'name="quantity_{elsewhere.pk}"' not in html
    assert "One inquiry goes to one exporter" in html
    assert f"{NEW}?product={elsewhere.pk}" in html
    assert f"product={product.pk}&amp;product={sibling.pk}" in html  # add the exporter's other one
    assert "1 product in the address is not in the catalogue" in html


def test_without_a_product_the_form_sends_to_the_catalogue(desk):
    html = page(desk, NEW)
    assert reverse("public:catalogue") in html
    assert "quantity_" not in html


def test_check_your_answers_then_send(desk, person, buyer, product, monkeypatch):
    address = f"{NEW}?product={product.pk}"
    checked = desk.post(address, {**inquiry_data(product), "step": "check"})
    html = checked.content.decode()
    assert checked.status_code == 200
    assert "Check your inquiry before sending it" in html
    assert Inquiry.objects.count() == 0
    sent = desk.post(address, {**inquiry_data(product, destination="MYPKG"), "step": "send"})
    inquiry = Inquiry.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == reverse("desk:inquiry", args=[inquiry.pk])
    assert (inquiry.buyer, inquiry.enterprise, inquiry.destination_id) == (
        buyer,
        product.enterprise,
        "MYPKG",
    )
    item = inquiry.items.get()
    assert (item.product, item.quantity, item.unit) == (product, Decimal("2000"), "kg")
    assert "was sent to" in page(desk, sent["Location"])


def test_change_your_answers_goes_back_to_the_form(desk, product):
    response = desk.post(f"{NEW}?product={product.pk}", {**inquiry_data(product), "step": "change"})
    html = response.content.decode()
    assert f'name="quantity_{product.pk}"' in html
    assert 'value="2000"' in html


def test_bad_answers_are_named_at_their_fields(desk, product):
    data = inquiry_data(product, destination_search="", delivery_to="2000-01-01")
    data[f"quantity_{product.pk}"] = "-3"
    response = desk.post(f"{NEW}?product={product.pk}", {**data, "step": "send"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'id="id_destination_search_error"' in html
    assert f'id="id_quantity_{product.pk}_error"' in html
    assert 'id="id_delivery_to_error"' in html
    assert Inquiry.objects.count() == 0


def send(desk, product):
    return desk.post(
        f"{NEW}?product={product.pk}",
        {**inquiry_data(product, destination="MYPKG"), "step": "send"},
    )


def test_a_buyer_over_its_rate_is_told_in_the_error_summary(desk, buyer, product, settings):
    settings.TRADE_INQUIRY_RATE = "1/day"
    InquiryFactory(buyer=buyer)
    response = send(desk, product)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "the most allowed; try again later" in html
    assert Inquiry.objects.filter(enterprise=product.enterprise).count() == 0


def test_an_exporter_that_blocked_the_buyer_reads_as_one_taking_no_inquiries(desk, buyer, product):
    BuyerBlockFactory(buyer=buyer, enterprise=product.enterprise)
    html = send(desk, product).content.decode()
    assert "does not take inquiries at the moment" in html
    assert "blocked" not in html.lower()
    assert Inquiry.objects.count() == 0


# --- one inquiry ---------------------------------------------------------------------------------


@pytest.fixture
def quoted(buyer):
    quote = QuoteFactory(inquiry=InquiryFactory(buyer=buyer, status=InquiryStatus.QUOTED))
    return quote


def test_the_inquiry_shows_its_quote_as_a_card(desk, quoted):
    html = page(desk, reverse("desk:inquiry", args=[quoted.inquiry.pk]))
    assert "18.50" in html
    assert "9,250.00" in html
    assert "14 days left" in html
    assert reverse("public:enterprise", args=[quoted.inquiry.enterprise.pk]) in html
    assert f"{reverse('desk:inquiry-accept', args=[quoted.inquiry.pk])}?quote={quoted.pk}" in html


def test_accepting_asks_once_then_calls_the_service(desk, quoted):
    address = reverse("desk:inquiry-accept", args=[quoted.inquiry.pk])
    html = page(desk, f"{address}?quote={quoted.pk}")
    assert "The other quotes on this inquiry lapse" in html
    response = desk.post(address, {"quote": quoted.pk})
    assert response.status_code == 302
    quoted.refresh_from_db()
    assert quoted.status == QuoteStatus.ACCEPTED
    html = page(desk, response["Location"])
    assert "the exporter is preparing the shipment" in html


def test_declining_a_quote_with_a_reason(desk, quoted):
    address = reverse("desk:inquiry-decline-quote", args=[quoted.inquiry.pk])
    response = desk.post(address, {"quote": quoted.pk, "reason": "Too dear"})
    assert response.status_code == 302
    quoted.refresh_from_db()
    assert quoted.status == QuoteStatus.DECLINED


def test_a_quote_of_another_inquiry_is_not_decided_here(desk, quoted, buyer):
    other = QuoteFactory(inquiry=InquiryFactory())
    address = reverse("desk:inquiry-accept", args=[quoted.inquiry.pk])
    response = desk.post(address, {"quote": other.pk})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.status == QuoteStatus.OPEN


def test_withdrawing_the_inquiry(desk, quoted):
    address = reverse("desk:inquiry-withdraw", args=[quoted.inquiry.pk])
    assert "Withdraw this inquiry?" in page(desk, address)
    assert desk.post(address, {"reason": ""}).status_code == 302
    quoted.inquiry.refresh_from_db()
    assert quoted.inquiry.status == InquiryStatus.WITHDRAWN
    timeline = page(desk, reverse("desk:inquiry", args=[quoted.inquiry.pk])).split("What happened")[
        1
    ]
    assert re.search(r"You sent the inquiry\..*sent Quote.*Withdrawn\.", timeline, re.S), timeline


def test_a_message_without_javascript_and_with_htmx(desk, quoted):
    address = reverse("desk:inquiry-message", args=[quoted.inquiry.pk])
    response = desk.post(address, {"body": "Can you ship in week 12?"})
    assert response.status_code == 302
    assert response["Location"].endswith("#thread")
    response = desk.post(address, {"body": "And 5 kg cartons?"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" not in html
    assert "And 5 kg cartons?" in html
    assert InquiryMessage.objects.filter(inquiry=quoted.inquiry).count() == 2


def test_an_empty_message_is_named_at_its_field(desk, quoted):
    response = desk.post(reverse("desk:inquiry-message", args=[quoted.inquiry.pk]), {"body": ""})
    assert response.status_code == 200
    assert 'id="id_body_error"' in response.content.decode()


def test_hostile_addresses_and_searches_are_no_error(desk, product):
    huge = "9" * 40
    assert desk.get(f"{NEW}?product={huge}&product=%EF%BC%91&event={huge}").status_code == 200
    places = reverse("desk:inquiry-new-places")
    assert desk.get(f"{places}?destination_search=MY%00PKG").status_code == 200
    data = inquiry_data(product, destination_search="MY\x00PKG", destination="MY\x00")
    assert desk.post(f"{NEW}?product={product.pk}", {**data, "step": "check"}).status_code == 200


def test_a_product_not_listed_in_the_catalogue_is_left_out(desk, product):
    product.listed_in_catalogue = False
    product.save()
    html = page(desk, f"{NEW}?product={product.pk}")
    assert f'name="quantity_{product.pk}"' not in html
    assert "1 product in the address is not in the catalogue" in html
