"""Every state change of temperature excursions: re-detection after readings are stored (and the
reconciliation of the stored rows with what detection finds), the totals on the telemetry summary,
and the acknowledgement by the enterprise. Detection itself is `excursions.py`."""

from datetime import UTC, datetime

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from agri_platform.api.errors import Conflict, ValidationFailed
from agri_platform.events import services as events

from .. import facts
from ..choices import ExcursionMode
from ..excursions import Band, Run, detect
from ..models import SensorReading, Shipment, TelemetrySummary, TemperatureExcursion
from .shipments import require_enterprise_side

# Before any reading: the window's lower bound when no reading before the batch is not out.
EARLIEST_TIME = datetime(1, 1, 1, tzinfo=UTC)


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


def _window_before(shipment_id, sensor_id, band: Band, first, appended, newest_stored) -> list:
    """`_points_since_last_not_out`, without a query when the batch follows the stored readings
    and the store read the one just before it: nothing, or that reading when it is not out."""
    if appended and newest_stored is not None:
        time, temp = newest_stored
        if time is None:
            return []
        if not band.is_out(time, temp):
            return [newest_stored]
    return _points_since_last_not_out(shipment_id, sensor_id, band, first)


def _points_since_last_not_out(shipment_id, sensor_id, band: Band, first: datetime) -> list:
    """(time, temp) of the sensor's readings before `first`, from the newest one that is not out
    (which opens the list; a list opening with an out reading holds every reading before `first`,
    none being not out). One query where the window's start and the readings from it took two."""
    last_not_out = (
        _readings(shipment_id, sensor_id)
        .filter(band.not_out_q(), time__lt=first)
        .order_by("-time")
        .values("time")[:1]
    )
    readings = _readings(shipment_id, sensor_id).filter(
        time__lt=first, time__gte=Coalesce(Subquery(last_not_out), Value(EARLIEST_TIME))
    )
    return list(readings.order_by("time").values_list("time", "temp_c"))


def excursions_redetect_after_insert(
    *,
    actor,
    shipment: Shipment,
    band: Band,
    sensor_id: str,
    first: datetime,
    last: datetime,
    inserted: int | None = None,
    batch_points: list | None = None,
    appended: bool = False,
    newest_stored: tuple | None = None,
) -> bool:
    """Re-run detection for `sensor_id` after readings between `first` and `last` were stored.

    Consecutive mode: runs are separated by not-out readings, so new readings can only change the
    runs between the last not-out reading before `first` and the first not-out reading after
    `last` (both old); everything outside that window is untouched.

    `batch_points` ((time, temp) of the batch for this sensor) and `inserted` (how many rows were
    new) let the common case skip re-reading the batch: when no older reading lies between
    `first` and `last`, the window is the stored readings around the batch plus the batch itself.
    `appended` says that no reading of this sensor was stored at or after `first` before this
    batch (the usual stream, told by the store: `SensorStats.appended`): then nothing older lies
    inside the window or after it, and the queries that would look there are skipped.
    `newest_stored` is then the reading just before the batch as (time, temp), (None, None) when
    there is none (`SensorStats.newest_stored`): when it is not out, the window opens there without
    a query.
    """
    if (
        band.mode == ExcursionMode.CONSECUTIVE
        and batch_points is not None
        and inserted is not None
        and _cannot_change_runs(
            shipment, band, sensor_id, first, last, inserted, batch_points, appended, newest_stored
        )
    ):
        return False
    start = end = before = None
    if band.mode == ExcursionMode.CONSECUTIVE:
        before = _window_before(shipment.pk, sensor_id, band, first, appended, newest_stored)
        if before and not band.is_out(*before[0]):
            start = before[0][0]
        if not appended:
            end = (
                _readings(shipment.pk, sensor_id)
                .filter(band.not_out_q(), time__gt=last)
                .order_by("time")
                .values_list("time", flat=True)
            ).first()
    points = None
    if batch_points is not None and inserted is not None:
        stored_inside = (
            inserted
            if appended
            else _readings(shipment.pk, sensor_id).filter(time__gte=first, time__lte=last).count()
        )
        if stored_inside == inserted:  # nothing older interleaves: the batch is the middle
            if len(batch_points) == inserted:  # every point was stored, so lies in the window
                middle = sorted(batch_points)
            else:
                middle = sorted(p for p in batch_points if first <= p[0] <= last)
            if len(middle) == inserted:
                if before is None:
                    before = _points(shipment.pk, sensor_id, None, None, below=first)
                after = [] if appended else _points(shipment.pk, sensor_id, None, end, above=last)
                points = before + middle + after
    if points is None:
        points = _points(shipment.pk, sensor_id, start, end)
    found = detect(sensor_id, points, band)
    if appended and start is not None and newest_stored is not None and start == newest_stored[0]:
        stored = []  # the window opens at the newest stored reading: no excursion starts after it
    else:
        stored = TemperatureExcursion.objects.filter(shipment=shipment, sensor_id=sensor_id)
        if start is not None:
            stored = stored.filter(started_at__gt=start)
        if end is not None:
            stored = stored.filter(started_at__lt=end)
    excursions_reconcile(
        actor=actor, shipment=shipment, band=band, found=found, stored=list(stored)
    )
    return True


