"""Cold-chain quality of exports and the data-quality block (shipments without an FX rate)."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from agri_platform.accounts.models import Partner

from .. import cube
from ..models import CubeDimension, ShipmentFact
from .tables import TENTH, pct
from .windows import Window

# --- cold chain ---------------------------------------------------------------------------------


def _quality(shipments: int, clean: int, minutes: int) -> dict:
    return {
        "shipments": shipments,
        "no_excursion_pct": pct(Decimal(clean), Decimal(shipments)) if shipments else None,
        "excursion_minutes_per_shipment": (
            (Decimal(minutes) / shipments).quantize(TENTH, rounding=ROUND_HALF_UP)
            if shipments
            else None
        ),
    }


QUALITY_AGGS = {
    "n": Count("id"),
    "clean": Count("id", filter=Q(excursion_count=0)),
    "minutes": Sum("excursion_minutes"),
}


def _by_carrier(rows) -> list[dict]:
    """Most shipments first, then by carrier name (the same order whichever table answered)."""
    return sorted(rows, key=lambda row: (-row["shipments"], row["carrier"]))


def _quality_in_cube(window: Window, *, breakdown: bool) -> dict:
    """Cold-chain quality of the province over whole months from the cube's total, carrier and
    route rows (a few hundred rows instead of every shipment)."""
    months = window.months()
    if not breakdown:
        rows = list(cube.cube_rows(CubeDimension.TOTAL, months))
        return _quality(
            sum(r["shipments"] for r in rows),
            sum(r["clean_shipments"] for r in rows),
            sum(r["excursion_minutes"] for r in rows),
        )
    per_dimension: dict[str, dict] = {
        dimension: defaultdict(lambda: [0, 0, 0])
        for dimension in (CubeDimension.CARRIER, CubeDimension.ROUTE)
    }
    for row in cube.cube_rows(list(per_dimension), months):
        into = per_dimension[row["dimension"]][row["group_key"]]
        into[0] += row["shipments"]
        into[1] += row["clean_shipments"]
        into[2] += row["excursion_minutes"]
    carriers = per_dimension[CubeDimension.CARRIER]
    result = _quality(*(sum(values[i] for values in carriers.values()) for i in range(3)))
    ids = [int(key) for key in carriers if key]
    names = dict(Partner.objects.filter(pk__in=ids).values_list("pk", "name"))
    result["by_carrier"] = _by_carrier(
        {
            "carrier_id": int(key) if key else None,
            "carrier": names.get(int(key) if key else None, "(no carrier)"),
            **_quality(*values),
        }
        for key, values in carriers.items()
    )
    routes = sorted(per_dimension[CubeDimension.ROUTE].items(), key=lambda i: (-i[1][0], i[0]))
    result["by_route"] = [
        {"route": key or "(unknown)", **_quality(*values)} for key, values in routes[:20]
    ]
    return result


def cold_chain(window: Window, *, enterprise_ids=None, breakdown: bool = True) -> dict:
    if window.whole_months and enterprise_ids is None:
        return _quality_in_cube(window, breakdown=breakdown)
    base = ShipmentFact.objects.filter(window.q(), is_export=True)
    if enterprise_ids is not None:
        base = base.filter(enterprise_id__in=enterprise_ids)
    if not breakdown:
        summary = base.aggregate(**QUALITY_AGGS)
        return _quality(summary["n"], summary["clean"], summary["minutes"] or 0)
    by_carrier = list(base.values("carrier_id").annotate(**QUALITY_AGGS).order_by("-n"))
    result = _quality(
        sum(r["n"] for r in by_carrier),
        sum(r["clean"] for r in by_carrier),
        sum(r["minutes"] or 0 for r in by_carrier),
    )
    names = dict(
        Partner.objects.filter(pk__in=[r["carrier_id"] for r in by_carrier]).values_list(
            "pk", "name"
        )
    )
    result["by_carrier"] = _by_carrier(
        {
            "carrier_id": row["carrier_id"],
            "carrier": names.get(row["carrier_id"], "(no carrier)"),
            **_quality(row["n"], row["clean"], row["minutes"] or 0),
        }
        for row in by_carrier
    )
    by_route = base.values("route").annotate(**QUALITY_AGGS).order_by("-n", "route")[:20]
    result["by_route"] = [
        {
            "route": row["route"] or "(unknown)",
            **_quality(row["n"], row["clean"], row["minutes"] or 0),
        }
        for row in by_route
    ]
    return result


# --- data quality -------------------------------------------------------------------------------


def data_quality(window: Window) -> dict:
    missing = list(
        ShipmentFact.objects.filter(window.q(), fx_missing=True, is_export=True)
        .values("currency", "month")
        .annotate(n=Count("id"), declared=Sum("declared_value"))
        .order_by("month", "currency")
    )
    return {
        "unconverted_shipments": sum(row["n"] for row in missing),
        "missing_fx_rates": [
            {
                "currency": row["currency"],
                "month": row["month"].isoformat()[:7],
                "shipments": row["n"],
                "declared_value": row["declared"],
            }
            for row in missing
        ],
    }
