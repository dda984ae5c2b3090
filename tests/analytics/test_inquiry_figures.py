"""The inquiry pipeline on the dashboard and for each enterprise (issue 17, "Figures").

Today is 2026-03-15 12:00 UTC (tests/analytics/conftest.py): the default window is
2025-04-01..2026-03-31.

| inquiry | enterprise | to | items | sent | first answer | where it got |
| i1 | E1 | MY | fruits 500 kg | 03-01 00:00 | +10 h | accepted, shipment dispatched: shipped |
| i2 | E1 | MY | fruits 500 kg | 03-02 00:00 | +30 h | quoted (open quote) |
| i3 | E1 | SG | tea 2 t, fruits 10 cartons | 03-03 00:00 | +60 h | declined |
| i4 | E1 | SG | tea 100 kg | 03-10 00:00 | none | withdrawn after 1 h (not due) |
| i5 | E2 | MY | fruits 500 kg | 03-05 00:00 | none | awaiting an answer (due) |
| i7 | E2 | MY | fruits 500 kg | 03-06 00:00 | +5 h | accepted, draft not booked |
| i0 | E1 | MY | fruits 500 kg | 2024-06-01 | | outside the window |
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from agri_platform.reference.choices import ExportCategory
from analytics.selectors.inquiries import Scope, inquiry_figures
from analytics.selectors.windows import Window
from logistics.models import ShipmentDraft
from tests import factories
from tests.conftest import client_for, client_for_key
from tests.logistics.factories import ShipmentFactory
from tests.trade.factories import BuyerFactory, InquiryFactory, QuoteFactory, buyer_person
from trade.models import Inquiry

pytestmark = pytest.mark.django_db

URL = "/api/v1/analytics/inquiries/"
WINDOW = Window(datetime(2025, 4, 1).date(), datetime(2026, 3, 31).date())


def at(day: str, hours: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC) + timedelta(hours=hours)


def item(product, quantity="500", unit="kg") -> dict:
    return {"product": product, "quantity": Decimal(quantity), "unit": unit}


def inquiry(enterprise, port, items, sent, *, answered_after=None, status="sent", closed=None):
    made = InquiryFactory(enterprise=enterprise, destination=port, items=items)
    Inquiry.objects.filter(pk=made.pk).update(
        created_at=sent,
        first_response_at=None if answered_after is None else sent + answered_after,
        status=status,
        closed_at=closed,
    )
    made.refresh_from_db()
    return made


def accepted_quote(made, *, dispatched: bool):
    draft = ShipmentDraft.objects.create(
        enterprise=made.enterprise,
        source="quote",
        consignee_name="Buyer",
        consignee_country=made.destination.country,
        destination=made.destination,
        incoterm="CIF",
    )
    if dispatched:
        draft.shipment = ShipmentFactory(
            enterprise=made.enterprise,
            status="in_transit",
            dispatched_at=at("2026-03-08"),
        )
        draft.save()
    return QuoteFactory(inquiry=made, status="accepted", shipment_draft=draft)


@pytest.fixture
def trade(db):
    e1 = factories.EnterpriseFactory(name_en="Danling Citrus Co-op")
    e2 = factories.EnterpriseFactory(name_en="Pujiang Kiwi")
    klang = factories.location("MYPKG", "Port Klang")
    singapore = factories.location("SGSIN", "Singapore")
    fruit1 = factories.ProductFactory(enterprise=e1)
    tea1 = factories.ProductFactory(enterprise=e1, category=ExportCategory.TEA, name_en="Tea")
    fruit2 = factories.ProductFactory(enterprise=e2)
    hours = timedelta(hours=1)
    i1 = inquiry(e1, klang, [item(fruit1)], at("2026-03-01"), answered_after=10 * hours)
    accepted_quote(i1, dispatched=True)
    Inquiry.objects.filter(pk=i1.pk).update(status="accepted")
    i2 = inquiry(
        e1, klang, [item(fruit1)], at("2026-03-02"), answered_after=30 * hours, status="quoted"
    )
    QuoteFactory(inquiry=i2)
    inquiry(
        e1,
        singapore,
        [item(tea1, "2", "t"), item(fruit1, "10", "carton")],
        at("2026-03-03"),
        answered_after=60 * hours,
        status="declined",
    )
    inquiry(
        e1,
        singapore,
        [item(tea1, "100")],
        at("2026-03-10"),
        status="withdrawn",
        closed=at("2026-03-10", 1),
    )
    inquiry(e2, klang, [item(fruit2)], at("2026-03-05"))
    i7 = inquiry(
        e2, klang, [item(fruit2)], at("2026-03-06"), answered_after=5 * hours, status="accepted"
    )
    accepted_quote(i7, dispatched=False)
    inquiry(e1, klang, [item(fruit1)], at("2024-06-01"), answered_after=hours)
    return {"e1": e1, "e2": e2}


def test_pipeline_counts_each_stage(trade):
    figures = inquiry_figures(WINDOW, Scope())
    assert figures["totals"] == {
        "inquiries": 6,
        "quoted": 3,  # i1, i2, i7: a quote was sent (i3 was declined without one)
        "accepted": 2,
        "shipped": 1,  # i7's draft was never booked
        "declined": 1,
        "withdrawn": 1,
        "open": 1,
    }
    assert figures["conversion"] == {
        "quoted_pct": Decimal("50.0"),
        "accepted_of_quoted_pct": Decimal("66.7"),
        "shipped_of_accepted_pct": Decimal("50.0"),
        "accepted_pct": Decimal("33.3"),
    }


def test_by_market_and_by_category(trade):
    with translation.override("zh-hans"):
        figures = inquiry_figures(WINDOW, Scope())
    by_market = {row["key"]: row for row in figures["by_market"]}
    assert [row["key"] for row in figures["by_market"]] == ["MY", "SG"]  # most inquiries first
    assert (by_market["MY"]["inquiries"], by_market["MY"]["accepted"]) == (4, 2)
    assert (by_market["SG"]["inquiries"], by_market["SG"]["declined"]) == (2, 1)
    by_category = {row["key"]: row for row in figures["by_category"]}
    # i3 asks for tea and fruits: it counts in both, so the categories add up to more than 6
    assert by_category["fruits"]["inquiries"] == 5
    assert by_category["tea"]["inquiries"] == 2
    assert by_category["tea"]["label"] == "茶叶"  # in the reader's language


def test_response_times_median_p90_and_48h(trade):
    response = inquiry_figures(WINDOW, Scope())["response"]
    overall = response["overall"]
    # answered after 5, 10, 30 and 60 h
    assert overall["answered"] == 4
    assert overall["hours_median"] == Decimal("20.0")
    assert overall["hours_p90"] == Decimal("51.0")
    # due: the 4 answered and i5 (unanswered for 9 days); i4 was withdrawn within the hour
    assert overall["within_48h_pct"] == Decimal("60.0")
    slowest = response["by_enterprise"]
    assert [row["key"] for row in slowest] == [trade["e1"].pk, trade["e2"].pk]
    assert slowest[0]["hours_median"] == Decimal("30.0")


def test_which_markets_ask_for_what(trade):
    asked = inquiry_figures(WINDOW, Scope())["asked"]
    assert [c["key"] for c in asked["categories"]] == ["fruits", "tea"]
    rows = {row["key"]: row["cells"] for row in asked["rows"]}
    assert rows["MY"]["fruits"] == {"inquiries": 4, "tonnes": Decimal("2.000"), "other_units": 0}
    assert rows["SG"]["tea"] == {"inquiries": 2, "tonnes": Decimal("2.100"), "other_units": 0}
    assert rows["SG"]["fruits"] == {"inquiries": 1, "tonnes": Decimal("0.000"), "other_units": 1}
    assert "tea" not in rows["MY"]


def test_staff_see_the_province_and_can_focus_on_one_enterprise(trade, staff_client):
    body = staff_client.get(URL).json()
    assert body["scope"] == "province" and body["totals"]["inquiries"] == 6
    assert body["province_response"] is None
    assert body["response"]["overall"]["hours_median"] == "20.0"  # exact decimal strings
    focused = staff_client.get(URL, {"enterprise": trade["e2"].pk}).json()
    assert focused["totals"]["inquiries"] == 2
    assert focused["enterprise_ids"] == [trade["e2"].pk]
    missing = staff_client.get(URL, {"enterprise": 987654})
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["field"] == "enterprise"


def test_an_enterprise_sees_only_its_own(trade):
    member = client_for(factories.MembershipFactory(enterprise=trade["e1"]).user)
    body = member.get(URL).json()
    assert body["scope"] == "enterprise"
    assert body["enterprise_ids"] == [trade["e1"].pk]
    assert body["totals"]["inquiries"] == 4
    assert [row["key"] for row in body["response"]["by_enterprise"]] == [trade["e1"].pk]
    # two enterprises answered in the window: the province's figures are suppressed
    assert body["province_response"]["suppressed"] is True
    assert body["province_response"]["hours_median"] is None
    other = member.get(URL, {"enterprise": trade["e2"].pk})
    missing = member.get(URL, {"enterprise": 987654})
    assert other.status_code == missing.status_code == 404
    assert other.json()["errors"] == missing.json()["errors"]


def test_province_response_shown_once_three_enterprises_answered(trade):
    e3 = factories.EnterpriseFactory()
    port = factories.location("MYPKG", "Port Klang")
    inquiry(
        e3,
        port,
        [item(factories.ProductFactory(enterprise=e3))],
        at("2026-03-07"),
        answered_after=timedelta(hours=2),
        status="quoted",
    )
    figures = inquiry_figures(WINDOW, Scope((trade["e1"].pk,)), with_province=True)
    assert figures["province_response"]["suppressed"] is False
    assert figures["province_response"]["answered"] == 5


def test_partners_and_buyers_are_refused(trade):
    buyer = BuyerFactory()
    assert client_for(buyer_person(buyer)).get(URL).status_code == 403
    assert client_for_key(buyer.partner, scopes=["trade:read"]).get(URL).status_code == 403


def test_bad_parameters_are_400s_naming_the_field(staff_client):
    for params, field in (({"enterprise": "x"}, "enterprise"), ({"from": "2026-13-01"}, "from")):
        response = staff_client.get(URL, params)
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == field


def test_query_count_does_not_grow_with_rows(trade, staff_client):
    staff_client.get(URL)  # the first request also looks up its token
    with CaptureQueriesContext(connection) as few:
        staff_client.get(URL)
    e3 = factories.EnterpriseFactory()
    product = factories.ProductFactory(enterprise=e3)
    for day in range(1, 6):
        inquiry(
            e3,
            factories.location("AEJEA", "Jebel Ali"),
            [item(product)],
            at(f"2026-02-0{day}"),
            answered_after=timedelta(hours=day),
        )
    with CaptureQueriesContext(connection) as many:
        body = staff_client.get(URL).json()
    assert body["totals"]["inquiries"] == 11
    assert len(many) == len(few) <= 12


def test_dashboard_shows_the_pipeline_section(trade, staff_user):
    client = Client()
    client.force_login(staff_user)
    html = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Inquiries from overseas buyers" in html
    assert "Inquiry pipeline: how far the inquiries got" in html  # the funnel's SVG
    assert "Danling Citrus Co-op" in html and "Which markets ask for what" in html
    zh = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "海外采购商询盘" in zh


def test_portal_home_shows_the_enterprise_its_own_inquiries(trade):
    user = factories.MembershipFactory(enterprise=trade["e1"], user__language="en").user
    client = Client()
    client.force_login(user)
    html = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Inquiries from overseas buyers" in html
    assert "How fast you answer" in html
    assert "not shown: too few enterprises answered" in html
    assert "Pujiang Kiwi" not in html
