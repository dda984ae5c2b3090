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


def csv_rows(response) -> list[dict]:
    """The CSV's rows by column; the file starts with a UTF-8 BOM (for Excel)."""
    assert response.content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


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
        EXPORTS,
        {
            "group_by": "category",
            "from": "2026-01-01",
            "to": "2026-02-28",
            "format": "csv",
            "headers": "keys",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert (
        'filename="exports-category-2026-01-01-2026-02-28.csv"' in response["Content-Disposition"]
    )
    rows = csv_rows(response)
    assert [(r["scope"], r["key"], r["value_cny"], r["share_pct"]) for r in rows] == [
        ("全省", "aquatic_products", "23600.00", "50.4"),
        ("全省", "fruits", "23200.00", "49.6"),
        ("全省", "TOTAL", "46800.00", "100.0"),
    ]
    assert rows[-1]["label"] == "合计"
    assert rows[1]["unconverted_shipments"] == "1"


def test_xlsx_export(world, staff_client):
    response = staff_client.get(
        EXPORTS,
        {
            "group_by": "month",
            "from": "2026-01-01",
            "to": "2026-02-28",
            "format": "xlsx",
            "headers": "keys",
        },
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
    response = client.get(
        EXPORTS,
        {"group_by": "category", "format": "csv", "headers": "keys"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    rows = csv_rows(response)
    own = [r for r in rows if r["scope"] == "Own enterprises"]
    province = [r for r in rows if r["scope"] == "Province"]
    assert [r["key"] for r in own] == ["fruits", "TOTAL"]
    assert own[0]["value_cny"] == "16000.00"
    assert province and all(r["value_cny"] == "" and r["suppressed"] == "yes" for r in province)


def test_csv_quotes_formula_like_text(places, fx, staff_client):
    from . import factories as af

    af.shipment(
        factories.EnterpriseFactory(name_en="=HYPERLINK(1)", name_zh="=HYPERLINK(1)"),
        lines=[("fruits", "1", "1")],
    )
    response = staff_client.get(
        EXPORTS, {"group_by": "enterprise", "from": "2026-01-01", "format": "csv"}
    )
    assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")


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


# --- exports in the reader's language -------------------------------------------------------------

CATEGORY_CSV = {"group_by": "category", "from": "2026-01-01", "to": "2026-02-28", "format": "csv"}


@pytest.mark.parametrize(
    ("language", "header", "suppressed"),
    [
        (
            "zh-hans",
            ["范围", "代码", "名称", "已隐藏", "运单数", "企业数", "出口额（人民币元）"],
            "否",
        ),
        ("en", ["Scope", "Code", "Name", "Suppressed", "Shipments", "Enterprises"], "no"),
    ],
)
def test_csv_header_row_and_booleans_in_the_callers_language(
    world, staff_client, language, header, suppressed
):
    response = staff_client.get(EXPORTS, CATEGORY_CSV, HTTP_ACCEPT_LANGUAGE=language)
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the file as UTF-8
    lines = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert lines[0][: len(header)] == header
    assert {line[3] for line in lines[1:]} == {suppressed}
    assert lines[1][6] == "23600.00"  # numbers stay numbers: no 万 in a file for computing


def test_headers_keys_gives_the_json_keys_in_any_language(world, staff_client):
    response = staff_client.get(EXPORTS, {**CATEGORY_CSV, "headers": "keys"})
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[:4] == ["scope", "key", "label", "suppressed"]
    assert header[-1] == "volume_yoy_pct"


def test_unknown_headers_value_is_400(staff_client):
    response = staff_client.get(EXPORTS, {**CATEGORY_CSV, "headers": "fancy"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "headers"


def test_csv_labels_places_in_chinese(world, staff_client):
    response = staff_client.get(EXPORTS, {**CATEGORY_CSV, "group_by": "destination"})
    labels = {row["代码"]: row["名称"] for row in csv_rows(response)}
    assert labels["MY"] == "马来西亚" and labels["FR"] == "法国" and labels["TOTAL"] == "合计"


def xlsx_sheet(response):
    return load_workbook(io.BytesIO(response.content)).worksheets[0]


def test_xlsx_freezes_its_header_row_and_fits_its_columns(world, staff_client):
    params = {**CATEGORY_CSV, "group_by": "region", "format": "xlsx"}
    sheet = xlsx_sheet(staff_client.get(EXPORTS, params))
    assert sheet.freeze_panes == "A2"
    assert sheet.title == "目的地区（经贸组织）"
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["范围", "代码", "名称"]
    widths = {
        title: sheet.column_dimensions[chr(ord("A") + index)].width
        for index, title in enumerate(header)
    }
    # CJK characters count double: 名称 holds 东盟 / 欧盟 / RCEP 成员国 (4 + 1 + 3 × 2 = 11 columns) + 2
    assert widths["名称"] == 13
    assert widths["上年同期出口额（人民币元）"] == 2 * 13 + 2
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert {row[2] for row in values} >= {"东盟", "欧盟", "合计"}
    assert all(isinstance(row[6], (int, float)) for row in values)  # numbers, not text


def test_xlsx_in_english(world, staff_client):
    params = {**CATEGORY_CSV, "format": "xlsx"}
    workbook = load_workbook(
        io.BytesIO(staff_client.get(EXPORTS, params, HTTP_ACCEPT_LANGUAGE="en").content)
    )
    sheet, about = workbook.worksheets
    assert sheet.title == "Product category" and about.title == "About"
    assert [cell.value for cell in sheet[1]][:3] == ["Scope", "Code", "Name"]
    assert sheet["D2"].value == "no" and sheet["A2"].value == "Province"
    assert about["A1"].value == "Grouped by" and about["B1"].value == "Product category"
