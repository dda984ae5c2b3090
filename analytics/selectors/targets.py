"""Progress towards the province's targets."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from enterprises.choices import VerificationStatus
from enterprises.models import Enterprise

from .. import cache, cube
from ..choices import TargetMetric
from ..models import CubeDimension, Target
from . import windows
from .tables import CENT, TONNE, pct
from .windows import Window, add_months, month_end

# --- targets ------------------------------------------------------------------------------------


def months_remaining(on: date, deadline: date) -> int:
    """Calendar months from the current month through the deadline's month, both included."""
    if deadline < on:
        return 0
    return (deadline.year - on.year) * 12 + deadline.month - on.month + 1


def trailing_12_months(on: date) -> Window:
    return Window(add_months(on.replace(day=1), -11), month_end(on))


def metric_value(metric: str, on: date) -> Decimal:
    """The current value of a target's metric: the enterprise count live, fact sums cached."""
    if metric == TargetMetric.VERIFIED_ENTERPRISES:
        return Decimal(Enterprise.objects.filter(status=VerificationStatus.VERIFIED).count())
    window = trailing_12_months(on)

    def compute() -> dict:
        rows = cube.cube_rows(CubeDimension.TOTAL, window.months())
        return {
            "v": sum((row["value_cny"] for row in rows), Decimal(0)),
            "kg": sum((row["net_kg"] for row in rows), Decimal(0)),
        }

    totals = cache.cached("trailing-12", window.as_dict(), compute)
    if metric == TargetMetric.EXPORT_VALUE_12M:
        return (totals["v"] or Decimal(0)).quantize(CENT)
    return ((totals["kg"] or Decimal(0)) / 1000).quantize(TONNE, rounding=ROUND_HALF_UP)


def target_progress(on: date | None = None) -> list[dict]:
    on = on or windows.today()
    results = []
    values: dict[str, Decimal] = {}
    for target in Target.objects.filter(is_active=True):
        if target.metric not in values:
            values[target.metric] = metric_value(target.metric, on)
        current = values[target.metric]
        gap = max(target.value - current, Decimal(0))
        remaining = months_remaining(on, target.deadline)
        if gap == 0:
            status = "met"
        elif remaining == 0:
            status = "missed"
        else:
            status = "open"
        results.append(
            {
                "id": target.pk,
                "name": target.name,
                "metric": target.metric,
                "unit": target.unit,
                "value": target.value,
                "deadline": target.deadline.isoformat(),
                "current": current,
                "progress_pct": pct(current, target.value),
                "gap": gap,
                "months_remaining": remaining,
                "pace_needed_per_month": (
                    (gap / remaining).quantize(CENT, rounding=ROUND_HALF_UP) if remaining else None
                ),
                "status": status,
            }
        )
    return results
