"""Demo data for the dashboard: the two province targets and monthly FX rates for 2025-2026.

No shipment facts: the lead fills those from the real demo shipments. Idempotent: existing rows
(perhaps edited by staff) are left as they are.
"""

import math
from datetime import date
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from .choices import TargetMetric
from .models import FxRate, Target

TARGETS = [
    {
        "name": "200 enterprises on the platform by the end of 2026",
        "metric": TargetMetric.VERIFIED_ENTERPRISES,
        "value": Decimal(200),
        "unit": "enterprises",
        "deadline": date(2026, 12, 31),
        "notes": "Platform opened in December 2025; counted as verified enterprises.",
    },
    {
        "name": "10 billion yuan of agricultural exports by the end of 2027",
        "metric": TargetMetric.EXPORT_VALUE_12M,
        "value": Decimal(10_000_000_000),
        "unit": "CNY",
        "deadline": date(2027, 12, 31),
        "notes": "Province goal; measured as the trailing 12 months of shipment facts.",
    },
]

# CNY per unit, a plausible level for 2025-2026; months vary by a small deterministic wave.
FX_LEVELS = {
    "USD": Decimal("7.18"),
    "EUR": Decimal("7.95"),
    "MYR": Decimal("1.62"),
    "THB": Decimal("0.210"),
    "SGD": Decimal("5.45"),
    "IDR": Decimal("0.000440"),
    "VND": Decimal("0.000278"),
    "PHP": Decimal("0.1250"),
    "KZT": Decimal("0.01400"),
    "XOF": Decimal("0.01212"),  # pegged to EUR: 655.957 XOF = 1 EUR
    "UGX": Decimal("0.001950"),
    "MXN": Decimal("0.3800"),
    "UZS": Decimal("0.000570"),
}


def demo_months() -> list[date]:
    return [date(year, month, 1) for year in (2025, 2026) for month in range(1, 13)]


def demo_rate(currency: str, month: date) -> Decimal:
    level = FX_LEVELS[currency]
    if currency == "XOF":
        return (demo_rate("EUR", month) / Decimal("655.957")).quantize(Decimal("0.00000001"))
    index = (month.year - 2025) * 12 + month.month
    wave = Decimal(str(round(math.sin(index / 2.5 + len(currency)) * 0.012, 5)))
    return (level * (1 + wave)).quantize(Decimal("0.00000001"))


def seed(log) -> None:
    created_targets = 0
    for target in TARGETS:
        _, created = Target.objects.get_or_create(
            name=target["name"], defaults={k: v for k, v in target.items() if k != "name"}
        )
        created_targets += created
    existing = set(FxRate.objects.values_list("currency", "month"))
    rates = [
        FxRate(
            currency=currency, month=month, rate_to_cny=demo_rate(currency, month), source="demo"
        )
        for currency in FX_LEVELS
        for month in demo_months()
        if (currency, month) not in existing
    ]
    if rates:
        bulk_create_with_history(rates, FxRate)
    log(f"analytics: {created_targets} target(s), {len(rates)} FX rate(s) added")
