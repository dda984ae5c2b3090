"""Excursion detection: rules, order independence, one event per excursion, acknowledgement."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agri_platform.events.models import Event
from logistics import selectors
from logistics.excursions import Band
from logistics.models import SensorReading, TelemetrySummary, TemperatureExcursion
from logistics.services.excursions import (
    _points_since_last_not_out,
    excursions_redetect_after_insert,
    excursions_redetect_all,
)
from logistics.services.telemetry import telemetry_ingest

from .factories import ShipmentFactory

pytestmark = pytest.mark.django_db

BASE = datetime(2026, 1, 12, tzinfo=UTC)


def series(temps, *, sensor="T1", step=5, start=BASE):
    return [
        {
            "sensor_id": sensor,
            "time": (start + timedelta(minutes=step * i)).isoformat(),
            "temp_c": t,
        }
        for i, t in enumerate(temps)
    ]


def trace():
    """Two sensors, several hours, with breaches short and long, above and below the band."""
    t1 = [6.0] * 12 + [9.0, 9.5, 10.2, 9.1, 8.6] + [6.0] * 10  # 25 min out: excursion
    t1 += [8.5, 6.0] * 3  # 5-minute blips: not excursions
    t1 += [6.0] * 5 + [3.0, 2.5, 2.0, 1.8, 2.2, 3.1, 3.5] + [5.0] * 6  # 35 min below
    t1 += [11.0, 12.0, 12.5, 13.0]  # still open at the end
    t2 = [5.0] * 20 + [15.0] * 30 + [5.0] * 10  # 150 min: critical
    rnd = random.Random(7)
    t2 = [t + rnd.uniform(-0.3, 0.3) for t in t2]
    return series(t1, sensor="T1") + series(t2, sensor="T2", step=4)


def excursion_rows(shipment):
    return sorted(
        (
            x.sensor_id,
            x.started_at,
            x.last_out_at,
            x.ended_at,
            round(x.peak_c, 6),
            x.direction,
            round(x.duration_minutes, 3),
            x.severity,
        )
        for x in TemperatureExcursion.objects.filter(shipment=shipment)
    )


def ingest(shipment, readings, batches):
    for batch in batches:
        telemetry_ingest(actor=None, shipment=shipment, readings=batch)


def splits(readings, seed):
    rnd = random.Random(seed)
    shuffled = readings[:]
    rnd.shuffle(shuffled)
    cuts = sorted(rnd.sample(range(1, len(shuffled)), rnd.randint(1, 8)))
    return [shuffled[a:b] for a, b in zip([0, *cuts], [*cuts, len(shuffled)], strict=True)]


def test_reference_trace_finds_the_expected_excursions(enterprise, partner):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    ingest(shipment, None, [trace()])
    rows = excursion_rows(shipment)
    assert [(r[0], r[5], r[7]) for r in rows] == [
        ("T1", "above", "major"),
        ("T1", "below", "major"),
        ("T1", "above", "critical"),
        ("T2", "above", "critical"),
    ]
    first = rows[0]
    assert first[1] == BASE + timedelta(minutes=60)
    assert first[3] == BASE + timedelta(minutes=85)  # first reading back in band
    assert first[4] == 10.2 and first[6] == 25.0
    assert rows[2][3] is None  # the last one is still open
    summary = TelemetrySummary.objects.get(shipment=shipment)
    assert summary.excursion_count == 4
    assert summary.excursion_minutes == pytest.approx(sum(r[6] for r in rows))


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_result_is_the_same_whatever_the_order_and_batch_split(
    seed, enterprise, partner, store_path
):
    readings = trace()
    in_order = ShipmentFactory(enterprise=enterprise, carrier=partner)
    ingest(in_order, readings, [readings])
    shuffled = ShipmentFactory(enterprise=enterprise, carrier=partner)
    ingest(shuffled, readings, splits(readings, seed))
    one_by_one = ShipmentFactory(enterprise=enterprise, carrier=partner)
    if seed == 1:
        ingest(one_by_one, readings, [[r] for r in reversed(readings)])
        assert excursion_rows(one_by_one) == excursion_rows(in_order)
    assert excursion_rows(shuffled) == excursion_rows(in_order)
    # ...and the incremental result equals a full re-detection from scratch
    excursions_redetect_all(actor=None, shipment=shuffled)
    assert excursion_rows(shuffled) == excursion_rows(in_order)
    a = selectors.summary_dict(in_order, TelemetrySummary.objects.get(shipment=in_order))
    b = selectors.summary_dict(shuffled, TelemetrySummary.objects.get(shipment=shuffled))
    for key in ("reading_count", "temp_min_c", "temp_max_c", "time_in_band_pct", "last_temp_c"):
        assert a[key] == b[key]
    assert a["mean_kinetic_temperature_c"] == pytest.approx(b["mean_kinetic_temperature_c"])
    assert a["excursion_count"] == b["excursion_count"] == 4


def announced(excursion) -> list[str]:
    """The kinds of the excursion events recorded about `excursion`, sorted."""
    kinds = Event.objects.filter(
        kind__startswith="shipment.temperature_excursion.", subject_id=excursion.pk
    ).values_list("kind", flat=True)
    return sorted(kinds)


def test_one_started_and_one_ended_event_per_excursion(enterprise, partner, store_path):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    readings = series([6.0] * 5 + [9.0] * 8 + [6.0] * 5)
    for reading in readings:  # one reading per request: the worst case for alert storms
        telemetry_ingest(actor=None, shipment=shipment, readings=[reading])
    telemetry_ingest(actor=None, shipment=shipment, readings=readings)  # a full replay
    started = Event.objects.filter(kind="shipment.temperature_excursion.started")
    ended = Event.objects.filter(kind="shipment.temperature_excursion.ended")
    assert started.count() == 1 and ended.count() == 1
    assert list(started.get().partners.all()) == [partner]
    assert started.get().payload["peak_c"] == 9.0
    assert ended.get().payload["ended_at"] == (BASE + timedelta(minutes=65)).isoformat()


def test_a_new_excursion_is_one_insert_with_its_announcement_flags(enterprise, partner):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    telemetry_ingest(
        actor=None, shipment=shipment, readings=series([6.0] * 5 + [9.0] * 8 + [6.0] * 5)
    )
    excursion = TemperatureExcursion.objects.get(shipment=shipment)
    assert excursion.started_event_sent and excursion.ended_event_sent
    assert excursion.history.count() == 1  # inserted once, not inserted then updated
    assert announced(excursion) == [
        "shipment.temperature_excursion.ended",
        "shipment.temperature_excursion.started",
    ]


def test_an_in_band_batch_after_in_band_readings_touches_no_excursion(
    enterprise, partner, store_path
):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    telemetry_ingest(
        actor=None, shipment=shipment, readings=series([6.0] * 5 + [9.0] * 8 + [6.0] * 5)
    )
    later = series([6.5] * 10, start=BASE + timedelta(hours=3))
    later += series([5.5] * 10, sensor="T2", start=BASE + timedelta(hours=3))
    with CaptureQueriesContext(connection) as captured:
        telemetry_ingest(actor=None, shipment=shipment, readings=later)
    statements = [q["sql"] for q in captured.captured_queries]
    assert not [sql for sql in statements if "temperatureexcursion" in sql]
    # the batch follows every stored reading (the store says so): nothing older can lie inside its
    # span. The reading just before it is looked up for T1 by the ORM path; the COPY path's store
    # read it with the sensor's newest time, and T2 had none stored (both stores tell).
    around = [
        sql
        for sql in statements
        if "logistics_sensorreading" in sql and ("COUNT" in sql or "DESC" in sql)
    ]
    assert len(around) == (0 if store_path == "copy" else 1)
    assert all("DESC" in sql and "COUNT" not in sql for sql in around)
    summary = TelemetrySummary.objects.get(shipment=shipment)
    assert summary.excursion_count == 1 and summary.reading_count == 38


def test_a_batch_before_stored_readings_counts_what_lies_in_its_span(
    enterprise, partner, store_path
):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    telemetry_ingest(
        actor=None, shipment=shipment, readings=series([6.0] * 5, start=BASE + timedelta(hours=3))
    )
    telemetry_ingest(actor=None, shipment=shipment, readings=series([6.0] * 5))  # appended
    with CaptureQueriesContext(connection) as captured:
        telemetry_ingest(
            actor=None,
            shipment=shipment,
            readings=series([6.5] * 5, start=BASE + timedelta(hours=1)),
        )
    around = [
        q["sql"]
        for q in captured.captured_queries
        if "logistics_sensorreading" in q["sql"] and "DESC" in q["sql"]
    ]
    assert len(around) == 1 and "COUNT" in around[0]
    assert not excursion_rows(shipment)


def store_rows(shipment, rows) -> None:
    """Rows stored as the store would have stored them, without re-detection."""
    for row in rows:
        SensorReading.objects.create(
            shipment=shipment, sensor_id=row["sensor_id"], time=row["time"], temp_c=row["temp_c"]
        )


def redetect_after_appended(shipment, rows, **known):
    """Re-detection as after the store appended `rows` (stored with `store_rows`); the queries."""
    points = [(datetime.fromisoformat(r["time"]), r["temp_c"]) for r in rows]
    with CaptureQueriesContext(connection) as captured:
        changed = excursions_redetect_after_insert(
            actor=None,
            shipment=shipment,
            band=Band.of(shipment),
            sensor_id="T1",
            first=points[0][0],
            last=points[-1][0],
            inserted=len(points),
            batch_points=points,
            appended=True,
            **known,
        )
    assert changed
    return [q["sql"] for q in captured.captured_queries]


def test_an_appended_breach_reads_the_readings_before_it_in_one_query(enterprise, partner):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    # in band, out (still open), in band again: the window opens at the last in-band reading
    telemetry_ingest(actor=None, shipment=shipment, readings=series([6.0] * 4 + [9.0] * 2))
    later = series([9.5] * 3 + [6.0] * 2, start=BASE + timedelta(minutes=30))
    store_rows(shipment, later)
    statements = redetect_after_appended(shipment, later)
    reads = [sql for sql in statements if "logistics_sensorreading" in sql]
    assert len(reads) == 1  # the window's start and the readings from it, together
    # one excursion from 20 min (the first 9.0) to 45 min (the first 6.0 after the 9.5s)
    assert [(r[1], r[3], r[4]) for r in excursion_rows(shipment)] == [
        (BASE + timedelta(minutes=20), BASE + timedelta(minutes=45), 9.5)
    ]


@pytest.mark.parametrize("before_temp, window_queries", [(6.0, 0), (9.0, 1)])
def test_the_stores_newest_reading_opens_the_window_when_it_is_not_out(
    enterprise, partner, before_temp, window_queries
):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    stored = series([6.0] * 5 + [before_temp])
    telemetry_ingest(actor=None, shipment=shipment, readings=stored)
    later = series([9.5] * 3 + [6.0] * 2, start=BASE + timedelta(minutes=30))
    store_rows(shipment, later)
    newest_stored = (BASE + timedelta(minutes=25), before_temp)
    statements = redetect_after_appended(shipment, later, newest_stored=newest_stored)
    reads = [sql for sql in statements if "logistics_sensorreading" in sql]
    assert len(reads) == window_queries  # an out reading before: the window is looked for
    # nothing was stored after a window opening at the newest reading: no excursion to look up
    looked_up = [
        sql for sql in statements if sql.startswith('SELECT "logistics_temperatureexcursion"')
    ]
    assert len(looked_up) == window_queries
    started = BASE + timedelta(minutes=30 if before_temp == 6.0 else 25)
    assert [(r[1], r[3]) for r in excursion_rows(shipment)] == [
        (started, BASE + timedelta(minutes=45))
    ]


def test_the_window_before_a_batch_opens_at_the_last_not_out_reading(enterprise, partner):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    band = Band.of(shipment)
    first = BASE + timedelta(hours=1)
    assert _points_since_last_not_out(shipment.pk, "T1", band, first) == []
    temps = [9.0, 9.0, 6.0, 5.0, 9.0, 9.5]  # out, out, in, in (the last one not out), out, out
    store_rows(shipment, series(temps))
    window = _points_since_last_not_out(shipment.pk, "T1", band, first)
    assert [temp for _time, temp in window] == [5.0, 9.0, 9.5]
    # before the first not-out reading there is none: every reading before `first` is the window
    window = _points_since_last_not_out(shipment.pk, "T1", band, BASE + timedelta(minutes=10))
    assert [temp for _time, temp in window] == [9.0, 9.0]


def test_a_batch_that_changes_the_excursions_writes_the_summary_once(
    enterprise, partner, store_path
):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    with CaptureQueriesContext(connection) as captured:
        telemetry_ingest(
            actor=None, shipment=shipment, readings=series([6.0] * 5 + [9.0] * 8 + [6.0] * 5)
        )
    updates = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('UPDATE "logistics_telemetrysummary"')
    ]
    assert len(updates) == 1 and "excursion_count" in updates[0]
    summary = TelemetrySummary.objects.get(shipment=shipment)
    assert (summary.reading_count, summary.excursion_count) == (18, 1)
    assert summary.excursion_minutes == excursion_rows(shipment)[0][6] == 40.0


def test_new_excursions_are_inserted_together_with_their_history_by_the_caller(
    enterprise, partner, make_partner_client
):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    two_breaches = series([6.0] * 3 + [9.0] * 6 + [6.0] * 3 + [2.0] * 6 + [6.0] * 3)
    client = make_partner_client(partner, scopes=["telemetry:write"])
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            f"/api/v1/shipments/{shipment.pk}/telemetry/", two_breaches, format="json"
        )
    assert response.status_code == 201, response.content
    inserts = [q["sql"] for q in captured.captured_queries if "temperatureexcursion" in q["sql"]]
    inserts = [sql for sql in inserts if sql.startswith("INSERT")]
    assert len(inserts) == 2  # the two rows in one statement, their history in another
    excursions = TemperatureExcursion.objects.filter(shipment=shipment).order_by("started_at")
    assert [x.direction for x in excursions] == ["above", "below"]
    partner.refresh_from_db()  # the key's service user, made when the key was
    for excursion in excursions:
        assert excursion.started_event_sent and excursion.ended_event_sent
        (history,) = excursion.history.all()
        assert history.history_type == "+" and history.history_user == partner.service_user
        assert history.peak_c == excursion.peak_c
        assert announced(excursion) == [
            "shipment.temperature_excursion.ended",
            "shipment.temperature_excursion.started",
        ]


def test_breach_shorter_than_the_delay_is_no_excursion(enterprise, partner):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    telemetry_ingest(actor=None, shipment=shipment, readings=series([6, 9, 9, 6], step=4))  # 8 min
    assert not TemperatureExcursion.objects.exists()
    assert not Event.objects.filter(kind__startswith="shipment.temperature_excursion").exists()


def test_cumulative_mode_adds_short_breaches(enterprise, partner):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner, excursion_mode="cumulative")
    # three 5-minute breaches: consecutive mode would see none
    telemetry_ingest(actor=None, shipment=shipment, readings=series([6, 9, 6, 9, 6, 9, 6, 9, 6]))
    rows = excursion_rows(shipment)
    assert len(rows) == 2  # the third breach brings the total to 15 min; the fourth follows
    assert rows[0][1] == BASE + timedelta(minutes=25)


def test_ignore_period_after_loading(enterprise, partner):
    shipment = ShipmentFactory(
        enterprise=enterprise,
        carrier=partner,
        loaded_at=BASE,
        ignore_minutes_after_loading=30,
    )
    telemetry_ingest(actor=None, shipment=shipment, readings=series([12.0] * 6 + [6.0] * 3))
    assert not TemperatureExcursion.objects.exists()
    telemetry_ingest(
        actor=None,
        shipment=shipment,
        readings=series([12.0] * 5, start=BASE + timedelta(minutes=60)),
    )
    assert excursion_rows(shipment)[0][1] == BASE + timedelta(minutes=60)


def test_late_in_band_reading_splits_an_excursion(enterprise, partner):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    readings = series([6.0] + [9.0] * 9 + [6.0])  # 45 minutes outside
    telemetry_ingest(actor=None, shipment=shipment, readings=readings[:5] + readings[6:])
    assert len(excursion_rows(shipment)) == 1
    late = dict(readings[5], temp_c=6.0)  # the logger's lost reading: in band
    telemetry_ingest(actor=None, shipment=shipment, readings=[late])
    rows = excursion_rows(shipment)
    assert [(r[1], r[3]) for r in rows] == [
        (BASE + timedelta(minutes=5), BASE + timedelta(minutes=25)),
        (BASE + timedelta(minutes=30), BASE + timedelta(minutes=50)),
    ]


def test_acknowledge_with_comment(enterprise_client, enterprise, partner):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    telemetry_ingest(actor=None, shipment=shipment, readings=series([6.0] + [9.0] * 5 + [6.0]))
    excursion = TemperatureExcursion.objects.get()
    path = f"/api/v1/shipments/{shipment.pk}/excursions/{excursion.pk}/acknowledge/"
    assert enterprise_client.post(path, {"comment": ""}, format="json").status_code == 400
    response = enterprise_client.post(path, {"comment": "Door opened at Mohan"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["acknowledgement_comment"] == "Door opened at Mohan"
    assert enterprise_client.post(path, {"comment": "again"}, format="json").status_code == 409
    listed = enterprise_client.get(f"/api/v1/shipments/{shipment.pk}/excursions/").json()
    assert listed[0]["acknowledged_at"] is not None
    assert excursion.history.count() >= 2


def test_carrier_reads_but_cannot_acknowledge(make_partner_client, enterprise, partner):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    telemetry_ingest(actor=None, shipment=shipment, readings=series([6.0] + [9.0] * 5 + [6.0]))
    excursion = TemperatureExcursion.objects.get()
    client = make_partner_client(partner, ["logistics:write", "telemetry:write"])
    assert client.get(f"/api/v1/shipments/{shipment.pk}/excursions/").status_code == 200
    path = f"/api/v1/shipments/{shipment.pk}/excursions/{excursion.pk}/acknowledge/"
    assert client.post(path, {"comment": "fine"}, format="json").status_code == 403
