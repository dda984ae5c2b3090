"""Sensor telemetry: one validation function, two storage paths, running summary, chart buckets.

`ingest_readings` is the only way readings enter the database:
1. `validate_readings` checks every row (JSON objects or CSV rows alike) and keeps the reason for
   each rejected one;
2. duplicates inside the batch are dropped, then the rows are stored idempotently on the natural
   key (shipment, sensor, time): on PostgreSQL by COPY into a temporary staging table and one
   `INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING`, aggregated in the same statement; elsewhere
   (SQLite) by the ORM (`bulk_create(ignore_conflicts=True)` after reading the keys already there);
3. the per-shipment summary is advanced with the figures of the rows actually inserted;
4. excursions are re-detected over a bounded window around the new rows.
"""

import csv
import io
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from agri_platform.api.errors import Conflict, ValidationFailed
from agri_platform.api.inputs import unstorable_reason
from agri_platform.api.uploads import PayloadTooLarge

from . import excursions
from .choices import ShipmentStatus
from .models import ReadingRollup, SensorReading, Shipment, TelemetrySummary

MAX_BATCH = 10_000
BUCKET_ORIGIN = datetime(2000, 1, 1, tzinfo=UTC)
# The rollup's slot: chart buckets that are a multiple of it (15 min, 30 min, 1 h, …; every width
# the tracking page uses for a shipment longer than 20 hours) read the rollup. A finer slot costs
# ingestion one upserted row per slot and batch (docs/benchmarks.md, "Telemetry").
ROLLUP_SLOT = timedelta(minutes=15)
TEMP_RANGE_C = (-80.0, 80.0)
HUMIDITY_RANGE = (0.0, 100.0)
FUTURE_SKEW = timedelta(minutes=5)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
MAX_SENSOR_ID = 64
# ΔH/R for mean kinetic temperature: 83.144 kJ/mol over the gas constant, in kelvin.
DELTA_H_OVER_R = 83144.0 / 8.314462618
KELVIN = 273.15
CSV_COLUMNS = ("sensor_id", "time", "temp_c", "humidity", "latitude", "longitude")
CSV_ALIASES = {"lat": "latitude", "lon": "longitude", "lng": "longitude", "temperature": "temp_c"}


class Rejected(Exception):
    pass


class ValidReading(NamedTuple):
    """A reading that passed validation, in the column order of the COPY."""

    sensor_id: str
    time: datetime
    temp_c: float
    humidity: float | None
    latitude: float | None
    longitude: float | None


