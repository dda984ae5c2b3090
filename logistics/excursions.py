"""Temperature excursion detection.

The detection is a pure function of one sensor's readings in time order (`detect`), so its result
cannot depend on the order or batch split in which readings arrived. Ingestion re-runs it over a
bounded window around the new readings (`redetect_after_insert`) and reconciles the stored rows,
emitting one `started` and one `ended` event per excursion row.

Definitions (docs/logistics.md, "Excursions"):
- a reading is *out* when it is outside the band and not within the ignore period after loading;
- a *run* is a maximal sequence of out readings with no in-band reading between them; it starts at
  its first out reading and ends at the first in-band reading after it (open until then);
- its time outside is (end or last out reading) - start;
- consecutive mode: a run is an excursion when its time outside reaches the delay;
- cumulative mode: runs add up; from the run that brings the total to the delay on, every run is an
  excursion (this mode re-reads the sensor's whole series, bounded by the shipment's length).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, Sum

from agri_platform.events import services as events

from .choices import Direction, ExcursionMode, Severity
from .models import SensorReading, Shipment, TelemetrySummary, TemperatureExcursion


@dataclass(frozen=True)
class Run:
    sensor_id: str
    started_at: datetime
    last_out_at: datetime
    ended_at: datetime | None
    peak_c: float
    direction: str

    @property
    def minutes_outside(self) -> float:
        return ((self.ended_at or self.last_out_at) - self.started_at).total_seconds() / 60

    @property
    def severity(self) -> str:
        return severity_of(self.deviation, self.minutes_outside)

    deviation: float = 0.0


def severity_of(deviation_c: float, minutes: float) -> str:
    if deviation_c >= 5 or minutes >= 120:
        return Severity.CRITICAL
    if deviation_c >= 2 or minutes >= 60:
        return Severity.MAJOR
    return Severity.MINOR


@dataclass(frozen=True)
class Band:
    low: float
    high: float
    ignore_until: datetime | None
    delay: timedelta
    mode: str

    @classmethod
    def of(cls, shipment: Shipment) -> "Band | None":
        if shipment.temp_min_c is None and shipment.temp_max_c is None:
            return None
        return cls(
            low=float(shipment.temp_min_c) if shipment.temp_min_c is not None else float("-inf"),
            high=float(shipment.temp_max_c) if shipment.temp_max_c is not None else float("inf"),
            ignore_until=shipment.ignore_until,
            delay=timedelta(minutes=shipment.excursion_delay_minutes),
            mode=shipment.excursion_mode,
        )

    def is_out(self, time: datetime, temp: float) -> bool:
        if self.ignore_until is not None and time < self.ignore_until:
            return False
        return temp < self.low or temp > self.high

    def deviation(self, temp: float) -> float:
        return temp - self.high if temp > self.high else self.low - temp

    def not_out_q(self) -> Q:
        in_band = Q()
        if self.low != float("-inf"):
            in_band &= Q(temp_c__gte=self.low)
        if self.high != float("inf"):
            in_band &= Q(temp_c__lte=self.high)
        if self.ignore_until is None:
            return in_band
        return Q(time__lt=self.ignore_until) | in_band


def runs_of(sensor_id: str, points, band: Band) -> list[Run]:
    """Every run of out readings in `points` ((time, temp) sorted by time)."""
    runs: list[Run] = []
    start = last = None
    peak = 0.0
    peak_dev = -1.0
    for time, temp in points:
        if band.is_out(time, temp):
            dev = band.deviation(temp)
            if start is None:
                start, peak, peak_dev = time, temp, dev
            elif dev > peak_dev:
                peak, peak_dev = temp, dev
            last = time
        elif start is not None:
            runs.append(_run(sensor_id, start, last, time, peak, peak_dev, band))
            start = None
    if start is not None:
        runs.append(_run(sensor_id, start, last, None, peak, peak_dev, band))
    return runs


def _run(sensor_id, start, last, end, peak, dev, band) -> Run:
    return Run(
        sensor_id=sensor_id,
        started_at=start,
        last_out_at=last,
        ended_at=end,
        peak_c=peak,
        direction=Direction.ABOVE if peak > band.high else Direction.BELOW,
        deviation=round(dev, 6),
    )


def detect(sensor_id: str, points, band: Band) -> list[Run]:
    """The excursions among `points` of one sensor (the whole series in cumulative mode)."""
    runs = runs_of(sensor_id, points, band)
    delay_minutes = band.delay.total_seconds() / 60
    if band.mode == ExcursionMode.CUMULATIVE:
        found, total = [], 0.0
        for run in runs:
            total += run.minutes_outside
            if total >= delay_minutes:
                found.append(run)
        return found
    return [run for run in runs if run.minutes_outside >= delay_minutes]


def _readings(shipment_id: int, sensor_id: str):
    return SensorReading.objects.filter(shipment_id=shipment_id, sensor_id=sensor_id)


def _points(
    shipment_id, sensor_id, start, end, *, below=None, above=None
) -> list[tuple[datetime, float]]:
    """(time, temp) of one sensor, start <= time <= end, optionally time < below / > above."""
    qs = _readings(shipment_id, sensor_id)
    if start is not None:
        qs = qs.filter(time__gte=start)
    if end is not None:
        qs = qs.filter(time__lte=end)
    if below is not None:
        qs = qs.filter(time__lt=below)
    if above is not None:
        qs = qs.filter(time__gt=above)
    return list(qs.order_by("time").values_list("time", "temp_c"))


def redetect_after_insert(
    *,
    shipment: Shipment,
    band: Band,
    sensor_id: str,
    first: datetime,
    last: datetime,
    inserted: int | None = None,
    batch_points: list | None = None,
    actor=None,
) -> None:
    """Re-run detection for `sensor_id` after readings between `first` and `last` were stored.

    Consecutive mode: runs are separated by not-out readings, so new readings can only change the
    runs between the last not-out reading before `first` and the first not-out reading after
    `last` (both old); everything outside that window is untouched.

    `batch_points` ((time, temp) of the batch for this sensor) and `inserted` (how many rows were
    new) let the common case skip re-reading the batch: when no older reading lies between
    `first` and `last`, the window is the stored readings around the batch plus the batch itself.
    """
    if (
        band.mode == ExcursionMode.CONSECUTIVE
        and batch_points is not None
        and inserted is not None
        and _cannot_change_runs(shipment, band, sensor_id, first, last, inserted, batch_points)
    ):
        return
    start = end = None
    if band.mode == ExcursionMode.CONSECUTIVE:
        readings = _readings(shipment.pk, sensor_id).filter(band.not_out_q())
        start = (
            readings.filter(time__lt=first).order_by("-time").values_list("time", flat=True).first()
        )
        end = readings.filter(time__gt=last).order_by("time").values_list("time", flat=True).first()
    points = None
    if batch_points is not None and inserted is not None:
        stored_inside = (
            _readings(shipment.pk, sensor_id).filter(time__gte=first, time__lte=last).count()
        )
        if stored_inside == inserted:  # nothing older interleaves: the batch is the middle
            middle = sorted(p for p in batch_points if first <= p[0] <= last)
            if len(middle) == inserted:
                before = _points(shipment.pk, sensor_id, start, None, below=first)
                after = _points(shipment.pk, sensor_id, None, end, above=last)
                points = before + middle + after
    if points is None:
        points = _points(shipment.pk, sensor_id, start, end)
    found = detect(sensor_id, points, band)
    stored = TemperatureExcursion.objects.filter(shipment=shipment, sensor_id=sensor_id)
    if start is not None:
        stored = stored.filter(started_at__gt=start)
    if end is not None:
        stored = stored.filter(started_at__lt=end)
    reconcile(shipment=shipment, band=band, found=found, stored=list(stored), actor=actor)


def _cannot_change_runs(shipment, band, sensor_id, first, last, inserted, batch_points) -> bool:
    """True when the batch provably changes no run: every new reading is not out, no older reading
    lies between them, and the reading just before them is not out either (so no run is open or
    split at that point; runs after the batch start at their own first out reading)."""
    if any(band.is_out(time, temp) for time, temp in batch_points if first <= time <= last):
        return False
    readings = _readings(shipment.pk, sensor_id)
    if readings.filter(time__gte=first, time__lte=last).count() != inserted:
        return False
    previous = readings.filter(time__lt=first).order_by("-time").values_list("time", "temp_c")[:1]
    return not any(band.is_out(time, temp) for time, temp in previous)


def redetect_all(*, shipment: Shipment, actor=None) -> None:
    """Full re-detection of every sensor (band or settings changed; cumulative reference)."""
    band = Band.of(shipment)
    sensors = SensorReading.objects.filter(shipment=shipment).values_list("sensor_id", flat=True)
    found: list[Run] = []
    if band is not None:
        for sensor_id in sorted(set(sensors)):
            found.extend(detect(sensor_id, _points(shipment.pk, sensor_id, None, None), band))
    stored = list(TemperatureExcursion.objects.filter(shipment=shipment))
    reconcile(shipment=shipment, band=band, found=found, stored=stored, actor=actor)
    refresh_excursion_totals(shipment=shipment)


def _overlaps(run: Run, row: TemperatureExcursion) -> bool:
    if run.sensor_id != row.sensor_id:
        return False
    run_end = run.ended_at or run.last_out_at
    row_end = row.ended_at or row.last_out_at
    return run.started_at <= row_end and row.started_at <= run_end


def reconcile(*, shipment, band, found: list[Run], stored: list[TemperatureExcursion], actor):
    """Make the stored rows equal `found`: update a row that overlaps a found run, create the new
    ones, delete rows that no longer stand (late readings split or merged them)."""
    unmatched = sorted(stored, key=lambda row: (row.sensor_id, row.started_at))
    pairs = []
    for run in found:
        row = next((r for r in unmatched if _overlaps(run, r)), None)
        if row is None:
            row = TemperatureExcursion(shipment=shipment, sensor_id=run.sensor_id)
        else:
            unmatched.remove(row)
        pairs.append((row, run))
    if unmatched:
        TemperatureExcursion.objects.filter(pk__in=[row.pk for row in unmatched]).delete()
    for row, run in pairs:
        _apply(row, run)
        _save_and_announce(row, shipment=shipment, band=band, actor=actor)


def _apply(row: TemperatureExcursion, run: Run) -> None:
    row.started_at = run.started_at
    row.last_out_at = run.last_out_at
    row.ended_at = run.ended_at
    row.peak_c = run.peak_c
    row.direction = run.direction
    row.duration_minutes = round(run.minutes_outside, 3)
    row.severity = run.severity


FIELDS = (
    "started_at",
    "last_out_at",
    "ended_at",
    "peak_c",
    "direction",
    "duration_minutes",
    "severity",
)


def _save_and_announce(row, *, shipment, band, actor) -> None:
    is_new = row.pk is None
    if is_new:
        row.save()
    else:
        original = TemperatureExcursion.objects.filter(pk=row.pk).values(*FIELDS).first()
        if original is not None and any(original[f] != getattr(row, f) for f in FIELDS):
            row.save(update_fields=list(FIELDS))
    announce = []
    if not row.started_event_sent:
        row.started_event_sent = True
        announce.append("shipment.temperature_excursion.started")
    if row.ended_at is not None and not row.ended_event_sent:
        row.ended_event_sent = True
        announce.append("shipment.temperature_excursion.ended")
    if not announce:
        return
    row.save(update_fields=["started_event_sent", "ended_event_sent"])
    for kind in announce:
        events.record(
            kind,
            payload=excursion_payload(row, shipment, band),
            enterprise=shipment.enterprise,
            actor=actor,
            subject=row,
            partners=[shipment.carrier],
        )


def excursion_payload(row: TemperatureExcursion, shipment: Shipment, band) -> dict:
    return {
        "shipment_id": shipment.pk,
        "reference": shipment.reference,
        "excursion_id": row.pk,
        "sensor_id": row.sensor_id,
        "started_at": row.started_at.isoformat(),
        "ended_at": row.ended_at.isoformat() if row.ended_at else None,
        "peak_c": row.peak_c,
        "direction": row.direction,
        "duration_minutes": row.duration_minutes,
        "severity": row.severity,
        "band_c": [
            float(shipment.temp_min_c) if shipment.temp_min_c is not None else None,
            float(shipment.temp_max_c) if shipment.temp_max_c is not None else None,
        ],
    }


def refresh_excursion_totals(*, shipment: Shipment) -> None:
    totals = TemperatureExcursion.objects.filter(shipment=shipment).aggregate(
        count=Count("id"), minutes=Sum("duration_minutes")
    )
    TelemetrySummary.objects.filter(shipment=shipment).update(
        excursion_count=totals["count"] or 0, excursion_minutes=totals["minutes"] or 0.0
    )
