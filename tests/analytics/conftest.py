"""The small hand-computed fixture of tests/analytics (figures in docs/analytics.md terms).

Today is 2026-03-15, so the default window is 2025-04-01..2026-03-31 and the previous window
2024-04-01..2025-03-31.

| shipment | enterprise | to | currency | departed | lines (value, kg) | CNY |
| S1 | E1 Chengdu | MY | MYR 1.6 | 2026-01-10 | fruits 10000, 2000 | 16000.00 |
| S2 | E2 Chengdu | TH | USD 7.2 | 2026-01-20 | fruits 1000, 500; aquatic 500, 100 | 7200 + 3600 |
| S3 | E3 Ya'an   | FR | CNY     | 2026-02-05 | aquatic 20000, 50 | 20000.00 |
| S4 | E1 Chengdu | MY | MYR ?   | 2026-02-10 | fruits 5000, 1000 | unconverted (no MYR rate for 2026-02) |
| S5 | E1 Chengdu | MY | USD 7.0 | 2025-01-15 | fruits 1000, 1500 | 7000.00 (previous window) |
| S6 | E2         | TH | CNY     | 2026-01-05 cancelled | not counted |
| S7 | E3         | FR | CNY     | not departed | not counted |
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from analytics.models import FxRate
from analytics.selectors import windows
from tests import factories

from . import factories as af

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(windows, "now", lambda: NOW)
    return NOW


@pytest.fixture
def places(db):
    return {
        "MY": factories.country("MY", "Malaysia", ("ASEAN", "RCEP")),
        "TH": factories.country("TH", "Thailand", ("ASEAN", "RCEP")),
        "FR": factories.country("FR", "France", ("EU",)),
        "chengdu": factories.prefecture(),
        "yaan": factories.prefecture("511800", "Ya'an", "雅安市"),
    }


@pytest.fixture
def fx(db):
    FxRate.objects.create(currency="MYR", month=date(2026, 1, 1), rate_to_cny=Decimal("1.6"))
    FxRate.objects.create(currency="USD", month=date(2026, 1, 1), rate_to_cny=Decimal("7.2"))
    FxRate.objects.create(currency="USD", month=date(2025, 1, 1), rate_to_cny=Decimal("7.0"))


@pytest.fixture
def carrier(db):
    return factories.PartnerFactory(name="Shudao Cold Chain")


@pytest.fixture
def world(places, fx, carrier):
    e1 = factories.EnterpriseFactory(name_en="E1 Citrus", prefecture=places["chengdu"])
    e2 = factories.EnterpriseFactory(name_en="E2 Fisheries", prefecture=places["chengdu"])
    e3 = factories.EnterpriseFactory(name_en="E3 Caviar", prefecture=places["yaan"])
    factories.EnterpriseFactory(name_en="Pending one", status="pending")
    s = {
        "S1": af.shipment(
            e1,
            destination="MY",
            currency="MYR",
            departed_on=date(2026, 1, 10),
            lines=[("fruits", "10000", "2000")],
            carrier_id=carrier.pk,
            route="CNCTU-MYPKG",
        ),
        "S2": af.shipment(
            e2,
            destination="TH",
            currency="USD",
            departed_on=date(2026, 1, 20),
            lines=[("fruits", "1000", "500"), ("aquatic_products", "500", "100")],
            carrier_id=carrier.pk,
            route="CNCTU-THLCH",
            excursion_count=2,
            excursion_minutes=45,
        ),
        "S3": af.shipment(
            e3,
            destination="FR",
            currency="CNY",
            departed_on=date(2026, 2, 5),
            lines=[("aquatic_products", "20000", "50")],
            route="CNCTU-FRCDG",
        ),
        "S4": af.shipment(
            e1,
            destination="MY",
            currency="MYR",
            departed_on=date(2026, 2, 10),
            lines=[("fruits", "5000", "1000")],
            route="CNCTU-MYPKG",
            excursion_count=1,
            excursion_minutes=15,
        ),
        "S5": af.shipment(
            e1,
            destination="MY",
            currency="USD",
            departed_on=date(2025, 1, 15),
            lines=[("fruits", "1000", "1500")],
        ),
        "S6": af.shipment(e2, destination="TH", departed_on=date(2026, 1, 5), status="cancelled"),
        "S7": af.shipment(e3, destination="FR", departed_on=None, status="booked"),
    }
    return {"e1": e1, "e2": e2, "e3": e3, "carrier": carrier, **s}


# The PostgreSQL-only test here (test_concurrency.py) carries the `integration` marker; this makes
# the marker's skip rule (tests/integration/conftest.py) apply when only this folder is collected.
from tests.integration.conftest import pytest_collection_modifyitems  # noqa: E402, F401
