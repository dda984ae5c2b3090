"""Storing sensor telemetry: two storage paths, the running summary, excursion re-detection.

`telemetry_ingest` is the only way readings enter the database:
1. `validate_readings` (telemetry.py) checks every row (JSON objects or CSV rows alike) and keeps
   the reason for each rejected one;
2. duplicates inside the batch are dropped, then the rows are stored idempotently on the natural
   key (shipment, sensor, time): on PostgreSQL by COPY into a temporary staging table and one
   `INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING`, aggregated in the same statement; elsewhere
   (SQLite) by the ORM (`bulk_create(ignore_conflicts=True)` after reading the keys already there);
3. the per-shipment summary is advanced with the figures of the rows actually inserted;
4. excursions are re-detected over a bounded window around the new rows.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from itertools import compress

from django.db import connection, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from psycopg.errors import UniqueViolation

from agri_platform.api.errors import Conflict
from agri_platform.api.uploads import PayloadTooLarge

from ..choices import ShipmentStatus
from ..excursions import Band
from ..models import ReadingRollup, SensorReading, Shipment, TelemetrySummary
from ..telemetry import (
    BUCKET_ORIGIN,
    DELTA_H_OVER_R,
    KELVIN,
    MAX_BATCH,
    ROLLUP_SLOT,
    ValidReading,
    accumulate,
    bin_start,
    validate_readings,
)
from .excursions import excursion_totals, excursions_redetect_after_insert


@dataclass
class SensorStats:
    count: int = 0
    first: datetime | None = None
    last: datetime | None = None
    temp_min: float = math.inf
    temp_max: float = -math.inf
    temp_sum: float = 0.0
    arrhenius_sum: float = 0.0
    in_band: int = 0
    last_temp: float | None = None
    # The sensor's newest reading stored before this batch, when the store could tell (its
    # temperature: when the store read it too).
    stored_before: datetime | None = None
    stored_before_known: bool = False
    stored_before_temp: float | None = None

    @property
    def appended(self) -> bool:
        """Every new reading is newer than all the sensor's stored ones (the usual stream)."""
        return self.stored_before_known and (
            self.stored_before is None or self.stored_before < self.first
        )

    @property
    def newest_stored(self) -> tuple | None:
        """The sensor's newest reading stored before this batch as (time, temp_c), (None, None)
        when it had none; None when the store did not read it."""
        if not self.stored_before_known:
            return None
        if self.stored_before is None:
            return (None, None)
        if self.stored_before_temp is None:
            return None
        return (self.stored_before, self.stored_before_temp)


@dataclass
class IngestResult:
    received: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    rejected_rows: list = field(default_factory=list)
    by_sensor: dict = field(default_factory=dict)
    summary: TelemetrySummary | None = None  # as stored at the end of the ingestion


def _band_limits(shipment: Shipment) -> tuple[float, float]:
    low = float(shipment.temp_min_c) if shipment.temp_min_c is not None else -math.inf
    high = float(shipment.temp_max_c) if shipment.temp_max_c is not None else math.inf
    return low, high


