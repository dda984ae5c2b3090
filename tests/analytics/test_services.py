from datetime import date
from decimal import Decimal as D

import pytest

from agri_platform.api.errors import ValidationFailed
from analytics import services
from analytics.models import FxRate, ShipmentFact, ShipmentFactLine
from analytics.selectors.exports import Viewer, exports
from analytics.selectors.tables import grouped
from analytics.selectors.windows import Window
from tests import factories

from . import factories as af

pytestmark = pytest.mark.django_db
STAFF = Viewer(is_staff=True, enterprise_ids=())
JAN = Window(date(2026, 1, 1), date(2026, 1, 31))


def total(window=JAN):
    return exports(viewer=STAFF, group_by="category", window=window)["province"]["total"]


def test_upsert_is_idempotent_and_replaces_lines(places, fx):
    enterprise = factories.EnterpriseFactory()
    kwargs = {"shipment_id": 42, "currency": "USD"}
    af.shipment(enterprise, lines=[("fruits", "100", "10"), ("fruits", "50", "5")], **kwargs)
    af.shipment(enterprise, lines=[("fruits", "100", "10"), ("fruits", "50", "5")], **kwargs)
    fact = ShipmentFact.objects.get(shipment_id=42)
    assert ShipmentFact.objects.count() == 1
    line = ShipmentFactLine.objects.get(fact=fact)  # same category lines are merged
    assert (line.declared_value, line.net_kg, line.value_cny) == (
        D("150.00"),
        D("15"),
        D("1080.00"),
    )
    assert fact.value_cny == D("1080.00") and fact.prefecture_id == enterprise.prefecture_id
    af.shipment(enterprise, lines=[("tea", "10", "1"), ("spices", "20", "2")], **kwargs)
    assert sorted(fact.lines.values_list("category", flat=True)) == ["spices", "tea"]
    assert ShipmentFact.objects.get(shipment_id=42).value_cny == D("216.00")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lines": [("coffee", "1", "1")]}, "lines[0].category"),
        ({"lines": []}, "lines"),
        ({"lines": [("fruits", "-1", "1")]}, "lines[0]"),
        ({"destination": "ZZ"}, "destination_code"),
        ({"currency": "US"}, "currency"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(places, change, field):
    enterprise = factories.EnterpriseFactory()
    with pytest.raises(ValidationFailed) as error:
        af.shipment(enterprise, **change)
    assert error.value.field == field
    assert not ShipmentFact.objects.exists()


def test_unknown_enterprise_is_refused(places):
    class Missing:
        pk = 999999

    with pytest.raises(ValidationFailed) as error:
        af.shipment(Missing())
    assert error.value.field == "enterprise_id"


def test_missing_rate_is_flagged_never_zero(places):
    fact = af.shipment(
        factories.EnterpriseFactory(), currency="THB", lines=[("fruits", "100", "1")]
    )
    assert fact.value_cny is None and fact.fx_missing is True
    assert fact.lines.get().value_cny is None


def test_setting_a_rate_reconverts_that_month_only(places, fx):
    enterprise = factories.EnterpriseFactory()
    jan = af.shipment(enterprise, currency="THB", lines=[("fruits", "1000", "1")])
    feb = af.shipment(
        enterprise, currency="THB", departed_on=date(2026, 2, 3), lines=[("fruits", "1000", "1")]
    )
    rate, changed = services.fx_rate_set(
        currency="thb", month=date(2026, 1, 20), rate_to_cny=D("0.2")
    )
    assert (rate.currency, rate.month, changed) == ("THB", date(2026, 1, 1), 1)
    jan.refresh_from_db()
    feb.refresh_from_db()
    assert (jan.value_cny, jan.fx_missing) == (D("200.00"), False)
    assert jan.lines.get().value_cny == D("200.00")
    assert (feb.value_cny, feb.fx_missing) == (None, True)
    services.fx_rate_set(currency="THB", month=date(2026, 1, 1), rate_to_cny=D("0.25"))
    jan.refresh_from_db()
    assert jan.value_cny == D("250.00")
    services.fx_rate_delete(rate=FxRate.objects.get(currency="THB"))
    jan.refresh_from_db()
    assert (jan.value_cny, jan.fx_missing) == (None, True)


def test_fx_rate_rules():
    with pytest.raises(ValidationFailed) as error:
        services.fx_rate_set(currency="CNY", month=date(2026, 1, 1), rate_to_cny=D(1))
    assert error.value.field == "currency"
    with pytest.raises(ValidationFailed) as error:
        services.fx_rate_set(currency="USD", month=date(2026, 1, 1), rate_to_cny=D(0))
    assert error.value.field == "rate_to_cny"


def test_cached_figures_are_invalidated_by_facts_and_rates(places, fx, django_assert_num_queries):
    enterprise = factories.EnterpriseFactory()
    af.shipment(enterprise, currency="USD", lines=[("fruits", "100", "1")])
    assert total()["value_cny"] == D("720.00")
    with django_assert_num_queries(0):
        assert total()["value_cny"] == D("720.00")  # served from the cache
    af.shipment(enterprise, currency="THB", lines=[("fruits", "100", "1")])
    assert total()["value_cny"] == D("720.00")
    assert total()["unconverted_shipments"] == 1
    services.fx_rate_set(currency="THB", month=date(2026, 1, 1), rate_to_cny=D("0.2"))
    assert total()["value_cny"] == D("740.00")
    assert total()["unconverted_shipments"] == 0
    services.delete_shipment_fact(shipment_id=ShipmentFact.objects.get(currency="USD").shipment_id)
    assert total()["value_cny"] == D("20.00")


def test_province_table_cache_is_invalidated_too(places, fx):
    enterprises = [factories.EnterpriseFactory() for _ in range(3)]
    for enterprise in enterprises[:2]:
        af.shipment(enterprise, lines=[("fruits", "100", "1")])
    viewer = Viewer(is_staff=False, enterprise_ids=(enterprises[0].pk,))

    def fruits():
        body = exports(viewer=viewer, group_by="category", window=JAN)
        return body["province"]["rows"][0]["value_cny"]

    assert fruits() is None  # two enterprises
    af.shipment(enterprises[2], lines=[("fruits", "100", "1")])
    assert fruits() == D("300.00")  # a third one: shown


def test_certification_fact_upsert(places):
    enterprise = factories.EnterpriseFactory()
    fact = af.application(
        enterprise,
        application_id=7,
        submitted=af.utc(2026, 1, 1),
        decided=af.utc(2026, 1, 31, 12),
        status="approved",
        sla_days=30,
    )
    assert fact.review_days == D("30.50") and fact.sla_breached is True
    again = af.application(
        enterprise, application_id=7, submitted=af.utc(2026, 1, 1), status="under_review"
    )
    assert again.pk == fact.pk and again.review_days is None and again.sla_breached is False
    with pytest.raises(ValidationFailed) as error:
        af.application(
            enterprise, submitted=af.utc(2026, 1, 2), decided=af.utc(2026, 1, 1), status="approved"
        )
    assert error.value.field == "decided_at"


def _rollup_snapshot():
    from analytics.models import ExportRollup

    return sorted(
        ExportRollup.objects.values_list(
            "month", "enterprise_id", "destination_id", "category", "value_cny", "net_kg",
            "shipments", "shipment_heads", "unconverted", "unconverted_heads",
        )
    )  # fmt: skip


def test_rollup_follows_every_change_and_matches_a_rebuild(world):
    # S2 has two categories: two cells with one shipment each, one head between them.
    from analytics.models import ExportRollup

    s2 = ExportRollup.objects.filter(enterprise=world["e2"]).order_by("category")
    assert [(r.category, r.shipments, r.shipment_heads) for r in s2] == [
        ("aquatic_products", 1, 1),
        ("fruits", 1, 0),
    ]
    # moving a shipment to another month empties its old slice
    af.shipment(world["e3"], shipment_id=world["S3"].shipment_id, destination="FR",
                departed_on=date(2026, 3, 2), lines=[("aquatic_products", "20000", "50")])  # fmt: skip
    assert not ExportRollup.objects.filter(enterprise=world["e3"], month=date(2026, 2, 1)).exists()
    services.fx_rate_set(currency="MYR", month=date(2026, 2, 1), rate_to_cny=D("1.5"))
    before = _rollup_snapshot()
    assert services.rebuild_rollup() == len(before)
    assert _rollup_snapshot() == before


def test_whole_month_windows_read_the_rollup_and_agree_with_the_lines(world):
    aligned = Window(date(2026, 1, 1), date(2026, 3, 31))
    ragged = Window(date(2025, 12, 31), date(2026, 3, 31))  # not whole months: read from lines
    assert aligned.whole_months and not ragged.whole_months
    for group_by in ["category", "destination", "region", "prefecture", "enterprise"]:
        fast = grouped(group_by, aligned)
        exact = grouped(group_by, ragged)
        assert [(g.key, g.current) for g in fast.groups] == [
            (g.key, g.current) for g in exact.groups
        ]
        assert fast.total.current == exact.total.current


def _cube_snapshot():
    from analytics.models import ExportCube, ExportPresence

    cube_rows = sorted(
        ExportCube.objects.values_list(
            "month", "dimension", "group_key", "value_cny", "net_kg", "shipments",
            "unconverted", "enterprises", "clean_shipments", "excursion_minutes",
        )
    )  # fmt: skip
    presence = sorted(
        ExportPresence.objects.values_list(
            "dimension", "group_key", "enterprise_id", "year", "months"
        )
    )
    return cube_rows, presence


def test_cube_and_presence_follow_every_change_and_match_a_rebuild(world, carrier):
    from analytics import cube
    from analytics.models import ExportCube

    january = {
        (r.dimension, r.group_key): r for r in ExportCube.objects.filter(month=date(2026, 1, 1))
    }
    # S1 (E1, fruits, MY) + S2 (E2, fruits and aquatic, TH); S6 is cancelled
    assert (january[("total", "")].shipments, january[("total", "")].enterprises) == (2, 2)
    assert january[("total", "")].value_cny == D("26800.00")
    assert january[("category", "fruits")].shipments == 2  # lines
    assert january[("category", "aquatic_products")].enterprises == 1
    assert january[("carrier", str(carrier.pk))].shipments == 2
    assert january[("total", "")].clean_shipments == 1
    assert january[("total", "")].excursion_minutes == 45

    e1, e3 = world["e1"], world["e3"]
    af.shipment(e3, shipment_id=world["S3"].shipment_id, destination="FR",
                departed_on=date(2026, 3, 2), lines=[("aquatic_products", "20000", "50")])  # fmt: skip
    af.shipment(e1, shipment_id=world["S1"].shipment_id, destination="MY", currency="MYR",
                departed_on=date(2026, 1, 10), lines=[("fruits", "10000", "2000")],
                status="cancelled")  # fmt: skip
    af.shipment(world["e2"], shipment_id=world["S2"].shipment_id, destination="TH",
                currency="USD", departed_on=date(2026, 1, 20), lines=[("fruits", "1000", "500")],
                excursion_count=0, route="CNCTU-THBKK")  # fmt: skip
    services.fx_rate_set(currency="MYR", month=date(2026, 2, 1), rate_to_cny=D("1.5"))
    services.delete_shipment_fact(shipment_id=world["S5"].shipment_id)
    af.shipment(e1, departed_on=date(2026, 1, 31), lines=[("tea", "5", "1")], carrier_id=carrier.pk)

    assert not ExportCube.objects.filter(month=date(2026, 2, 1), dimension="destination",
                                         group_key="FR").exists()  # fmt: skip
    assert not ExportCube.objects.filter(month=date(2025, 1, 1)).exists()  # S5 deleted
    incremental = _cube_snapshot()
    cube.rebuild()
    assert _cube_snapshot() == incremental
