"""Figures against values computed by hand from the fixture in conftest.py."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.utils import translation

from analytics.models import Target
from analytics.selectors import windows
from analytics.selectors.exports import Viewer, exports
from analytics.selectors.overview import enterprise_overview, province_overview, staff_overview
from analytics.selectors.pipeline import certification_pipeline
from analytics.selectors.quality import cold_chain, data_quality
from analytics.selectors.suppression import province_table
from analytics.selectors.tables import grand_total, grouped
from analytics.selectors.targets import target_progress
from analytics.selectors.windows import Window
from tests import factories

from . import factories as af
from .conftest import NOW

pytestmark = pytest.mark.django_db

STAFF = Viewer(is_staff=True, enterprise_ids=())
WINDOW = Window(date(2025, 4, 1), date(2026, 3, 31))
JANUARY = Window(date(2026, 1, 1), date(2026, 1, 31))


def rows_by_key(table):
    return {row["key"]: row for row in table["rows"]}


def test_default_window_is_twelve_months_to_the_end_of_this_month():
    assert Window.default() == WINDOW
    assert WINDOW.previous() == Window(date(2024, 4, 1), date(2025, 3, 31))


def test_totals_convert_two_currencies_and_flag_the_missing_rate(world):
    body = exports(viewer=STAFF, group_by="category", window=WINDOW)
    total = body["province"]["total"]
    # 16000 (MYR 10000 × 1.6) + 10800 (USD 1500 × 7.2) + 20000 CNY; S4 has no MYR rate for Feb.
    assert total["value_cny"] == D("46800.00")
    assert total["volume_t"] == D("3.650")  # 2000 + 600 + 50 + 1000 kg, S4's weight counts
    assert total["shipments"] == 4  # S6 cancelled and S7 not departed are not exports
    assert total["enterprises"] == 3
    assert total["unconverted_shipments"] == 1
    assert total["value_cny_prev"] == D("7000.00")  # S5: USD 1000 × 7.0
    assert total["yoy_pct"] == D("568.6")  # (46800 - 7000) / 7000


def test_by_category_share_and_yoy(world):
    rows = rows_by_key(exports(viewer=STAFF, group_by="category", window=WINDOW)["province"])
    fruits, aquatic = rows["fruits"], rows["aquatic_products"]
    assert fruits["value_cny"] == D("23200.00")  # 16000 + 7200 (+ S4 unconverted)
    assert fruits["volume_t"] == D("3.500")
    assert fruits["shipments"] == 3 and fruits["enterprises"] == 2
    assert fruits["unconverted_shipments"] == 1
    assert fruits["share_pct"] == D("49.6")  # 23200 / 46800
    assert fruits["value_cny_prev"] == D("7000.00")
    assert fruits["yoy_pct"] == D("231.4")  # (23200 - 7000) / 7000
    assert aquatic["value_cny"] == D("23600.00")  # 3600 + 20000
    assert aquatic["share_pct"] == D("50.4")
    assert aquatic["value_cny_prev"] == D("0.00")
    assert aquatic["yoy_pct"] is None  # no base a year before
    assert list(rows) == ["aquatic_products", "fruits"]  # largest value first


@pytest.fixture
def in_chinese():
    with translation.override("zh-hans"):  # the default language, whatever an earlier test left
        yield


def test_by_destination_region_prefecture_enterprise(world, in_chinese):
    destination = rows_by_key(
        exports(viewer=STAFF, group_by="destination", window=WINDOW)["province"]
    )
    assert {k: r["value_cny"] for k, r in destination.items()} == {
        "FR": D("20000.00"),
        "MY": D("16000.00"),
        "TH": D("10800.00"),
    }
    assert destination["MY"]["label"] == "马来西亚"
    with translation.override("en"):
        english = exports(viewer=STAFF, group_by="destination", window=WINDOW)["province"]
    assert rows_by_key(english)["MY"]["label"] == "Malaysia"
    assert destination["MY"]["shipments"] == 2
    region = rows_by_key(exports(viewer=STAFF, group_by="region", window=WINDOW)["province"])
    assert region["ASEAN"]["value_cny"] == D("26800.00")
    assert region["RCEP"]["value_cny"] == D("26800.00")  # regions overlap
    assert region["EU"]["value_cny"] == D("20000.00")
    assert region["ASEAN"]["enterprises"] == 2
    prefecture = rows_by_key(
        exports(viewer=STAFF, group_by="prefecture", window=WINDOW)["province"]
    )
    assert prefecture["510100"]["value_cny"] == D("26800.00")
    assert prefecture["511800"]["value_cny"] == D("20000.00")
    assert prefecture["511800"]["label"] == "雅安市"
    assert region["ASEAN"]["label"] == "东盟"
    enterprise = rows_by_key(
        exports(viewer=STAFF, group_by="enterprise", window=WINDOW)["province"]
    )
    assert enterprise[world["e1"].pk]["value_cny"] == D("16000.00")
    assert enterprise[world["e1"].pk]["value_cny_prev"] == D("7000.00")
    assert enterprise[world["e1"].pk]["label"] == world["e1"].name_zh
    with translation.override("en"):
        english = exports(viewer=STAFF, group_by="enterprise", window=WINDOW)["province"]
    assert rows_by_key(english)[world["e1"].pk]["label"] == "E1 Citrus"


def test_by_month_lists_every_month_with_the_same_month_a_year_before(world):
    rows = exports(viewer=STAFF, group_by="month", window=WINDOW)["province"]["rows"]
    assert [r["key"] for r in rows][:2] == ["2025-04", "2025-05"]
    assert len(rows) == 12
    by_key = {r["key"]: r for r in rows}
    assert by_key["2026-01"]["value_cny"] == D("26800.00")
    assert by_key["2026-01"]["value_cny_prev"] == D("7000.00")
    assert by_key["2026-01"]["yoy_pct"] == D("282.9")  # (26800 - 7000) / 7000
    assert by_key["2026-02"]["value_cny"] == D("20000.00")
    assert by_key["2026-02"]["unconverted_shipments"] == 1
    assert by_key["2025-05"]["value_cny"] == D("0.00")


def test_window_bounds_are_inclusive(world):
    body = exports(
        viewer=STAFF, group_by="category", window=Window(date(2026, 1, 10), date(2026, 1, 20))
    )
    assert body["province"]["total"]["value_cny"] == D("26800.00")  # S1 and S2, both ends


def test_targets_progress_and_pace(world):
    Target.objects.create(
        name="200 enterprises",
        metric="verified_enterprises",
        value=200,
        unit="enterprises",
        deadline=date(2026, 12, 31),
    )
    Target.objects.create(
        name="10 bn",
        metric="export_value_cny_12m",
        value=10_000_000_000,
        unit="CNY",
        deadline=date(2027, 12, 31),
    )
    Target.objects.create(
        name="old",
        metric="verified_enterprises",
        value=2,
        unit="enterprises",
        deadline=date(2025, 12, 31),
    )
    by_name = {t["name"]: t for t in target_progress()}
    enterprises = by_name["200 enterprises"]
    assert enterprises["current"] == 3  # three verified, the pending one does not count
    assert enterprises["months_remaining"] == 10  # March..December 2026
    assert enterprises["gap"] == 197
    assert enterprises["pace_needed_per_month"] == D("19.70")
    assert enterprises["progress_pct"] == D("1.5")
    assert enterprises["status"] == "open"
    value = by_name["10 bn"]
    assert value["current"] == D("46800.00")  # trailing 12 months 2025-04..2026-03
    assert value["months_remaining"] == 22
    assert value["pace_needed_per_month"] == D("454543327.27")  # 9 999 953 200 / 22
    assert by_name["old"]["status"] == "met"
    assert by_name["old"]["pace_needed_per_month"] is None


def test_certification_pipeline(world):
    e1, e2, e3 = world["e1"], world["e2"], world["e3"]
    af.application(e1, submitted=af.utc(2026, 1, 1), decided=af.utc(2026, 1, 11), status="approved")
    af.application(e2, submitted=af.utc(2026, 1, 1), decided=af.utc(2026, 2, 10), status="rejected")
    af.application(e3, submitted=af.utc(2026, 2, 1), decided=af.utc(2026, 2, 21), status="approved")
    af.application(e1, submitted=af.utc(2025, 12, 1), status="under_review")  # due 12-31: overdue
    af.application(e2, submitted=af.utc(2026, 3, 1), status="under_review")  # due 03-31: fine
    af.application(e2, submitted=None, status="draft")
    af.certificate(e1, valid_until=date(2026, 5, 1))  # 47 days: expiring
    af.certificate(e1, valid_until=date(2026, 6, 13))  # day 90: expiring
    af.certificate(e2, valid_until=date(2026, 7, 1))  # 108 days: not yet
    af.certificate(e2, valid_until=date(2026, 4, 1), in_force=False, status="revoked")
    af.certificate(e3, valid_until=date(2026, 3, 1))  # already past
    pipeline = certification_pipeline(WINDOW)
    assert pipeline["by_status"] == {"approved": 2, "draft": 1, "under_review": 2, "rejected": 1}
    assert pipeline["decided_in_window"] == 3
    assert pipeline["review_days_median"] == D("20.0")  # 10, 20, 40 days
    assert pipeline["review_days_p90"] == D("36.0")  # 20 + 0.8 × (40 - 20)
    assert pipeline["sla_breached_decided"] == 1  # the 40-day review
    assert pipeline["sla_breached_open"] == 1
    assert pipeline["expiring_90d"] == 2


def test_cold_chain_quality(world):
    quality = cold_chain(WINDOW)
    assert quality["shipments"] == 4
    assert quality["no_excursion_pct"] == D("50.0")  # S1 and S3 clean
    assert quality["excursion_minutes_per_shipment"] == D("15.0")  # (45 + 15) / 4
    carriers = {row["carrier"]: row for row in quality["by_carrier"]}
    assert carriers["Shudao Cold Chain"]["shipments"] == 2
    assert carriers["Shudao Cold Chain"]["no_excursion_pct"] == D("50.0")
    assert carriers["(no carrier)"]["excursion_minutes_per_shipment"] == D("7.5")
    routes = {row["route"]: row for row in quality["by_route"]}
    assert routes["CNCTU-MYPKG"]["shipments"] == 2
    assert routes["CNCTU-MYPKG"]["excursion_minutes_per_shipment"] == D("7.5")


def test_data_quality_lists_the_missing_rates(world):
    quality = data_quality(WINDOW)
    assert quality["unconverted_shipments"] == 1
    assert quality["missing_fx_rates"] == [
        {"currency": "MYR", "month": "2026-02", "shipments": 1, "declared_value": D("5000.00")}
    ]


def test_staff_overview_blocks(world):
    overview = staff_overview(WINDOW)
    assert overview["totals"]["value_cny"] == D("46800.00")
    assert overview["destinations_count"] == 3
    assert overview["data_quality"]["unconverted_shipments"] == 1
    assert [r["key"] for r in overview["top_destinations"]] == ["FR", "MY", "TH"]
    assert overview["cold_chain"]["shipments"] == 4
    assert NOW.date() == windows.today()


# --- suppression ---------------------------------------------------------------------------------


@pytest.fixture
def month_of_four(places, fx):
    """January 2026: fruits from A, B, C (3); vegetables from A, B, D (3); aquatic from D (1)."""
    a, b, c, d = (factories.EnterpriseFactory(name_en=n) for n in "ABCD")
    for enterprise in (a, b, c):
        af.shipment(enterprise, lines=[("fruits", "1000", "10")])
    for enterprise in (a, b, d):
        af.shipment(enterprise, lines=[("vegetables", "2000", "10")])
    af.shipment(d, lines=[("aquatic_products", "500", "10")])
    return {"A": a, "B": b, "C": c, "D": d}


def province_rows(enterprise, group_by="category", window=JANUARY):
    body = exports(
        viewer=Viewer(is_staff=False, enterprise_ids=(enterprise.pk,)),
        group_by=group_by,
        window=window,
    )
    return body, rows_by_key(body["province"])


def test_group_of_three_is_shown_group_of_one_is_hidden_with_its_complement(month_of_four):
    body, rows = province_rows(month_of_four["A"])
    assert rows["aquatic_products"]["suppressed"] is True
    assert rows["aquatic_products"]["value_cny"] is None
    # aquatic alone would be total - fruits - vegetables: the smaller shown group goes too.
    assert rows["fruits"]["suppressed"] is True
    assert rows["fruits"]["value_cny"] is None
    assert rows["vegetables"]["suppressed"] is False
    assert rows["vegetables"]["value_cny"] == D("6000.00")
    assert rows["vegetables"]["share_pct"] == D("63.2")  # 6000 / 9500
    assert body["province"]["total"]["value_cny"] == D("9500.00")
    # own figures are never suppressed
    own = rows_by_key(body["own"])
    assert own["fruits"]["value_cny"] == D("1000.00")
    assert own["vegetables"]["value_cny"] == D("2000.00")


def test_two_enterprises_are_suppressed_and_no_complement_is_needed(month_of_four, places):
    e, f = factories.EnterpriseFactory(), factories.EnterpriseFactory()
    af.shipment(e, lines=[("tea", "300", "1")])
    af.shipment(f, lines=[("tea", "300", "1")])
    # hidden: aquatic (D) and tea (E, F) together come from three enterprises
    _, rows = province_rows(month_of_four["A"])
    assert rows["tea"]["suppressed"] is True and rows["tea"]["value_cny"] is None
    assert rows["aquatic_products"]["suppressed"] is True
    assert rows["fruits"]["suppressed"] is False
    assert rows["fruits"]["value_cny"] == D("3000.00")
    assert rows["vegetables"]["value_cny"] == D("6000.00")


def test_a_month_with_fewer_than_three_enterprises_hides_the_total(world):
    body, rows = province_rows(world["e1"], window=WINDOW)
    # January has E1 and E2 only, February E1 and E3: nothing of the province can be shown.
    assert body["province"]["total"]["suppressed"] is True
    assert body["province"]["total"]["value_cny"] is None
    assert all(row["value_cny"] is None for row in rows.values())
    assert rows_by_key(body["own"])["fruits"]["value_cny"] == D("16000.00")


def test_enterprise_never_sees_province_rows_by_enterprise(month_of_four):
    body, rows = province_rows(month_of_four["A"], group_by="enterprise")
    assert rows == {}
    assert list(rows_by_key(body["own"])) == [month_of_four["A"].pk]


def test_enterprise_windows_are_whole_months(month_of_four):
    body, _ = province_rows(month_of_four["A"], window=Window(date(2026, 1, 12), date(2026, 1, 20)))
    assert body["window"] == {"from": "2026-01-01", "to": "2026-01-31"}


def test_previous_year_cells_are_suppressed_on_their_own(month_of_four):
    af.shipment(
        month_of_four["A"], departed_on=date(2025, 1, 10), lines=[("vegetables", "100", "1")]
    )
    _, rows = province_rows(month_of_four["A"])
    assert rows["vegetables"]["value_cny"] == D("6000.00")
    assert rows["vegetables"]["value_cny_prev"] is None  # a year before: one enterprise
    assert rows["vegetables"]["yoy_pct"] is None


def test_enterprise_overview_shows_own_beside_province(month_of_four):
    viewer = Viewer(is_staff=False, enterprise_ids=(month_of_four["D"].pk,))
    overview = enterprise_overview(viewer, Window(date(2026, 1, 1), date(2026, 1, 31)))
    assert overview["own"]["totals"]["value_cny"] == D("2500.00")
    assert overview["province"]["totals"]["value_cny"] == D("9500.00")
    categories = rows_by_key({"rows": overview["province"]["by_category"]})
    assert categories["aquatic_products"]["value_cny"] is None
    assert "targets" not in overview and "top_enterprises" not in overview["province"]


# --- the whole-month path reads only the small tables ----------------------------------------------


def test_province_figures_over_whole_months_read_only_the_cube(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        staff_overview(WINDOW)
        province_overview(WINDOW, NOW.date())
        for group_by in ["category", "destination", "region", "prefecture", "month", "enterprise"]:
            province_table(group_by, WINDOW)
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "analytics_exportcube" in sql and "analytics_exportpresence" in sql
    assert "analytics_exportrollup" not in sql and "analytics_shipmentfactline" not in sql
    # only data quality reads the facts: the unconverted ones, through their partial index
    assert sql.count('FROM "analytics_shipmentfact"') == 1


def test_a_table_is_two_small_queries(world, django_assert_num_queries):
    total = grand_total(WINDOW)
    with django_assert_num_queries(2):  # cube sums + presence distinct counts
        grand_total(WINDOW)
    with django_assert_num_queries(2):  # category labels need no query
        grouped("category", WINDOW, total=total)
    with django_assert_num_queries(3):  # + country names
        grouped("destination", WINDOW, total=total)
    with django_assert_num_queries(3):  # regions, their cube rows and presence masks
        grouped("region", WINDOW, total=total)
    with django_assert_num_queries(1):  # one row per month, enterprises counted per month
        grouped("month", WINDOW, total=total)


def test_cold_chain_and_overview_agree_between_the_cube_and_the_facts(world):
    aligned = Window(date(2026, 1, 1), date(2026, 3, 31))
    ragged = Window(date(2025, 12, 31), date(2026, 3, 31))  # not whole months: read the facts
    assert cold_chain(aligned) == cold_chain(ragged)
    assert cold_chain(aligned, breakdown=False) == cold_chain(ragged, breakdown=False)
    fast, exact = staff_overview(aligned), staff_overview(ragged)
    for block in ("totals", "by_category", "by_region", "top_destinations", "top_enterprises"):
        assert fast[block] == exact[block]