def telemetry_ingest(*, actor, shipment: Shipment, readings: list) -> IngestResult:
    if len(readings) > MAX_BATCH:
        raise PayloadTooLarge(
            _("A batch holds at most %(limit)d readings; this one has %(count)d.")
            % {"limit": MAX_BATCH, "count": len(readings)},
            field="readings",
            limit_readings=MAX_BATCH,
        )
    if shipment.status == ShipmentStatus.CANCELLED:
        raise Conflict(
            _("The shipment is cancelled and takes no readings."),
            code="shipment_cancelled",
            current_status=shipment.status,
        )
    valid, rejected = validate_readings(readings)
    result = IngestResult(
        received=len(readings), rejected=len(rejected), rejected_rows=rejected[:1000]
    )
    with transaction.atomic():
        # One ingestion per shipment at a time: the summary row is the lock.
        summary, _created = TelemetrySummary.objects.select_for_update().get_or_create(
            shipment=shipment
        )
        # Each store skips readings already stored and repeats within the batch (same sensor and
        # time): the stats count only the new ones.
        stats = STORES[storage_path()](shipment, valid) if valid else {}
        accepted = sum(s.count for s in stats.values())
        result.accepted = accepted
        result.duplicate = len(valid) - accepted
        result.by_sensor = stats
        if accepted:
            changed = _advance_summary(summary, stats)
            band = Band.of(shipment)
            if band is not None:
                batch_points = _points_by_sensor(valid, stats)
                redetected = [
                    excursions_redetect_after_insert(
                        actor=actor,
                        shipment=shipment,
                        band=band,
                        sensor_id=sensor_id,
                        first=sensor_stats.first,
                        last=sensor_stats.last,
                        inserted=sensor_stats.count,
                        # May hold a repeated reading; detection then re-reads the stored window.
                        batch_points=batch_points[sensor_id],
                        appended=sensor_stats.appended,
                        newest_stored=sensor_stats.newest_stored,
                    )
                    for sensor_id, sensor_stats in sorted(stats.items())
                ]
                if any(redetected):  # otherwise no excursion changed: the totals stand
                    totals = excursion_totals(shipment=shipment)
                    summary.excursion_count, summary.excursion_minutes = totals
                    changed += ["excursion_count", "excursion_minutes"]
            summary.save(update_fields=changed)  # the figures and the totals in one UPDATE
        result.summary = summary
    return result


def _points_by_sensor(valid: list[ValidReading], sensor_ids) -> dict[str, list]:
    """(time, temp_c) of each sensor's readings in the batch, in batch order. Built by zip and
    compress, which iterate in C: a loop in Python took 4 ms per sensor of a 10,000-reading batch."""
    sensors, times, temps, *_humidity_and_position = zip(*valid, strict=True)
    return {
        sensor_id: list(compress(zip(times, temps, strict=True), map(sensor_id.__eq__, sensors)))
        for sensor_id in sensor_ids
    }


def _advance_summary(summary: TelemetrySummary, stats: dict[str, SensorStats]) -> list[str]:
    """Adds the batch's figures to `summary` (saved by the caller); returns the fields set."""
    for s in stats.values():
        if not s.count:
            continue
        summary.reading_count += s.count
        summary.in_band_count += s.in_band
        summary.temp_sum += s.temp_sum
        summary.arrhenius_sum += s.arrhenius_sum
        summary.temp_min_c = (
            s.temp_min if summary.temp_min_c is None else min(summary.temp_min_c, s.temp_min)
        )
        summary.temp_max_c = (
            s.temp_max if summary.temp_max_c is None else max(summary.temp_max_c, s.temp_max)
        )
        if summary.first_reading_at is None or s.first < summary.first_reading_at:
            summary.first_reading_at = s.first
        if summary.last_reading_at is None or s.last >= summary.last_reading_at:
            summary.last_reading_at = s.last
            summary.last_temp_c = s.last_temp
    return [
        "reading_count",
        "in_band_count",
        "temp_sum",
        "arrhenius_sum",
        "temp_min_c",
        "temp_max_c",
        "first_reading_at",
        "last_reading_at",
        "last_temp_c",
        "updated_at",
    ]


# --- storage: the PostgreSQL fast path ---------------------------------------------------------

