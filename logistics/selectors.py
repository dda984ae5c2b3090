"""Tenant-scoped reads: enterprises see their shipments, a carrier the shipments assigned to it;
the telemetry summary and the chart buckets of a shipment."""

import math
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.db.models import Count, F, Prefetch, Q

from agri_platform.api.tenancy import scope_queryset

from .choices import ShipmentStatus
from .models import (
    ReadingRollup,
    SensorReading,
    Shipment,
    ShipmentDocument,
    ShipmentDraft,
    ShipmentDraftItem,
    ShipmentItem,
    TelemetrySummary,
    TemperatureExcursion,
    TrackingEvent,
)
from .telemetry import (
    BUCKET_ORIGIN,
    DELTA_H_OVER_R,
    EARLIEST,
    KELVIN,
    ROLLUP_SLOT,
    accumulate,
    bin_start,
)


def shipments_for(user):
    return shipment_rows_for(user).select_related("consignee_country", "origin", "destination")


def shipment_rows_for(user):
    """`shipments_for` without the country and places, which the API renders as their codes:
    a list needs one join less per place. Six joins made PostgreSQL plan the list's query for 14 ms
    (0.4 ms with these three), more than it took to run (issue 18)."""
    return scope_queryset(
        Shipment.objects.select_related("enterprise", "carrier", "summary").prefetch_related(
            Prefetch(
                "items",
                queryset=ShipmentItem.objects.select_related("product", "currency"),
            )
        ),
        user,
        partner_field="carrier",
    )


def _one(shipments, pk) -> Shipment | None:
    try:
        return shipments.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def shipment_for(user, pk) -> Shipment | None:
    return _one(shipments_for(user), pk)


def shipment_row_for(user, pk) -> Shipment | None:
    """`shipment_for` with the enterprise, carrier and summary only (telemetry ingestion): no
    places, no items. Six joins and the items' query cost a 10,000-reading batch more to plan and
    fetch (several ms) than ingestion uses of them (nothing). Scoped exactly as `shipments_for`."""
    return _one(shipment_rows_for(user).prefetch_related(None), pk)


def enterprise_shipments(user, enterprise, *, status: str = "", search: str = ""):
    """The shipments of `enterprise` that `user` may see, newest first, with `status` when given
    and `search` matching the reference or the consignee."""
    shipments = shipments_for(user).filter(enterprise=enterprise)
    if status:
        shipments = shipments.filter(status=status)
    if search:
        shipments = shipments.filter(
            Q(reference__icontains=search) | Q(consignee_name__icontains=search)
        )
    return shipments


def shipment_drafts_for(user):
    """The drafts of the user's enterprises (staff: all; partners: none), newest first."""
    return scope_queryset(
        ShipmentDraft.objects.select_related(
            "enterprise", "consignee_country", "destination__country", "shipment"
        )
        .prefetch_related(
            Prefetch(
                "items",
                queryset=ShipmentDraftItem.objects.select_related("product", "currency"),
            )
        )
        .order_by("-id"),
        user,
    )


def open_shipment_drafts(user, enterprise=None):
    """The drafts still to book: neither booked nor discarded."""
    drafts = shipment_drafts_for(user).filter(shipment__isnull=True, discarded_at__isnull=True)
    return drafts.filter(enterprise=enterprise) if enterprise is not None else drafts


def documents_for(user):
    """Documents are the enterprise's (and staff's): partners never see them."""
    return scope_queryset(
        ShipmentDocument.objects.select_related("shipment"),
        user,
        enterprise_field="shipment__enterprise",
        partner_field=None,
    )


def tracking_events_for(user):
    return scope_queryset(
        TrackingEvent.objects.select_related("location", "shipment"),
        user,
        enterprise_field="shipment__enterprise",
        partner_field="shipment__carrier",
    )


def excursions_for(user):
    return scope_queryset(
        TemperatureExcursion.objects.select_related("shipment", "acknowledged_by"),
        user,
        enterprise_field="shipment__enterprise",
        partner_field="shipment__carrier",
    )


def readings_for(user):
    return scope_queryset(
        SensorReading.objects.all(),
        user,
        enterprise_field="shipment__enterprise",
        partner_field="shipment__carrier",
    )


def shipment_by_token(token: str) -> Shipment | None:
    if not token or len(token) > 64:
        return None
    return (
        Shipment.objects.select_related("origin", "destination", "carrier", "summary")
        .filter(tracking_token=token)
        .first()
    )


def markets_served(enterprise_id: int):
    """The countries the enterprise's dispatched shipments went to (delivered ones included),
    each with the number of its shipments there, most first: `[{"country": "MY", "shipments": 3}]`.
    Counts only, for its public profile: no quantities, no values, no other enterprise's."""
    return (
        Shipment.objects.filter(enterprise_id=enterprise_id, dispatched_at__isnull=False)
        .exclude(status=ShipmentStatus.CANCELLED)
        .values(country=F("destination__country_id"))
        .annotate(shipments=Count("pk"))
        .order_by("-shipments", "country")
    )


