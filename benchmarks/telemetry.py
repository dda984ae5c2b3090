"""Telemetry ingestion throughput on PostgreSQL: HTTP end to end, bare COPY path, naive ORM.

    .venv/bin/python benchmarks/telemetry.py [--readings 200000] [--naive 3000]

Uses its own database (BENCH_DATABASE_URL, default agri_logi_bench), creating and migrating it.
Prints readings per second for each path and the ratios the issue sets targets for.
"""

import argparse
import gc
import json
import statistics
import time

from _setup import django_on_postgres, readings, world


def batches(rows, size):
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def http_path(client, new_shipment, rows, size):
    shipment = new_shipment()
    bodies = [json.dumps(b).encode() for b in batches(rows, size)]  # encoded before the clock
    url = f"/api/v1/shipments/{shipment.pk}/telemetry/"
    started = time.perf_counter()
    for body in bodies:
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 201, response.content[:300]
    elapsed = time.perf_counter() - started
    from logistics.models import SensorReading, TemperatureExcursion

    stored = SensorReading.objects.filter(shipment=shipment).count()
    assert stored == len(rows), (stored, len(rows))
    excursions = TemperatureExcursion.objects.filter(shipment=shipment).count()
    return len(rows) / elapsed, excursions


def bare_path(new_shipment, rows, size):
    """The floor: COPY into a staging table, INSERT … ON CONFLICT DO NOTHING, per batch."""
    from datetime import datetime

    import psycopg
    from django.db import connection

    shipment = new_shipment()
    prepared = [
        [
            (
                r["sensor_id"],
                datetime.fromisoformat(r["time"]),
                r["temp_c"],
                r["humidity"],
                None,
                None,
            )
            for r in b
        ]
        for b in batches(rows, size)
    ]
    connection.ensure_connection()
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as conn:
        conn.execute(
            "CREATE TEMP TABLE bench_staging (sensor_id text, time timestamptz, temp_c float8,"
            " humidity float8, latitude float8, longitude float8) ON COMMIT DELETE ROWS"
        )
        conn.commit()
        started = time.perf_counter()
        for batch in prepared:
            with conn.transaction(), conn.cursor() as cur:
                with cur.copy("COPY bench_staging FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(["text", "timestamptz", "float8", "float8", "float8", "float8"])
                    for row in batch:
                        copy.write_row(row)
                cur.execute(
                    "INSERT INTO logistics_sensorreading (shipment_id, sensor_id, time, temp_c,"
                    " humidity, latitude, longitude) SELECT %s, sensor_id, time, temp_c, humidity,"
                    " latitude, longitude FROM bench_staging ON CONFLICT DO NOTHING",
                    [shipment.pk],
                )
        elapsed = time.perf_counter() - started
    return len(rows) / elapsed


def naive_path(new_shipment, rows):
    """What a hurried implementation does: a DRF serializer and an ORM save per reading."""
    from rest_framework import serializers

    from logistics.models import SensorReading

    class NaiveReadingSerializer(serializers.ModelSerializer):
        class Meta:
            model = SensorReading
            fields = [
                "shipment",
                "sensor_id",
                "time",
                "temp_c",
                "humidity",
                "latitude",
                "longitude",
            ]
            validators = []

    shipment = new_shipment()
    started = time.perf_counter()
    for row in rows:
        serializer = NaiveReadingSerializer(data={**row, "shipment": shipment.pk})
        serializer.is_valid(raise_exception=True)
        serializer.save()
    elapsed = time.perf_counter() - started
    return len(rows) / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--readings", type=int, default=200_000, help="rows per HTTP/bare run")
    parser.add_argument("--naive", type=int, default=3_000, help="rows for the naive path")
    parser.add_argument("--repeat", type=int, default=3, help="runs per path (median reported)")
    args = parser.parse_args()
    url = django_on_postgres()
    from django.test import Client

    new_shipment, key = world("tele")
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
    rows = readings(args.readings)
    # A server process does not hold the benchmark's 100,000 prepared rows: keep them (and the
    # loaded application, as agri_platform/wsgi.py does) out of the cyclic collector's passes.
    gc.freeze()

    # warm-up: imports, connection, plan caches
    http_path(client, new_shipment, rows[:20_000], 10_000)

    results = {}
    for label, fn in [
        ("http_10k", lambda: http_path(client, new_shipment, rows, 10_000)[0]),
        ("http_1k", lambda: http_path(client, new_shipment, rows[: args.readings // 2], 1_000)[0]),
        ("bare_10k", lambda: bare_path(new_shipment, rows, 10_000)),
    ]:
        results[label] = statistics.median(fn() for _ in range(args.repeat))
    results["naive"] = naive_path(new_shipment, rows[: args.naive])
    excursions = http_path(client, new_shipment, rows, 10_000)[1]

    print(f"database: {url}")
    print(
        f"rows per run: {args.readings:,} ({len({r['sensor_id'] for r in rows})} sensors, "
        f"{excursions} excursions detected per run); naive path: {args.naive:,} rows; "
        f"median of {args.repeat} runs"
    )
    print(f"{'path':<44}{'readings/s':>14}")
    print(f"{'HTTP POST, 10,000-reading batches (JSON)':<44}{results['http_10k']:>14,.0f}")
    print(f"{'HTTP POST, 1,000-reading batches (JSON)':<44}{results['http_1k']:>14,.0f}")
    print(f"{'bare COPY + INSERT ON CONFLICT, 10k batches':<44}{results['bare_10k']:>14,.0f}")
    print(f"{'naive DRF serializer + ORM save per reading':<44}{results['naive']:>14,.0f}")
    print(f"HTTP 10k / bare: {results['http_10k'] / results['bare_10k']:.2f} (target >= 0.40)")
    print(f"HTTP 10k / naive: {results['http_10k'] / results['naive']:.1f}x (target >= 20x)")
    print(f"HTTP 10k >= 50,000/s: {'yes' if results['http_10k'] >= 50_000 else 'NO'}")


if __name__ == "__main__":
    main()