STAGING_DDL = (
    "CREATE TEMP TABLE IF NOT EXISTS logistics_reading_staging ("
    " sensor_id text, time timestamptz, temp_c float8, humidity float8,"
    " latitude float8, longitude float8) ON COMMIT DELETE ROWS"
)
# Both in one round trip (no parameters: psycopg sends them as one simple query). Rows a batch
# leaves behind go at commit (ON COMMIT DELETE ROWS) or at the next batch's TRUNCATE.
STAGING_RESET = STAGING_DDL + "; TRUNCATE logistics_reading_staging"
COPY_SQL = (
    "COPY logistics_reading_staging (sensor_id, time, temp_c, humidity, latitude, longitude)"
    " FROM STDIN (FORMAT BINARY)"
)
# Each sensor's earliest reading in the batch and its newest stored one, with its temperature
# (PostgreSQL reads the table as it was before this batch: the summary lock keeps other batches of
# the shipment out). Excursion re-detection starts from that reading when it is not out.
NEWEST_STORED_SQL = """
SELECT staged.sensor_id, staged.first, newest.time, newest.temp_c
FROM (SELECT sensor_id, min(time) AS first FROM logistics_reading_staging GROUP BY sensor_id) staged
LEFT JOIN LATERAL (
    SELECT stored.time, stored.temp_c FROM logistics_sensorreading stored
    WHERE stored.shipment_id = %(shipment)s AND stored.sensor_id = staged.sensor_id
    ORDER BY stored.time DESC LIMIT 1
) newest ON true
"""
INSERT_SQL = """
WITH inserted AS (
    INSERT INTO logistics_sensorreading
        (shipment_id, sensor_id, time, temp_c, humidity, latitude, longitude)
    SELECT %(shipment)s, sensor_id, time, temp_c, humidity, latitude, longitude
    FROM logistics_reading_staging
    {conflict}
), rolled AS (
    INSERT INTO logistics_readingrollup AS r
        (shipment_id, slot, temp_min, temp_max, temp_sum, count)
    SELECT %(shipment)s, date_bin(%(slot)s, time, %(origin)s), min(temp_c), max(temp_c),
           sum(temp_c), count(*)
    FROM {inserted} GROUP BY 2
    ON CONFLICT (shipment_id, slot) DO UPDATE SET
        temp_min = least(r.temp_min, excluded.temp_min),
        temp_max = greatest(r.temp_max, excluded.temp_max),
        temp_sum = r.temp_sum + excluded.temp_sum,
        count = r.count + excluded.count
)
SELECT sensor_id, count(*), min(time), max(time), min(temp_c), max(temp_c), sum(temp_c),
       sum(exp(%(k)s / (temp_c + 273.15))),
       count(*) FILTER (WHERE temp_c >= %(low)s AND temp_c <= %(high)s),
       {last_temp}
FROM {inserted} GROUP BY sensor_id
"""
# A batch that only follows the stored readings is inserted plainly: ON CONFLICT's speculative
# insertion doubles PostgreSQL's work per row (docs/benchmarks.md). Every staged row is then
# inserted, so the rollup and the figures read the staging table, not a RETURNING list. A reading
# repeated inside such a batch breaks the primary key; the batch is then stored with ON CONFLICT.
# The temperature at each sensor's newest time: in the appended batch that time is unique, and
# looking it up in the staging table beats sorting every reading of the sensor for it.
INSERT_APPENDED_SQL = INSERT_SQL.format(
    conflict="",
    inserted="logistics_reading_staging staged",
    last_temp="(SELECT newest.temp_c FROM logistics_reading_staging newest"
    " WHERE newest.sensor_id = staged.sensor_id AND newest.time = max(staged.time) LIMIT 1)",
)
INSERT_SKIPPING_STORED_SQL = INSERT_SQL.format(
    conflict="ON CONFLICT DO NOTHING RETURNING sensor_id, time, temp_c",
    inserted="inserted",
    last_temp="(array_agg(temp_c ORDER BY time DESC))[1]",
)


def _store_postgres(shipment: Shipment, readings: list[ValidReading]) -> dict[str, SensorStats]:
    low, high = _band_limits(shipment)
    parameters = {
        "shipment": shipment.pk,
        "slot": ROLLUP_SLOT,
        "origin": BUCKET_ORIGIN,
        "k": -DELTA_H_OVER_R,
        "low": low if math.isfinite(low) else -1e9,
        "high": high if math.isfinite(high) else 1e9,
    }
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg 3 cursor under Django's wrapper
        cursor.execute(STAGING_RESET)
        with cursor.copy(COPY_SQL) as copy:
            copy.set_types(["text", "timestamptz", "float8", "float8", "float8", "float8"])
            write_row = copy.write_row
            for reading in readings:
                write_row(reading)
        cursor.execute(NEWEST_STORED_SQL, parameters)
        first_and_newest_stored = {
            sensor: (first, newest, temp) for sensor, first, newest, temp in cursor
        }
        rows = None
        if all(
            newest is None or newest < first
            for first, newest, _ in first_and_newest_stored.values()
        ):
            rows = _insert_appended(cursor, parameters)
        if rows is None:
            cursor.execute(INSERT_SKIPPING_STORED_SQL, parameters)
            rows = cursor.fetchall()
    stats = {}
    for sensor_id, count, first, last, tmin, tmax, tsum, asum, in_band, last_temp in rows:
        _first, newest_stored, newest_temp = first_and_newest_stored[sensor_id]
        stats[sensor_id] = SensorStats(
            count,
            first,
            last,
            tmin,
            tmax,
            tsum,
            asum,
            in_band,
            last_temp,
            stored_before=newest_stored,
            stored_before_known=True,
            stored_before_temp=newest_temp,
        )
    return stats