# --- telemetry: the summary and the chart ---------------------------------------------------------


def mean_kinetic_temperature(summary: TelemetrySummary) -> float | None:
    if not summary.reading_count or summary.arrhenius_sum <= 0:
        return None
    return DELTA_H_OVER_R / -math.log(summary.arrhenius_sum / summary.reading_count) - KELVIN


BUCKET_SQL = """
SELECT date_bin(%(width)s, time, %(origin)s) AS bucket,
       min(temp_c), avg(temp_c), max(temp_c), count(*)
FROM logistics_sensorreading
WHERE shipment_id = %(shipment)s AND time >= %(start)s AND time < %(end)s {sensor}
GROUP BY 1 ORDER BY 1
"""
ROLLUP_SQL = """
SELECT date_bin(%(width)s, slot, %(origin)s) AS bucket,
       min(temp_min), sum(temp_sum) / sum(count), max(temp_max), sum(count)
FROM logistics_readingrollup
WHERE shipment_id = %(shipment)s AND slot >= %(start)s AND slot < %(end)s
GROUP BY 1 ORDER BY 1
"""
LATEST = datetime(9999, 1, 1, tzinfo=UTC)


def _aligned(time: datetime | None) -> bool:
    return time is None or (time - BUCKET_ORIGIN) % ROLLUP_SLOT == timedelta(0)


def buckets(*, shipment_id: int, width: timedelta, start=None, end=None, sensor_id=None):
    """[{start, min, mean, max, count}] per time bucket.

    Widths that are a multiple of ROLLUP_SLOT over slot-aligned ranges of all sensors read the
    rollup; anything else (one sensor, 5 minutes, seconds) reads the readings. In SQL with date_bin
    on PostgreSQL, in Python elsewhere."""
    use_rollup = (
        sensor_id is None
        and width % ROLLUP_SLOT == timedelta(0)
        and _aligned(start)
        and _aligned(end)
    )
    start = start or EARLIEST
    end = end or LATEST
    if connection.vendor == "postgresql":
        params = {
            "width": width,
            "origin": BUCKET_ORIGIN,
            "shipment": shipment_id,
            "start": start,
            "end": end,
            "sensor": sensor_id,
        }
        if use_rollup:
            sql = ROLLUP_SQL
        else:
            sql = BUCKET_SQL.format(sensor="AND sensor_id = %(sensor)s" if sensor_id else "")
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [
            {"start": b, "min": lo, "mean": mean, "max": hi, "count": n}
            for b, lo, mean, hi, n in rows
        ]
    if use_rollup:
        source = ReadingRollup.objects.filter(
            shipment_id=shipment_id, slot__gte=start, slot__lt=end
        ).values_list("slot", "temp_min", "temp_max", "temp_sum", "count")
    else:
        qs = SensorReading.objects.filter(shipment_id=shipment_id, time__gte=start, time__lt=end)
        if sensor_id:
            qs = qs.filter(sensor_id=sensor_id)
        source = ((time, temp, temp, temp, 1) for time, temp in qs.values_list("time", "temp_c"))
    acc: dict[datetime, list] = {}
    for time, lo, hi, total, n in source:
        accumulate(acc, bin_start(time, width), lo, hi, total, n)
    return [
        {"start": key, "min": lo, "mean": total / n, "max": hi, "count": n}
        for key, (lo, hi, total, n) in sorted(acc.items())
    ]


def summary_dict(shipment: Shipment, summary: TelemetrySummary | None) -> dict:
    if summary is None or not summary.reading_count:
        return {
            "reading_count": 0,
            "temp_min_c": None,
            "temp_max_c": None,
            "temp_mean_c": None,
            "mean_kinetic_temperature_c": None,
            "time_in_band_pct": None,
            "excursion_count": summary.excursion_count if summary else 0,
            "excursion_minutes": summary.excursion_minutes if summary else 0.0,
            "first_reading_at": None,
            "last_reading_at": None,
            "last_temp_c": None,
        }
    mkt = mean_kinetic_temperature(summary)
    return {
        "reading_count": summary.reading_count,
        "temp_min_c": summary.temp_min_c,
        "temp_max_c": summary.temp_max_c,
        "temp_mean_c": round(summary.temp_sum / summary.reading_count, 3),
        "mean_kinetic_temperature_c": round(mkt, 3) if mkt is not None else None,
        "time_in_band_pct": round(100.0 * summary.in_band_count / summary.reading_count, 2),
        "excursion_count": summary.excursion_count,
        "excursion_minutes": round(summary.excursion_minutes, 1),
        "first_reading_at": summary.first_reading_at,
        "last_reading_at": summary.last_reading_at,
        "last_temp_c": summary.last_temp_c,
    }
