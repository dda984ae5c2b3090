import csv
import io
import re
from datetime import date
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from agri_platform.api.permissions import SCOPES
from analytics.models import Target
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

OVERVIEW = "/api/v1/analytics/overview/"
EXPORTS = "/api/v1/analytics/exports/"


def member_client(enterprise):
    return client_for(factories.MembershipFactory(enterprise=enterprise).user)


def test_staff_overview(world, staff_client, django_assert_max_num_queries):
    Target.objects.create(
        name="200",
        metric="verified_enterprises",
        value=200,
        unit="enterprises",
        deadline=date(2026, 12, 31),
    )
    # cold: two cube queries for every province table, small ones for the rest (it was 32 before
    # the cube, each a scan of the rollup)
    with django_assert_max_num_queries(20):
        response = staff_client.get(OVERVIEW)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["scope"] == "staff"
    assert body["window"] == {"from": "2025-04-01", "to": "2026-03-31"}
    assert body["totals"]["value_cny"] == "46800.00"  # decimals travel as exact strings
    assert body["totals"]["yoy_pct"] == "568.6"
    assert body["data_quality"]["unconverted_shipments"] == 1
    assert body["targets"][0]["pace_needed_per_month"] == "19.70"
    assert {r["key"] for r in body["by_region"]} == {"ASEAN", "RCEP", "EU"}
    # warm: the figures come from the cache; only auth and the live target rows hit the database
    with django_assert_max_num_queries(4):
        assert staff_client.get(OVERVIEW).json() == body


def test_staff_overview_query_count_does_not_grow_with_data(
    world, staff_client, django_assert_max_num_queries
):
    from . import factories as af

    for _ in range(20):
        af.shipment(factories.EnterpriseFactory(), destination="TH", lines=[("tea", "1", "1")])
    with django_assert_max_num_queries(20):
        assert staff_client.get(OVERVIEW).status_code == 200


def test_enterprise_overview_is_own_plus_suppressed(world, django_assert_max_num_queries):
    client = member_client(world["e1"])
    with django_assert_max_num_queries(28):
        body = client.get(OVERVIEW).json()
    with django_assert_max_num_queries(10):  # own figures live, province figures cached
        assert client.get(OVERVIEW).json() == body
    assert body["scope"] == "enterprise"
    assert body["own"]["totals"]["value_cny"] == "16000.00"
    assert body["own"]["totals"]["unconverted_shipments"] == 1
    assert body["province"]["totals"]["value_cny"] is None  # only two enterprises a month
    assert "targets" not in body


def test_exports_json_for_staff(world, staff_client):
    response = staff_client.get(
        EXPORTS, {"group_by": "destination", "from": "2026-01-01", "to": "2026-02-28"}
    )
    assert response.status_code == 200
    rows = {r["key"]: r for r in response.json()["province"]["rows"]}
    assert rows["FR"]["value_cny"] == "20000.00"
    assert rows["MY"]["volume_t"] == "3.000"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"group_by": "colour"}, "group_by"),
        ({}, "group_by"),
        ({"group_by": "month", "from": "2026-13-01"}, "from"),
        ({"group_by": "month", "to": "yesterday"}, "to"),
        ({"group_by": "month", "from": "2026-03-01", "to": "2026-02-01"}, "to"),
        ({"group_by": "month", "from": "2010-01-01", "to": "2026-02-01"}, "from"),
        ({"group_by": "month", "format": "pdf"}, "format"),
    ],
)
def test_bad_parameters_are_400_naming_the_field(staff_client, params, field):
    response = staff_client.get(EXPORTS, params)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert field in [e["field"] for e in response.json()["errors"]]


def test_bad_dates_on_overview(staff_client):
    response = staff_client.get(OVERVIEW, {"from": "01/02/2026"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "from"


def test_csv_export(world, staff_client):
    response = staff_client.get(
        EXPORTS, {"group_by": "category", "from": "2026-01-01", "to": "2026-02-28", "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert (
        'filename="exports-category-2026-01-01-2026-02-28.csv"' in response["Content-Disposition"]
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["scope"], r["key"], r["value_cny"], r["share_pct"]) for r in rows] == [
        ("province", "aquatic_products", "23600.00", "50.4"),
        ("province", "fruits", "23200.00", "49.6"),
        ("province", "TOTAL", "46800.00", "100.0"),
    ]
    assert rows[1]["unconverted_shipments"] == "1"


def test_xlsx_export(world, staff_client):
    response = staff_client.get(
        EXPORTS, {"group_by": "month", "from": "2026-01-01", "to": "2026-02-28", "format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = values[0]
    assert header[:3] == ["scope", "key", "label"]
    january = dict(zip(header, values[1], strict=True))
    assert january["key"] == "2026-01"
    assert D(str(january["value_cny"])) == D("26800.00")
    assert D(str(january["value_cny_prev"])) == D("7000.00")
    assert values[-1][1] == "TOTAL"


def test_enterprise_csv_has_own_rows_and_blank_suppressed_cells(world):
    client = member_client(world["e1"])
    response = client.get(EXPORTS, {"group_by": "category", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    own = [r for r in rows if r["scope"] == "own"]
    province = [r for r in rows if r["scope"] == "province"]
    assert [r["key"] for r in own] == ["fruits", "TOTAL"]
    assert own[0]["value_cny"] == "16000.00"
    assert province and all(r["value_cny"] == "" and r["suppressed"] == "True" for r in province)


def test_csv_quotes_formula_like_text(places, fx, staff_client):
    from . import factories as af

    af.shipment(factories.EnterpriseFactory(name_en="=HYPERLINK(1)"), lines=[("fruits", "1", "1")])
    response = staff_client.get(
        EXPORTS, {"group_by": "enterprise", "from": "2026-01-01", "format": "csv"}
    )
    assert "'=HYPERLINK(1)" in response.content.decode()


def test_partners_get_403(world):
    partner_user = factories.PartnerUserFactory()
    for client in (client_for(partner_user),):
        assert client.get(OVERVIEW).status_code == 403
        assert client.get(EXPORTS, {"group_by": "category"}).status_code == 403
    from tests.conftest import client_for_key

    key_client = client_for_key(world["carrier"], scopes=list(SCOPES))
    assert key_client.get(OVERVIEW).status_code == 403
    assert key_client.get(EXPORTS, {"group_by": "category", "format": "csv"}).status_code == 403


def test_anonymous_is_401_and_users_without_enterprise_403(db, api_client):
    assert api_client.get(OVERVIEW).status_code == 401
    assert client_for(factories.UserFactory()).get(OVERVIEW).status_code == 403


def test_money_with_cents_travels_with_exactly_two_decimals_on_every_path(world, staff_client):
    # 1234.56 CNY on top of the fixture: every sum now has cents, which a float-based SQL sum
    # (SQLite) would otherwise return as 15 significant digits.
    from tests.analytics import factories as af

    af.shipment(
        world["e3"],
        destination="FR",
        currency="CNY",
        departed_on=date(2026, 2, 6),
        lines=[("aquatic_products", "1234.56", "5")],
    )
    overview = staff_client.get(OVERVIEW).json()
    assert overview["totals"]["value_cny"] == "48034.56"
    table = staff_client.get(EXPORTS, {"group_by": "category"}).json()
    values = [row["value_cny"] for row in table["province"]["rows"]]
    assert "24834.56" in values  # aquatic: 20000 + 3600 + 1234.56
    assert all(v is None or re.fullmatch(r"\d+\.\d\d", v) for v in values)
