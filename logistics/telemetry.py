"""Sensor telemetry: the one validation of a reading (JSON objects and CSV rows alike), the
parsing of a batch, and the time buckets of the chart.

Storing readings is `services/telemetry.py` (`telemetry_ingest`); the summary and the chart are
read by `selectors.py`.
"""

import csv
import io
import math
import re
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _

from agri_platform.api.errors import ValidationFailed
from agri_platform.api.inputs import unstorable_reason

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
            raise Rejected(_("%(field)s is required") % {"field": name})
        return None
    if isinstance(value, bool):
        raise Rejected(_("%(field)s must be a number") % {"field": name})
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise Rejected(
            _("%(field)s is not a number: %(value)s") % {"field": name, "value": _quoted(value)}
        ) from None
    if not math.isfinite(number):
        raise Rejected(_("%(field)s must be finite") % {"field": name})
    return number


def _quoted(value) -> str:
    """The start of a value a sender gave, quoted as in the reason it is echoed in."""
    return repr(str(value)[:40])


def _time(value, now: datetime) -> datetime:
    if value is None or value == "":
        raise Rejected(_("%(field)s is required") % {"field": "time"})
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            parsed = datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise Rejected(_("time is not a valid Unix timestamp")) from None
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise Rejected(
                _("time is not ISO 8601: %(value)s") % {"value": _quoted(value)}
            ) from None
        if parsed.tzinfo is None:
            raise Rejected(_("time needs a UTC offset (e.g. 2026-01-12T08:00:00+08:00 or …Z)"))
        try:
            parsed = parsed.astimezone(UTC)
        except OverflowError:  # 9999-12-31T23:59:59-23:59 is past year 9999 in UTC
            raise Rejected(_("time is outside the supported range once converted to UTC")) from None
    else:
        raise Rejected(_("time must be an ISO 8601 string or a Unix timestamp"))
    if parsed > now + FUTURE_SKEW:
        raise Rejected(
            _("time is in the future (more than %(minutes)d minutes ahead of the server)")
            % {"minutes": int(FUTURE_SKEW.total_seconds() // 60)}
        )
    if parsed < EARLIEST:
        raise Rejected(_("time is before %(date)s") % {"date": EARLIEST.date().isoformat()})
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


def validate_reading(row, now: datetime) -> ValidReading:
    """One reading, from a JSON object or a CSV row (strings), by the rules of `validate_readings`;
    Rejected, with the reason, when it breaks one."""
    valid, rejected = validate_readings([row], now=now)
    if rejected:
        raise Rejected(rejected[0]["reason"])
    return valid[0]


def _careful(row, now: datetime) -> ValidReading:
    if not isinstance(row, dict):
        raise Rejected(_("a reading must be an object"))
    sensor_id = row.get("sensor_id")
    if sensor_id is None or not str(sensor_id).strip():
        raise Rejected(_("%(field)s is required") % {"field": "sensor_id"})
    sensor_id = str(sensor_id).strip()
    if len(sensor_id) > MAX_SENSOR_ID:
        raise Rejected(
            _("sensor_id is longer than %(limit)d characters") % {"limit": MAX_SENSOR_ID}
        )
    reason = unstorable_reason(sensor_id)  # a CSV body can carry a NUL; PostgreSQL refuses it
    if reason:
        raise Rejected(_("sensor_id: %(reason)s") % {"reason": reason})
    time = _time(row.get("time"), now)
    temp = _number(row.get("temp_c"), "temp_c", required=True)
    if not TEMP_RANGE_C[0] <= temp <= TEMP_RANGE_C[1]:
        raise Rejected(_outside("temp_c", temp, TEMP_RANGE_C, " °C"))
    humidity = _number(row.get("humidity"), "humidity")
    if humidity is not None and not HUMIDITY_RANGE[0] <= humidity <= HUMIDITY_RANGE[1]:
        raise Rejected(_outside("humidity", humidity, HUMIDITY_RANGE, " %"))
    latitude = _number(_either(row, "latitude", "lat"), "latitude")
    longitude = _number(_either(row, "longitude", "lon"), "longitude")
    if (latitude is None) != (longitude is None):
        raise Rejected(_("latitude and longitude go together"))
    if latitude is not None and not -90 <= latitude <= 90:
        raise Rejected(_outside("latitude", latitude, (-90, 90)))
    if longitude is not None and not -180 <= longitude <= 180:
        raise Rejected(_outside("longitude", longitude, (-180, 180)))
    return ValidReading(sensor_id, time, temp, humidity, latitude, longitude)


def _outside(name: str, value: float, limits: tuple, unit: str = "") -> str:
    """ "temp_c 120.0 is outside -80..80 °C": the field, the value and the range it must be in."""
    return _("%(field)s %(value)s is outside %(low)s..%(high)s%(unit)s") % {
        "field": name,
        "value": value,
        "low": f"{limits[0]:g}",
        "high": f"{limits[1]:g}",
        "unit": unit,
    }


def _either(row, name, alias):
    value = row.get(name)
    return row.get(alias) if value is None else value


def validate_readings(rows, *, now: datetime | None = None):
    """(valid readings, rejected [{index, reason, reading}]) for a batch. The one validation.

    The loop takes the common, clean reading in few steps, its names bound locally (a
    10,000-reading batch is 10,000 turns of it: a call and global look-ups per reading cost a
    third of the time). A reading it is unsure of goes to `_careful`, which decides and names the
    reason; the quick steps never accept a reading `_careful` would reject, nor give it other
    values (tests/logistics/test_telemetry.py runs the tricky readings through both)."""
    now = now or timezone.now()
    latest = now + FUTURE_SKEW
    valid: list[ValidReading] = []
    rejected: list[dict] = []
    keep = valid.append
    # ValidReading._make without its Python-level call (the tuples below always hold six fields)
    new_reading = partial(tuple.__new__, ValidReading)
    fromisoformat, utc, earliest = _fromisoformat, UTC, EARLIEST
    temp_low, temp_high = TEMP_RANGE_C
    humidity_low, humidity_high = HUMIDITY_RANGE
    optional_number, max_sensor_id = _optional_number, MAX_SENSOR_ID
    for index, row in enumerate(rows):
        try:  # the common case
            sensor_id = row["sensor_id"].strip()
            if not sensor_id or len(sensor_id) > max_sensor_id or "\x00" in sensor_id:
                raise _Irregular
            time = fromisoformat(row["time"])
            if time.tzinfo is not utc:
                if time.tzinfo is None:
                    raise _Irregular
                time = time.astimezone(utc)
            if not earliest <= time <= latest:
                raise _Irregular
            temp = row["temp_c"]
            if type(temp) is bool:
                raise _Irregular
            temp = float(temp)
            if not temp_low <= temp <= temp_high:  # also false for NaN
                raise _Irregular
            if "humidity" in row:
                humidity = row["humidity"]
                if type(humidity) is float:  # the usual JSON number: no conversion to make
                    if not humidity_low <= humidity <= humidity_high:  # also false for NaN
                        raise _Irregular
                else:
                    humidity = optional_number(row, "humidity")
                    if humidity is not None and not humidity_low <= humidity <= humidity_high:
                        raise _Irregular
                if len(row) == 4:  # sensor_id, time, temp_c, humidity: no position
                    keep(new_reading((sensor_id, time, temp, humidity, None, None)))
                    continue
            else:
                humidity = None
                if len(row) == 3:  # sensor_id, time, temp_c: no position
                    keep(new_reading((sensor_id, time, temp, None, None, None)))
                    continue
            latitude = optional_number(row, "latitude", "lat")
            longitude = optional_number(row, "longitude", "lon")
            if latitude is not None or longitude is not None:
                if latitude is None or longitude is None:
                    raise _Irregular
                if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                    raise _Irregular
            keep(new_reading((sensor_id, time, temp, humidity, latitude, longitude)))
        except Exception:  # any surprise: the careful path decides and names the reason
            try:
                keep(_careful(row, now))
            except Rejected as exc:
                rejected.append({"index": index, "reason": str(exc), "reading": row})
    return valid, rejected


def parse_csv(text: str) -> list[dict]:
    """CSV with a header row (sensor_id,time,temp_c[,humidity,latitude,longitude])."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [CSV_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in next(reader)]
    except StopIteration:
        raise ValidationFailed(_("The CSV is empty."), field="readings") from None
    missing = [c for c in ("sensor_id", "time", "temp_c") if c not in header]
    if missing:
        raise ValidationFailed(
            _("The CSV header lacks %(missing)s; expected %(columns)s.")
            % {"missing": ", ".join(missing), "columns": ",".join(CSV_COLUMNS)},
            field="readings",
        )
    return [dict(zip(header, values, strict=False)) for values in reader if values]


def rows_from_json(data) -> list:
    rows = data.get("readings") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise ValidationFailed(
            _('Send a JSON array of readings or {"readings": [...]}.'), field="readings"
        )
    return rows


def bin_start(time: datetime, width: timedelta) -> datetime:
    """Start of the bucket of `width` that holds `time` (buckets aligned to BUCKET_ORIGIN)."""
    return BUCKET_ORIGIN + (time - BUCKET_ORIGIN) // width * width


def accumulate(into: dict[datetime, list], key: datetime, low, high, total, count) -> None:
    """Add (min, max, sum, count) to the bucket `key` of `into`."""
    entry = into.get(key)
    if entry is None:
        into[key] = [low, high, total, count]
    else:
        entry[0] = min(entry[0], low)
        entry[1] = max(entry[1], high)
        entry[2] += total
        entry[3] += count


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
            _("bucket is a width like 30s, 15m, 1h or 1d."), field="bucket", code="invalid"
        )
    width = timedelta(seconds=int(match.group(1)) * UNIT_SECONDS[match.group(2)])
    if not timedelta(seconds=10) <= width <= timedelta(days=7):
        raise ValidationFailed(_("bucket must be between 10s and 7d."), field="bucket")
    return width