def _insert_appended(cursor, parameters: dict) -> list | None:
    """The rows of the plain INSERT, or None when the batch repeats one of its readings."""
    try:
        with transaction.atomic():
            cursor.execute(INSERT_APPENDED_SQL, parameters)
            return cursor.fetchall()
    except UniqueViolation:  # raised by psycopg itself: the cursor is not Django's wrapper
        return None


# --- storage: the ORM path (SQLite, and any other database) ------------------------------------


def _store_orm(shipment: Shipment, readings: list[ValidReading]) -> dict[str, SensorStats]:
    low, high = _band_limits(shipment)
    first_of_each: dict[tuple[str, datetime], ValidReading] = {}
    for reading in readings:
        first_of_each.setdefault((reading.sensor_id, reading.time), reading)
    readings = list(first_of_each.values())
    first = min(r.time for r in readings)
    last = max(r.time for r in readings)
    sensors = {r.sensor_id for r in readings}
    existing = set(
        SensorReading.objects.filter(
            shipment=shipment, sensor_id__in=sensors, time__gte=first, time__lte=last
        ).values_list("sensor_id", "time")
    )
    new = [r for r in readings if (r.sensor_id, r.time) not in existing]
    stored_before = dict(
        SensorReading.objects.filter(shipment=shipment, sensor_id__in=sensors)
        .values("sensor_id")
        .annotate(newest=Max("time"))
        .values_list("sensor_id", "newest")
    )
    SensorReading.objects.bulk_create(
        [
            SensorReading(
                shipment=shipment,
                sensor_id=r.sensor_id,
                time=r.time,
                temp_c=r.temp_c,
                humidity=r.humidity,
                latitude=r.latitude,
                longitude=r.longitude,
            )
            for r in new
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    _rollup_orm(shipment, new)
    stats: dict[str, SensorStats] = defaultdict(SensorStats)
    for r in new:
        s = stats[r.sensor_id]
        if not s.count:
            s.stored_before, s.stored_before_known = stored_before.get(r.sensor_id), True
        s.count += 1
        s.temp_min = min(s.temp_min, r.temp_c)
        s.temp_max = max(s.temp_max, r.temp_c)
        s.temp_sum += r.temp_c
        s.arrhenius_sum += math.exp(-DELTA_H_OVER_R / (r.temp_c + KELVIN))
        s.in_band += low <= r.temp_c <= high
        if s.first is None or r.time < s.first:
            s.first = r.time
        if s.last is None or r.time > s.last:
            s.last, s.last_temp = r.time, r.temp_c
    return dict(stats)


def _rollup_orm(shipment: Shipment, new: list[ValidReading]) -> None:
    if not new:
        return
    slots: dict[datetime, list] = {}
    for r in new:
        accumulate(slots, bin_start(r.time, ROLLUP_SLOT), r.temp_c, r.temp_c, r.temp_c, 1)
    for old in ReadingRollup.objects.filter(
        shipment=shipment, slot__gte=min(slots), slot__lte=max(slots)
    ):
        if old.slot in slots:
            accumulate(slots, old.slot, old.temp_min, old.temp_max, old.temp_sum, old.count)
    ReadingRollup.objects.bulk_create(
        [
            ReadingRollup(
                shipment=shipment, slot=slot, temp_min=lo, temp_max=hi, temp_sum=total, count=n
            )
            for slot, (lo, hi, total, n) in slots.items()
        ],
        update_conflicts=True,
        unique_fields=["shipment", "slot"],
        update_fields=["temp_min", "temp_max", "temp_sum", "count"],
        batch_size=500,
    )


def storage_path() -> str:
    """ "copy" (PostgreSQL: COPY + INSERT … ON CONFLICT) or "orm" (every other database)."""
    return "copy" if connection.vendor == "postgresql" else "orm"


STORES = {"copy": _store_postgres, "orm": _store_orm}
