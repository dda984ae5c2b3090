"""Telemetry ingestion: JSON and CSV, on every storage path the database has (see conftest)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from logistics import selectors, telemetry
from logistics.models import ReadingRollup, SensorReading, TelemetrySummary
from logistics.services import telemetry as services_telemetry

pytestmark = pytest.mark.django_db

BASE = datetime(2026, 1, 12, 0, 0, tzinfo=UTC)


def url(shipment):
    return f"/api/v1/shipments/{shipment.pk}/telemetry/"


def rows(n, *, sensor="T1", start=BASE, step=5, temp=6.0):
    return [
        {
            "sensor_id": sensor,
            "time": (start + timedelta(minutes=step * i)).isoformat(),
            "temp_c": temp,
        }
        for i in range(n)
    ]


def test_json_batch_is_stored_and_counted(store_path, carrier_client, shipment):
    response = carrier_client.post(url(shipment), rows(50), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["received"], body["accepted"], body["duplicate"], body["rejected"]) == (
        50,
        50,
        0,
        0,
    )
    assert SensorReading.objects.filter(shipment=shipment).count() == 50
    assert body["telemetry_summary"]["reading_count"] == 50


def test_wrapped_json_batch_is_accepted(store_path, enterprise_client, shipment):
    response = enterprise_client.post(url(shipment), {"readings": rows(3)}, format="json")
    assert response.status_code == 201
    assert response.json()["accepted"] == 3


def test_csv_batch_is_stored_like_json(store_path, carrier_client, shipment):
    lines = ["sensor_id,time,temp_c,humidity,lat,lon"]
    for i in range(20):
        time = (BASE + timedelta(minutes=i)).isoformat()
        lines.append(f"T9,{time},{5 + i / 10},85.5,22.5,101.6")
    response = carrier_client.post(url(shipment), "\n".join(lines), content_type="text/csv")
    assert response.status_code == 201, response.content
    assert response.json()["accepted"] == 20
    stored = SensorReading.objects.filter(shipment=shipment).order_by("time").first()
    assert (stored.sensor_id, stored.humidity, stored.latitude, stored.longitude) == (
        "T9",
        85.5,
        22.5,
        101.6,
    )


def test_csv_without_required_columns_is_400(carrier_client, shipment):
    response = carrier_client.post(url(shipment), "sensor,temp\nA,1\n", content_type="text/csv")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "readings"


def test_replayed_batch_counts_duplicates_and_stores_nothing_twice(
    store_path, carrier_client, shipment
):
    batch = rows(30)
    carrier_client.post(url(shipment), batch, format="json")
    overlap = batch[10:] + rows(10, start=BASE + timedelta(days=1))
    response = carrier_client.post(url(shipment), overlap + overlap[:2], format="json")
    body = response.json()
    assert body["accepted"] == 10
    assert body["duplicate"] == 22  # 20 already stored + 2 repeated inside the batch
    assert SensorReading.objects.filter(shipment=shipment).count() == 40
    assert TelemetrySummary.objects.get(shipment=shipment).reading_count == 40


def test_a_reading_repeated_inside_a_new_batch_is_stored_once_and_the_first_wins(
    store_path, carrier_client, shipment
):
    first = {"sensor_id": "T1", "time": BASE.isoformat(), "temp_c": 5.0}
    repeat = {**first, "temp_c": 7.5}
    response = carrier_client.post(
        url(shipment), [first, repeat, *rows(3, start=BASE + timedelta(hours=1))], format="json"
    )
    body = response.json()
    assert (body["accepted"], body["duplicate"]) == (4, 1)
    stored = SensorReading.objects.get(shipment=shipment, sensor_id="T1", time=BASE)
    assert stored.temp_c == 5.0
    assert TelemetrySummary.objects.get(shipment=shipment).reading_count == 4


def test_a_shipment_deleted_in_code_takes_its_readings_with_it(
    store_path, carrier_client, shipment
):
    carrier_client.post(url(shipment), rows(5), format="json")
    shipment_id = shipment.pk
    shipment.delete()
    assert not SensorReading.objects.filter(shipment_id=shipment_id).exists()


def test_impossible_values_are_rejected_with_reasons_and_the_rest_stored(
    store_path, carrier_client, shipment
):
    future = (timezone.now() + timedelta(hours=2)).isoformat()
    batch = [
        *rows(3),
        {"sensor_id": "T1", "time": BASE.isoformat(), "temp_c": 120},
        {"sensor_id": "T1", "time": BASE.isoformat(), "temp_c": 5, "humidity": 130},
        {"sensor_id": "T1", "time": future, "temp_c": 5},
        {"sensor_id": "T1", "time": "2026-01-12T08:00:00", "temp_c": 5},
        {"sensor_id": "", "time": BASE.isoformat(), "temp_c": 5},
        {"sensor_id": "T1", "time": BASE.isoformat(), "temp_c": "warm"},
        {"sensor_id": "T1", "time": BASE.isoformat(), "temp_c": 5, "latitude": 95, "longitude": 1},
        "not an object",
    ]
    response = carrier_client.post(url(shipment), batch, format="json", HTTP_ACCEPT_LANGUAGE="en")
    body = response.json()
    assert (body["accepted"], body["rejected"]) == (3, 8)
    reasons = {row["index"]: row["reason"] for row in body["rejected_rows"]}
    assert "outside -80..80" in reasons[3]
    assert "humidity" in reasons[4]
    assert "future" in reasons[5]
    assert "UTC offset" in reasons[6]
    assert "sensor_id is required" in reasons[7]
    assert "not a number" in reasons[8]
    assert "latitude" in reasons[9]
    assert "object" in reasons[10]
    assert SensorReading.objects.filter(shipment=shipment).count() == 3


def test_out_of_order_batches_give_the_same_summary(store_path, carrier_client, shipment):
    batch = rows(40, temp=5.0)
    for i, row in enumerate(batch):
        row["temp_c"] = 3.0 + (i % 7)
    carrier_client.post(url(shipment), batch[20:], format="json")
    carrier_client.post(url(shipment), batch[:20], format="json")
    summary = selectors.summary_dict(shipment, TelemetrySummary.objects.get(shipment=shipment))
    temps = [row["temp_c"] for row in batch]
    assert summary["reading_count"] == 40
    assert summary["temp_min_c"] == min(temps)
    assert summary["temp_max_c"] == max(temps)
    assert summary["temp_mean_c"] == pytest.approx(sum(temps) / 40, abs=1e-3)
    in_band = sum(4 <= t <= 8 for t in temps)
    assert summary["time_in_band_pct"] == pytest.approx(100 * in_band / 40, abs=0.01)
    assert summary["last_temp_c"] == temps[-1]
    assert summary["last_reading_at"] == BASE + timedelta(minutes=5 * 39)


def test_mean_kinetic_temperature_matches_the_formula(store_path, enterprise_client, shipment):
    temps = [2.0, 6.0, 10.0, 25.0]
    batch = [
        {"sensor_id": "T1", "time": (BASE + timedelta(hours=i)).isoformat(), "temp_c": t}
        for i, t in enumerate(temps)
    ]
    enterprise_client.post(url(shipment), batch, format="json")
    import math

    dh_r = 83144 / 8.314462618
    expected = dh_r / -math.log(sum(math.exp(-dh_r / (t + 273.15)) for t in temps) / 4) - 273.15
    summary = selectors.summary_dict(shipment, TelemetrySummary.objects.get(shipment=shipment))
    assert summary["mean_kinetic_temperature_c"] == pytest.approx(expected, abs=1e-3)
    assert summary["mean_kinetic_temperature_c"] > sum(temps) / 4  # MKT weighs the warm hours


def test_batch_over_the_limit_is_413(carrier_client, shipment):
    response = carrier_client.post(url(shipment), rows(10_001, step=1), format="json")
    assert response.status_code == 413
    assert response.json()["limit_readings"] == 10_000


def test_cancelled_shipment_takes_no_readings(carrier_client, shipment):
    shipment.status = "cancelled"
    shipment.cancelled_at = timezone.now()
    shipment.save()
    response = carrier_client.post(url(shipment), rows(2), format="json")
    assert response.status_code == 409


def test_the_postgres_run_uses_the_copy_path(carrier_client, shipment, monkeypatch):
    """On PostgreSQL, ingestion goes through COPY into the staging table; elsewhere the ORM."""
    used = []
    for name, store in list(services_telemetry.STORES.items()):
        monkeypatch.setitem(
            services_telemetry.STORES,
            name,
            lambda s, r, _n=name, _f=store: used.append(_n) or _f(s, r),
        )
    carrier_client.post(url(shipment), rows(5), format="json")
    assert used == ["copy" if connection.vendor == "postgresql" else "orm"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the COPY path: runs in CI's PostgreSQL pass"
)
def test_a_batch_after_the_stored_readings_is_inserted_without_the_conflict_check(
    carrier_client, shipment, monkeypatch
):
    """Plain INSERT when every reading follows its sensor's stored ones; ON CONFLICT otherwise,
    and after a plain INSERT that a reading repeated inside the batch broke."""
    plain_attempts = []

    def insert_appended(cursor, parameters, _original=services_telemetry._insert_appended):
        rows = _original(cursor, parameters)
        plain_attempts.append(rows is not None)
        return rows

    monkeypatch.setattr(services_telemetry, "_insert_appended", insert_appended)
    assert "ON CONFLICT DO NOTHING" not in services_telemetry.INSERT_APPENDED_SQL
    assert "ON CONFLICT DO NOTHING" in services_telemetry.INSERT_SKIPPING_STORED_SQL

    carrier_client.post(url(shipment), rows(10), format="json")
    carrier_client.post(url(shipment), rows(10, start=BASE + timedelta(hours=1)), format="json")
    assert plain_attempts == [True, True]

    replay = carrier_client.post(url(shipment), rows(10), format="json").json()
    assert plain_attempts == [True, True]  # older than the stored readings: straight to ON CONFLICT
    assert (replay["accepted"], replay["duplicate"]) == (0, 10)

    later = rows(5, start=BASE + timedelta(days=1))
    repeated = carrier_client.post(url(shipment), later + later[:1], format="json").json()
    assert plain_attempts == [True, True, False]  # the repeat broke the key: stored again
    assert (repeated["accepted"], repeated["duplicate"]) == (5, 1)
    assert SensorReading.objects.filter(shipment=shipment).count() == 25
    summary = TelemetrySummary.objects.get(shipment=shipment)
    assert summary.reading_count == 25
    rolled_up = ReadingRollup.objects.filter(shipment=shipment).values_list("count", flat=True)
    assert sum(rolled_up) == 25  # the rolled-back attempt left no rollup behind


def test_the_answer_carries_the_excursion_totals_the_batch_left(
    store_path, carrier_client, shipment
):
    """The summary in the answer is the one the ingestion stored, excursion totals included."""
    temps = [6.0] * 5 + [9.5] * 8 + [6.0] * 5  # 40 minutes above the band: one excursion
    batch = [{**row, "temp_c": temp} for row, temp in zip(rows(len(temps)), temps, strict=True)]
    answered = carrier_client.post(url(shipment), batch, format="json").json()["telemetry_summary"]
    stored = TelemetrySummary.objects.get(shipment=shipment)
    assert answered["excursion_count"] == stored.excursion_count == 1
    assert answered["excursion_minutes"] == round(stored.excursion_minutes, 1) > 0
    assert answered["reading_count"] == stored.reading_count == len(temps)


def test_other_carrier_cannot_post_readings(make_partner_client, shipment):
    from tests.factories import PartnerFactory

    other = make_partner_client(PartnerFactory(), ["telemetry:write"])
    response = other.post(url(shipment), rows(2), format="json")
    assert response.status_code == 404
    assert not SensorReading.objects.filter(shipment=shipment).exists()


def test_key_without_telemetry_scope_cannot_post(make_partner_client, carrier, shipment):
    client = make_partner_client(carrier, ["logistics:write"])
    assert client.post(url(shipment), rows(2), format="json").status_code == 403


def test_raw_readings_are_cursor_paginated_within_a_range(store_path, carrier_client, shipment):
    carrier_client.post(url(shipment), rows(30), format="json")
    start = (BASE + timedelta(minutes=25)).isoformat()
    end = (BASE + timedelta(minutes=125)).isoformat()
    response = carrier_client.get(url(shipment), {"from": start, "to": end, "page_size": 8})
    body = response.json()
    assert len(body["results"]) == 8
    assert body["results"][0]["time"].startswith("2026-01-12T00:25")
    seen = [r["time"] for r in body["results"]]
    while body["next"]:
        body = carrier_client.get(body["next"]).json()
        seen += [r["time"] for r in body["results"]]
    assert len(seen) == 20 and seen == sorted(seen)


def test_buckets_give_min_mean_max(store_path, carrier_client, shipment):
    batch = []
    for i in range(60):  # one reading a minute for an hour
        batch.append(
            {
                "sensor_id": "T1",
                "time": (BASE + timedelta(minutes=i)).isoformat(),
                "temp_c": float(i % 15),
            }
        )
    carrier_client.post(url(shipment), batch, format="json")
    response = carrier_client.get(url(shipment), {"bucket": "15m"})
    assert response.status_code == 200
    buckets = response.json()["buckets"]
    assert len(buckets) == 4
    assert [b["count"] for b in buckets] == [15, 15, 15, 15]
    assert buckets[0]["min"] == 0 and buckets[0]["max"] == 14
    assert buckets[0]["mean"] == pytest.approx(7.0)
    assert buckets[1]["start"].startswith("2026-01-12T00:15")


def test_bad_bucket_is_400(carrier_client, shipment):
    response = carrier_client.get(url(shipment), {"bucket": "fortnight"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "bucket"


def test_validation_is_one_function_for_json_and_csv():
    now = BASE + timedelta(days=1)
    json_row = {"sensor_id": "A", "time": "2026-01-12T08:00:00+08:00", "temp_c": 5.5}
    csv_row = telemetry.parse_csv("sensor_id,time,temp_c\nA,2026-01-12T08:00:00+08:00,5.5\n")[0]
    assert telemetry.validate_reading(json_row, now) == telemetry.validate_reading(csv_row, now)
    assert telemetry.validate_reading(json_row, now).time == BASE


TRICKY = [
    {"sensor_id": "A", "time": "2026-01-12T08:00:00+08:00", "temp_c": 5},
    {"sensor_id": " A ", "time": "2026-01-12T08:00:00Z", "temp_c": "5.5", "humidity": ""},
    {"sensor_id": "A", "time": "2026-01-12T08:00:00+08:00", "temp_c": True},
    {"sensor_id": "A", "time": "2026-01-12T08:00:00+08:00", "temp_c": "nan"},
    {"sensor_id": "A", "time": "2026-01-12T08:00:00+08:00", "temp_c": 80.0},
    {"sensor_id": "A", "time": "2026-01-12T08:00:00+08:00", "temp_c": 80.01},
    {"sensor_id": "A", "time": "2026-01-12T08:00:00+08:00", "temp_c": 5, "humidity": "nan"},
    {"sensor_id": "A", "time": "2026-01-12T08:00:00+08:00", "temp_c": 5, "lat": 1, "lon": 2},
    {"sensor_id": "A", "time": "2026-01-12T08:00:00+08:00", "temp_c": 5, "latitude": 1},
    {
        "sensor_id": "A",
        "time": "2026-01-12T08:00:00+08:00",
        "temp_c": 5,
        "longitude": 200,
        "latitude": 1,
    },
    {"sensor_id": "A" * 65, "time": "2026-01-12T08:00:00+08:00", "temp_c": 5},
    {"sensor_id": 7, "time": "2026-01-12T08:00:00+08:00", "temp_c": 5},
    {"sensor_id": "A", "time": 1768176000, "temp_c": 5},
    {"sensor_id": "A", "time": "1999-12-31T23:59:59Z", "temp_c": 5},
    {"sensor_id": "A", "time": "2026-01-13T00:04:59Z", "temp_c": 5},
    {"sensor_id": "A", "time": "2026-01-13T00:05:01Z", "temp_c": 5},
]


@pytest.mark.parametrize("row", TRICKY)
def test_the_quick_steps_agree_with_the_careful_rules(row):
    now = BASE + timedelta(days=1)
    try:
        careful = telemetry._careful(row, now)
    except telemetry.Rejected:
        careful = None
    valid, _rejected = telemetry.validate_readings([row], now=now)
    assert (valid[0] if valid else None) == careful
    assert (telemetry.validate_reading(row, now) if careful else None) == careful


def test_a_batch_validates_as_the_careful_rules_one_reading_at_a_time():
    """A batch of every tricky reading (and some that are not objects) gives what `_careful` gives
    one by one, reasons and indexes included, whichever path each reading takes."""
    now = BASE + timedelta(days=1)
    rows = [*TRICKY, "not an object", None, [1, 2], {}, {"sensor_id": "A", "time": "x"}]
    rows += [{**row, "humidity": 50.5} for row in TRICKY if isinstance(row, dict)]
    rows += [{**row, "humidity": 100.5} for row in TRICKY[:3]]
    expected_valid, expected_rejected = [], []
    for index, row in enumerate(rows):
        try:
            expected_valid.append(telemetry._careful(row, now))
        except telemetry.Rejected as exc:
            expected_rejected.append({"index": index, "reason": str(exc), "reading": row})
    valid, rejected = telemetry.validate_readings(rows, now=now)
    assert valid == expected_valid
    assert [type(v) for v in valid] == [telemetry.ValidReading] * len(valid)
    assert rejected == expected_rejected
    assert valid and rejected


def test_buckets_finer_than_the_rollup_slot_come_from_the_readings(
    store_path, carrier_client, shipment
):
    batch = [
        {"sensor_id": "T1", "time": (BASE + timedelta(seconds=20 * i)).isoformat(), "temp_c": 5.0}
        for i in range(90)  # 30 minutes
    ]
    batch[20]["temp_c"] = 7.5  # inside the second five minutes
    carrier_client.post(url(shipment), batch, format="json")
    five = selectors.buckets(shipment_id=shipment.pk, width=timedelta(minutes=5))
    assert [b["count"] for b in five] == [15] * 6
    assert [b["max"] for b in five] == [5.0, 7.5, 5.0, 5.0, 5.0, 5.0]
    thirty = selectors.buckets(shipment_id=shipment.pk, width=timedelta(minutes=30))
    assert [(b["count"], b["max"]) for b in thirty] == [(90, 7.5)]


def test_rollup_buckets_equal_buckets_from_the_readings(store_path, carrier_client, shipment):
    batch = []
    for i in range(300):  # one sensor, every 20 s, with a replayed overlap below
        temp = 5.0 + (i % 11) / 3
        batch.append(
            {
                "sensor_id": "T1",
                "time": (BASE + timedelta(seconds=20 * i)).isoformat(),
                "temp_c": temp,
            }
        )
    carrier_client.post(url(shipment), batch[150:], format="json")
    carrier_client.post(url(shipment), batch[:200], format="json")  # 50 duplicates
    from_rollup = selectors.buckets(shipment_id=shipment.pk, width=timedelta(minutes=15))
    from_readings = selectors.buckets(
        shipment_id=shipment.pk, width=timedelta(minutes=15), sensor_id="T1"
    )
    assert [b["count"] for b in from_rollup] == [45] * 6 + [30]
    assert len(from_rollup) == len(from_readings)
    for a, b in zip(from_rollup, from_readings, strict=True):
        assert (a["start"], a["min"], a["max"], a["count"]) == (
            b["start"],
            b["min"],
            b["max"],
            b["count"],
        )
        assert a["mean"] == pytest.approx(b["mean"])


def test_a_body_the_fast_json_parser_refuses_gets_the_standard_parsers_answer(
    carrier_client, shipment
):
    huge = 2**70  # orjson stops at 64-bit integers; the standard parser reads it
    body = f'[{{"sensor_id": "T1", "time": "{BASE.isoformat()}", "temp_c": {huge}}}]'
    response = carrier_client.post(url(shipment), body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["rejected_rows"][0]["reason"].startswith("temp_c")
    broken = carrier_client.post(url(shipment), "[{", content_type="application/json")
    assert broken.status_code == 400
    assert broken["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize("time", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+05:00"])
def test_a_time_that_overflows_in_utc_is_a_rejected_reading(
    store_path, carrier_client, shipment, time
):
    # Outside review: a 500 ("date value out of range") on the fast path and the careful one.
    batch = [{"sensor_id": "T1", "time": time, "temp_c": 5.0}, *rows(1)]
    response = carrier_client.post(url(shipment), batch, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["accepted"], body["rejected"]) == (1, 1)
    assert "time is outside the supported range" in body["rejected_rows"][0]["reason"]


def test_unstorable_sensor_ids_never_reach_the_database(store_path, carrier_client, shipment):
    surrogate = '[{"sensor_id": "\\ud800", "time": "2026-01-12T00:00:00Z", "temp_c": 5}]'
    response = carrier_client.post(url(shipment), surrogate, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == "[0].sensor_id"
    csv_body = "sensor_id,time,temp_c\nT\x001,2026-01-12T00:00:00Z,5\n"
    response = carrier_client.post(
        url(shipment), csv_body, content_type="text/csv", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200, response.content
    assert "NUL" in response.json()["rejected_rows"][0]["reason"]
    assert not SensorReading.objects.filter(shipment=shipment).exists()


def test_the_orjson_path_has_the_depth_limit(carrier_client, shipment):
    from agri_platform.api.parsers import MAX_JSON_DEPTH

    for levels in (MAX_JSON_DEPTH + 1, 1000, 100_000):  # parses in orjson, at its limit, past it
        deep = "[" * levels + "]" * levels
        response = carrier_client.post(url(shipment), deep, content_type="application/json")
        assert response.status_code == 400, (levels, response.content)
        assert response.json()["code"] == "too_deep"
