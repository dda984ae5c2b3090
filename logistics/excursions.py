"""Temperature excursion detection.

The detection is a pure function of one sensor's readings in time order (`detect`), so its result
cannot depend on the order or batch split in which readings arrived. Ingestion re-runs it over a
bounded window around the new readings and reconciles the stored rows, emitting one `started` and
one `ended` event per excursion row (`services/excursions.py`).

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

from django.db.models import Q

from .choices import Direction, ExcursionMode, Severity
from .models import Shipment


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