def _number(value, name: str, *, required: bool = False) -> float | None:
    if value is None or value == "":
        if required:
            raise Rejected(f"{name} is required")
        return None
    if isinstance(value, bool):
        raise Rejected(f"{name} must be a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise Rejected(f"{name} is not a number: {str(value)[:40]!r}") from None
    if not math.isfinite(number):
        raise Rejected(f"{name} must be finite")
    return number


def _time(value, now: datetime) -> datetime:
    if value is None or value == "":
        raise Rejected("time is required")
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            parsed = datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise Rejected("time is not a valid Unix timestamp") from None
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise Rejected(f"time is not ISO 8601: {value[:40]!r}") from None
        if parsed.tzinfo is None:
            raise Rejected("time needs a UTC offset (e.g. 2026-01-12T08:00:00+08:00 or …Z)")
        try:
            parsed = parsed.astimezone(UTC)
        except OverflowError:  # 9999-12-31T23:59:59-23:59 is past year 9999 in UTC
            raise Rejected("time is outside the supported range once converted to UTC") from None
    else:
        raise Rejected("time must be an ISO 8601 string or a Unix timestamp")
    if parsed > now + FUTURE_SKEW:
        raise Rejected(f"time is in the future (more than {FUTURE_SKEW} ahead of the server)")
    if parsed < EARLIEST:
        raise Rejected("time is before 2000-01-01")
    return parsed


class _Irregular(Exception):
    """The fast path met something unusual: the careful path decides (and words the reason)."""


_fromisoformat = datetime.fromisoformat


def _optional_number(row, name, alias=None):
    value = row.get(name)
    if value is None and alias is not None:
        value = row.get(alias)
    if value is None or value == "":
        return None
    if type(value) is bool:
        raise _Irregular
    number = float(value)
    if number != number:  # NaN
        raise _Irregular
    return number


def _fast(row, latest: datetime) -> ValidReading:
    """The common case in few steps. Raises (anything) when unsure; never accepts a reading the
    careful path would reject."""
    sensor_id = row["sensor_id"].strip()
    if not sensor_id or len(sensor_id) > MAX_SENSOR_ID or "\x00" in sensor_id:
        raise _Irregular
    time = _fromisoformat(row["time"])
    if time.tzinfo is None:
        raise _Irregular
    time = time.astimezone(UTC)
    if not EARLIEST <= time <= latest:
        raise _Irregular
    temp = row["temp_c"]
    if type(temp) is bool:
        raise _Irregular
    temp = float(temp)
    if not TEMP_RANGE_C[0] <= temp <= TEMP_RANGE_C[1]:  # also false for NaN
        raise _Irregular
    has_humidity = "humidity" in row
    humidity = _optional_number(row, "humidity") if has_humidity else None
    if humidity is not None and not HUMIDITY_RANGE[0] <= humidity <= HUMIDITY_RANGE[1]:
        raise _Irregular
    if len(row) == 3 + has_humidity:  # sensor_id, time, temp_c (and humidity): no position
        return ValidReading(sensor_id, time, temp, humidity, None, None)
    latitude = _optional_number(row, "latitude", "lat")
    longitude = _optional_number(row, "longitude", "lon")
    if latitude is not None or longitude is not None:
        if latitude is None or longitude is None:
            raise _Irregular
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise _Irregular
    return ValidReading(sensor_id, time, temp, humidity, latitude, longitude)


def validate_reading(row, now: datetime) -> ValidReading:
    """One reading, from a JSON object or a CSV row (strings): the shared rules.

    A fast path takes the common, clean reading; anything else goes through the careful checks
    below, which give the reason for a rejection."""
    try:
        return _fast(row, now + FUTURE_SKEW)
    except Exception:  # any surprise: the careful path decides and names the reason
        return _careful(row, now)


def _careful(row, now: datetime) -> ValidReading:
    if not isinstance(row, dict):
        raise Rejected("a reading must be an object")
    sensor_id = row.get("sensor_id")
    if sensor_id is None or not str(sensor_id).strip():
        raise Rejected("sensor_id is required")
    sensor_id = str(sensor_id).strip()
    if len(sensor_id) > MAX_SENSOR_ID:
        raise Rejected(f"sensor_id is longer than {MAX_SENSOR_ID} characters")
    reason = unstorable_reason(sensor_id)  # a CSV body can carry a NUL; PostgreSQL refuses it
    if reason:
        raise Rejected(f"sensor_id {reason}")
    time = _time(row.get("time"), now)
    temp = _number(row.get("temp_c"), "temp_c", required=True)
    if not TEMP_RANGE_C[0] <= temp <= TEMP_RANGE_C[1]:
        raise Rejected(f"temp_c {temp} is outside {TEMP_RANGE_C[0]:g}..{TEMP_RANGE_C[1]:g} °C")
    humidity = _number(row.get("humidity"), "humidity")
    if humidity is not None and not HUMIDITY_RANGE[0] <= humidity <= HUMIDITY_RANGE[1]:
        raise Rejected(f"humidity {humidity} is outside 0..100 %")
    latitude = _number(_either(row, "latitude", "lat"), "latitude")
    longitude = _number(_either(row, "longitude", "lon"), "longitude")
    if (latitude is None) != (longitude is None):
        raise Rejected("latitude and longitude go together")
    if latitude is not None and not -90 <= latitude <= 90:
        raise Rejected(f"latitude {latitude} is outside -90..90")
    if longitude is not None and not -180 <= longitude <= 180:
        raise Rejected(f"longitude {longitude} is outside -180..180")
    return ValidReading(sensor_id, time, temp, humidity, latitude, longitude)


def _either(row, name, alias):
    value = row.get(name)
    return row.get(alias) if value is None else value


def validate_readings(rows, *, now: datetime | None = None):
    """(valid readings, rejected [{index, reason, reading}]) for a batch. The one validation."""
    now = now or timezone.now()
    valid: list[ValidReading] = []
    rejected: list[dict] = []
    for index, row in enumerate(rows):
        try:
            valid.append(validate_reading(row, now))
        except Rejected as exc:
            rejected.append({"index": index, "reason": str(exc), "reading": row})
    return valid, rejected


def parse_csv(text: str) -> list[dict]:
    """CSV with a header row (sensor_id,time,temp_c[,humidity,latitude,longitude])."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [CSV_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in next(reader)]
    except StopIteration:
        raise ValidationFailed("The CSV is empty.", field="readings") from None
    missing = [c for c in ("sensor_id", "time", "temp_c") if c not in header]
    if missing:
        raise ValidationFailed(
            f"The CSV header lacks {', '.join(missing)}; expected {','.join(CSV_COLUMNS)}.",
            field="readings",
        )
    return [dict(zip(header, values, strict=False)) for values in reader if values]


def rows_from_json(data) -> list:
    rows = data.get("readings") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise ValidationFailed(
            'Send a JSON array of readings or {"readings": [...]}.', field="readings"
        )
    return rows


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


@dataclass
class IngestResult:
    received: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    rejected_rows: list = field(default_factory=list)
    by_sensor: dict = field(default_factory=dict)


def _band_limits(shipment: Shipment) -> tuple[float, float]:
    low = float(shipment.temp_min_c) if shipment.temp_min_c is not None else -math.inf
    high = float(shipment.temp_max_c) if shipment.temp_max_c is not None else math.inf
    return low, high


def ingest_readings(*, shipment: Shipment, rows: list, actor=None) -> IngestResult:
    if len(rows) > MAX_BATCH:
        raise PayloadTooLarge(
            f"A batch holds at most {MAX_BATCH} readings; this one has {len(rows)}.",
            field="readings",
            limit_readings=MAX_BATCH,
        )
    if shipment.status == ShipmentStatus.CANCELLED:
        raise Conflict(
            "The shipment is cancelled and takes no readings.",
            code="shipment_cancelled",
            current_status=shipment.status,
        )
    valid, rejected = validate_readings(rows)
    result = IngestResult(received=len(rows), rejected=len(rejected), rejected_rows=rejected[:1000])
    with transaction.atomic():
        # One ingestion per shipment at a time: the summary row is the lock.
        summary, _ = TelemetrySummary.objects.select_for_update().get_or_create(shipment=shipment)
        # Each store skips readings already stored and repeats within the batch (same sensor and
        # time): the stats count only the new ones.
        stats = STORES[storage_path()](shipment, valid) if valid else {}
        accepted = sum(s.count for s in stats.values())
        result.accepted = accepted
        result.duplicate = len(valid) - accepted
        result.by_sensor = stats
        if accepted:
            _advance_summary(summary, stats)
            band = excursions.Band.of(shipment)
            if band is not None:
                # May hold a repeated reading; detection then re-reads the stored window.
                by_sensor: dict[str, list] = defaultdict(list)
                for reading in valid:
                    by_sensor[reading.sensor_id].append((reading.time, reading.temp_c))
                for sensor_id, sensor_stats in sorted(stats.items()):
                    excursions.redetect_after_insert(
                        shipment=shipment,
                        band=band,
                        sensor_id=sensor_id,
                        first=sensor_stats.first,
                        last=sensor_stats.last,
                        inserted=sensor_stats.count,
                        batch_points=by_sensor[sensor_id],
                        actor=actor,
                    )
                excursions.refresh_excursion_totals(shipment=shipment)
    return result


def _advance_summary(summary: TelemetrySummary, stats: dict[str, SensorStats]) -> None:
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
    summary.save(
        update_fields=[
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
    )


# --- storage: the PostgreSQL fast path ---------------------------------------------------------

STAGING_DDL = (
    "CREATE TEMP TABLE IF NOT EXISTS logistics_reading_staging ("
    " sensor_id text, time timestamptz, temp_c float8, humidity float8,"
    " latitude float8, longitude float8) ON COMMIT DELETE ROWS"
)
COPY_SQL = (
    "COPY logistics_reading_staging (sensor_id, time, temp_c, humidity, latitude, longitude)"
    " FROM STDIN (FORMAT BINARY)"
)
INSERT_SQL = """
WITH inserted AS (
    INSERT INTO logistics_sensorreading
        (shipment_id, sensor_id, time, temp_c, humidity, latitude, longitude)
    SELECT %(shipment)s, sensor_id, time, temp_c, humidity, latitude, longitude
    FROM logistics_reading_staging
    ON CONFLICT DO NOTHING
    RETURNING sensor_id, time, temp_c
), rolled AS (
    INSERT INTO logistics_readingrollup AS r
        (shipment_id, slot, temp_min, temp_max, temp_sum, count)
    SELECT %(shipment)s, date_bin(%(slot)s, time, %(origin)s), min(temp_c), max(temp_c),
           sum(temp_c), count(*)
    FROM inserted GROUP BY 2
    ON CONFLICT (shipment_id, slot) DO UPDATE SET
        temp_min = least(r.temp_min, excluded.temp_min),
        temp_max = greatest(r.temp_max, excluded.temp_max),
        temp_sum = r.temp_sum + excluded.temp_sum,
        count = r.count + excluded.count
)
SELECT sensor_id, count(*), min(time), max(time), min(temp_c), max(temp_c), sum(temp_c),
       sum(exp(%(k)s / (temp_c + 273.15))),
       count(*) FILTER (WHERE temp_c >= %(low)s AND temp_c <= %(high)s),
       (array_agg(temp_c ORDER BY time DESC))[1]
FROM inserted GROUP BY sensor_id
"""


def _store_postgres(shipment: Shipment, readings: list[ValidReading]) -> dict[str, SensorStats]:
    low, high = _band_limits(shipment)
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg 3 cursor under Django's wrapper
        cursor.execute(STAGING_DDL)
        cursor.execute("TRUNCATE logistics_reading_staging")
        with cursor.copy(COPY_SQL) as copy:
            copy.set_types(["text", "timestamptz", "float8", "float8", "float8", "float8"])
            for reading in readings:
                copy.write_row(reading)
        cursor.execute(
            INSERT_SQL,
            {
                "shipment": shipment.pk,
                "slot": ROLLUP_SLOT,
                "origin": BUCKET_ORIGIN,
                "k": -DELTA_H_OVER_R,
                "low": low if math.isfinite(low) else -1e9,
                "high": high if math.isfinite(high) else 1e9,
            },
        )
        rows = cursor.fetchall()
        cursor.execute("TRUNCATE logistics_reading_staging")
    stats = {}
    for sensor_id, count, first, last, tmin, tmax, tsum, asum, in_band, last_temp in rows:
        stats[sensor_id] = SensorStats(
            count, first, last, tmin, tmax, tsum, asum, in_band, last_temp
        )
    return stats


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


def _bin_start(time: datetime, width: timedelta) -> datetime:
    """Start of the bucket of `width` that holds `time` (buckets aligned to BUCKET_ORIGIN)."""
    return BUCKET_ORIGIN + (time - BUCKET_ORIGIN) // width * width


def _accumulate(into: dict[datetime, list], key: datetime, low, high, total, count) -> None:
    """Add (min, max, sum, count) to the bucket `key` of `into`."""
    entry = into.get(key)
    if entry is None:
        into[key] = [low, high, total, count]
    else:
        entry[0] = min(entry[0], low)
        entry[1] = max(entry[1], high)
        entry[2] += total
        entry[3] += count


def _rollup_orm(shipment: Shipment, new: list[ValidReading]) -> None:
    if not new:
        return
    slots: dict[datetime, list] = {}
    for r in new:
        _accumulate(slots, _bin_start(r.time, ROLLUP_SLOT), r.temp_c, r.temp_c, r.temp_c, 1)
    for old in ReadingRollup.objects.filter(
        shipment=shipment, slot__gte=min(slots), slot__lte=max(slots)
    ):
        if old.slot in slots:
            _accumulate(slots, old.slot, old.temp_min, old.temp_max, old.temp_sum, old.count)
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


# --- reading the summary and the chart ---------------------------------------------------------


def mean_kinetic_temperature(summary: TelemetrySummary) -> float | None:
    if not summary.reading_count or summary.arrhenius_sum <= 0:
        return None
    return DELTA_H_OVER_R / -math.log(summary.arrhenius_sum / summary.reading_count) - KELVIN


BUCKET = re.compile(r"([1-9][0-9]{0,3})([smhd])")
# The widths parse_bucket accepts (10s to 7d, no leading zeros), for the schema.
BUCKET_PATTERN = (
    r"^(?:[1-9][0-9]{1,3}s|[1-9][0-9]{0,3}m|(?:[1-9][0-9]?|1[0-5][0-9]|16[0-8])h|[1-7]d)$"
)
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_bucket(value: str) -> timedelta:
    match = BUCKET.fullmatch(value or "")
    if not match:
        raise ValidationFailed(
            "bucket is a width like 30s, 15m, 1h or 1d.", field="bucket", code="invalid"
        )
    width = timedelta(seconds=int(match.group(1)) * UNIT_SECONDS[match.group(2)])
    if not timedelta(seconds=10) <= width <= timedelta(days=7):
        raise ValidationFailed("bucket must be between 10s and 7d.", field="bucket")
    return width


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
        _accumulate(acc, _bin_start(time, width), lo, hi, total, n)
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