def _cannot_change_runs(
    shipment, band, sensor_id, first, last, inserted, batch_points, appended, newest_stored
) -> bool:
    """True when the batch provably changes no run: every new reading is not out, no older reading
    lies between them, and the reading just before them is not out either (so no run is open or
    split at that point; runs after the batch start at their own first out reading)."""
    if any(band.is_out(time, temp) for time, temp in batch_points if first <= time <= last):
        return False
    if appended:  # nothing older lies between them: only the reading before is to be read
        if newest_stored is not None:
            previous = None if newest_stored[0] is None else newest_stored
        else:
            previous = (
                _readings(shipment.pk, sensor_id)
                .filter(time__lt=first)
                .order_by("-time")
                .values_list("time", "temp_c")
                .first()
            )
        return previous is None or not band.is_out(*previous)
    # One query for both facts: how many readings lie between first and last, and the reading
    # just before first.
    readings = _readings(OuterRef("pk"), sensor_id)
    previous = readings.filter(time__lt=first).order_by("-time")
    inside = (
        readings.filter(time__gte=first, time__lte=last)
        .order_by()
        .values("shipment_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    count, previous_time, previous_temp = (
        Shipment.objects.filter(pk=shipment.pk)
        .annotate(
            inside=Subquery(inside),
            previous_time=Subquery(previous.values("time")[:1]),
            previous_temp=Subquery(previous.values("temp_c")[:1]),
        )
        .values_list("inside", "previous_time", "previous_temp")
        .get()
    )
    if (count or 0) != inserted:
        return False
    return previous_time is None or not band.is_out(previous_time, previous_temp)


def excursions_redetect_all(*, actor, shipment: Shipment) -> None:
    """Full re-detection of every sensor (band or settings changed; cumulative reference)."""
    band = Band.of(shipment)
    sensors = SensorReading.objects.filter(shipment=shipment).values_list("sensor_id", flat=True)
    found: list[Run] = []
    if band is not None:
        for sensor_id in sorted(set(sensors)):
            found.extend(detect(sensor_id, _points(shipment.pk, sensor_id, None, None), band))
    stored = list(TemperatureExcursion.objects.filter(shipment=shipment))
    excursions_reconcile(actor=actor, shipment=shipment, band=band, found=found, stored=stored)
    excursion_totals_refresh(shipment=shipment)


def _overlaps(run: Run, row: TemperatureExcursion) -> bool:
    if run.sensor_id != row.sensor_id:
        return False
    run_end = run.ended_at or run.last_out_at
    row_end = row.ended_at or row.last_out_at
    return run.started_at <= row_end and row.started_at <= run_end


def excursions_reconcile(
    *, actor, shipment, band, found: list[Run], stored: list[TemperatureExcursion]
):
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
        facts.queue_refresh(shipment.pk)
    new_rows, announcements = [], []
    for row, run in pairs:
        stored_fields = {f: getattr(row, f) for f in FIELDS} if row.pk is not None else None
        _apply(row, run)
        kinds = _flag_announcements(row)
        if stored_fields is None:
            new_rows.append(row)
        else:
            _save_changes(row, stored_fields, kinds)
        announcements += [(row, kind) for kind in kinds]
    if new_rows:  # one INSERT for the new rows with their announcement flags, one for history
        bulk_create_with_history(new_rows, TemperatureExcursion)
    if announcements:
        facts.queue_refresh(shipment.pk)  # excursion count and minutes of the analytics fact
    # Recorded in the same transaction as the flags, so a flag is never set for an unrecorded
    # event.
    for row, kind in announcements:
        events.record(
            kind,
            payload=excursion_payload(row, shipment, band),
            enterprise=shipment.enterprise,
            actor=actor,
            subject=row,
            partners=[shipment.carrier],
        )


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
FLAGS = ["started_event_sent", "ended_event_sent"]


def _flag_announcements(row: TemperatureExcursion) -> list[str]:
    """The events `row` is due to announce, its flags set for them (saved with the row)."""
    kinds = []
    if not row.started_event_sent:
        row.started_event_sent = True
        kinds.append("shipment.temperature_excursion.started")
    if row.ended_at is not None and not row.ended_event_sent:
        row.ended_event_sent = True
        kinds.append("shipment.temperature_excursion.ended")
    return kinds


def _save_changes(row: TemperatureExcursion, stored_fields: dict, kinds: list[str]) -> None:
    """One UPDATE of a stored row: the FIELDS that differ from `stored_fields` (as read in this
    transaction) and, when it announces something, its flags."""
    changed = [f for f in FIELDS if stored_fields[f] != getattr(row, f)]
    flags = FLAGS if kinds else []
    if changed or flags:
        row.save(update_fields=changed + flags)


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


def excursion_totals(*, shipment: Shipment) -> tuple[int, float]:
    """The shipment's excursion count and minutes, as stored."""
    totals = TemperatureExcursion.objects.filter(shipment=shipment).aggregate(
        count=Count("id"), minutes=Sum("duration_minutes")
    )
    return totals["count"] or 0, totals["minutes"] or 0.0


def excursion_totals_refresh(*, shipment: Shipment) -> tuple[int, float]:
    """Writes the shipment's excursion count and minutes on its summary; returns them."""
    count, minutes = excursion_totals(shipment=shipment)
    TelemetrySummary.objects.filter(shipment=shipment).update(
        excursion_count=count, excursion_minutes=minutes
    )
    return count, minutes


# --- acknowledgement -----------------------------------------------------------------------------

COMMENT_MAX_LENGTH = 2000


def excursion_acknowledge(*, actor, excursion: TemperatureExcursion, comment: str):
    require_enterprise_side(excursion.shipment, actor, _("acknowledge an excursion"))
    if not comment.strip():
        raise ValidationFailed(_("An acknowledgement needs a comment."), field="comment")
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationFailed(
            _("A comment has at most %(count)s characters.") % {"count": COMMENT_MAX_LENGTH},
            field="comment",
        )
    with transaction.atomic():
        excursion = TemperatureExcursion.objects.select_for_update().get(pk=excursion.pk)
        if excursion.acknowledged_at is not None:
            raise Conflict(
                _("This excursion was already acknowledged."),
                code="already_acknowledged",
                acknowledged_at=excursion.acknowledged_at.isoformat(),
            )
        excursion.acknowledged_at = timezone.now()
        excursion.acknowledged_by = actor
        excursion.acknowledgement_comment = comment.strip()
        excursion.save(
            update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_comment"]
        )
    return excursion
