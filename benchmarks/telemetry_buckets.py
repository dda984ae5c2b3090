"""The chart query: 15-minute buckets (min, mean, max) over 1,000,000 readings of one shipment.

    .venv/bin/python benchmarks/telemetry_buckets.py [--readings 1000000] [--runs 7]

Loads the readings once through the real ingestion path (which maintains the 15-minute rollup),
VACUUM ANALYZEs, then times `logistics.selectors.buckets()` — the function the API and the tracking
page call — and prints the plan PostgreSQL chose.
"""

import argparse
import statistics
import time
from datetime import UTC, datetime, timedelta

from _setup import django_on_postgres, world


def load(shipment, count: int, sensors: int = 10) -> tuple[datetime, datetime, float]:
    """Through the real ingestion path (validation, COPY, rollup, summary, excursions)."""
    import math
    import random

    from logistics.services.telemetry import telemetry_ingest

    rnd = random.Random(3)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    per_sensor = count // sensors
    step = timedelta(seconds=10)
    t0 = time.perf_counter()
    batch = []
    for i in range(per_sensor):
        moment = (start + step * i).isoformat()
        for s in range(sensors):
            temp = 6 + 1.5 * math.sin(i / 500) + rnd.gauss(0, 0.3)
            batch.append({"sensor_id": f"RF-{s:02d}", "time": moment, "temp_c": round(temp, 2)})
        if len(batch) >= 10_000:
            telemetry_ingest(actor=None, shipment=shipment, readings=batch)
            batch = []
    if batch:
        telemetry_ingest(actor=None, shipment=shipment, readings=batch)
    return start, start + step * per_sensor, time.perf_counter() - t0


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--readings", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--bucket", default="15m")
    args = parser.parse_args()
    url = django_on_postgres()
    from django.db import connection

    from logistics import selectors, telemetry
    from logistics.models import SensorReading

    new_shipment, _ = world("buckets")
    shipment = new_shipment()
    first, last, loaded = load(shipment, args.readings)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE logistics_sensorreading")
        cursor.execute("VACUUM ANALYZE logistics_readingrollup")
    count = SensorReading.objects.filter(shipment=shipment).count()
    width = telemetry.parse_bucket(args.bucket)
    timings, rows = [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        rows = selectors.buckets(shipment_id=shipment.pk, width=width)
        timings.append((time.perf_counter() - t) * 1000)
    params = {
        "width": width,
        "origin": telemetry.BUCKET_ORIGIN,
        "shipment": shipment.pk,
        "start": telemetry.EARLIEST,
        "end": selectors.LATEST,
        "sensor": None,
    }
    raw = []
    for _ in range(3):  # the same buckets straight from the readings, for comparison
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(selectors.BUCKET_SQL.format(sensor=""), params)
            assert len(cursor.fetchall()) == len(rows)
        raw.append((time.perf_counter() - t) * 1000)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) " + selectors.ROLLUP_SQL, params)
        plan = "\n".join("    " + line for (line,) in cursor.fetchall())
    print(f"database: {url}")
    print(
        f"readings of the shipment: {count:,} (10 sensors, every 10 s, {first:%Y-%m-%d} to "
        f"{last:%Y-%m-%d}); ingested in 10k batches in {loaded:.1f} s "
        f"({count / loaded:,.0f} readings/s incl. validation, rollup, summary, excursions)"
    )
    print(f"bucket {args.bucket}: {len(rows):,} buckets")
    print(
        f"chart query (logistics.selectors.buckets, 15-minute rollup) over {args.runs} runs: "
        f"median {statistics.median(timings):.0f} ms, best {min(timings):.0f} ms, "
        f"worst {max(timings):.0f} ms (target < 200 ms)"
    )
    print(f"same buckets computed from the raw readings: median {statistics.median(raw):.0f} ms")
    print("plan of the chart query:")
    print(plan)


if __name__ == "__main__":
    main()
