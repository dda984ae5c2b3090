"""The chart query: 15-minute buckets (min, mean, max) over 1,000,000 readings of one shipment.

    /work/venv/bin/python benchmarks/telemetry_buckets.py [--readings 1000000] [--runs 7]

Loads the readings once (COPY straight into the table; ingestion speed is telemetry.py's subject),
VACUUM ANALYZEs, then times `logistics.telemetry.buckets()` — the function the API and the tracking
page call — and prints the plan PostgreSQL chose.
"""

import argparse
import statistics
import time
from datetime import UTC, datetime, timedelta

from _setup import django_on_postgres, world


def load(shipment_id: int, count: int, sensors: int = 10) -> tuple[datetime, datetime]:
    import math
    import random

    from django.db import connection

    rnd = random.Random(3)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    per_sensor = count // sensors
    step = timedelta(seconds=10)
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        with cursor.copy(
            "COPY logistics_sensorreading (shipment_id, sensor_id, time, temp_c, humidity)"
            " FROM STDIN (FORMAT BINARY)"
        ) as copy:
            copy.set_types(["int8", "text", "timestamptz", "float8", "float8"])
            for s in range(sensors):
                sensor = f"RF-{s:02d}"
                for i in range(per_sensor):
                    temp = 6 + 1.5 * math.sin(i / 500) + rnd.gauss(0, 0.3)
                    copy.write_row((shipment_id, sensor, start + step * i, temp, 85.0))
    return start, start + step * per_sensor


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--readings", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--bucket", default="15m")
    args = parser.parse_args()
    url = django_on_postgres()
    from django.db import connection, transaction

    from logistics import telemetry
    from logistics.models import SensorReading

    new_shipment, _ = world("buckets")
    shipment = new_shipment()
    started = time.perf_counter()
    with transaction.atomic():
        first, last = load(shipment.pk, args.readings)
    loaded = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE logistics_sensorreading")
    count = SensorReading.objects.filter(shipment=shipment).count()
    width = telemetry.parse_bucket(args.bucket)
    timings, rows = [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        rows = telemetry.buckets(shipment_id=shipment.pk, width=width)
        timings.append((time.perf_counter() - t) * 1000)
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) " + telemetry.BUCKET_SQL.format(sensor=""),
            {
                "width": width,
                "origin": telemetry.BUCKET_ORIGIN,
                "shipment": shipment.pk,
                "start": telemetry.EARLIEST,
                "end": datetime(9999, 1, 1, tzinfo=UTC),
                "sensor": None,
            },
        )
        plan = "\n".join("    " + line for (line,) in cursor.fetchall())
    print(f"database: {url}")
    print(
        f"readings of the shipment: {count:,} (10 sensors, every 10 s, {first:%Y-%m-%d} to "
        f"{last:%Y-%m-%d}); loaded by COPY in {loaded:.1f} s"
    )
    print(f"bucket {args.bucket}: {len(rows):,} buckets")
    print(
        f"query time over {args.runs} runs: median {statistics.median(timings):.0f} ms, "
        f"best {min(timings):.0f} ms, worst {max(timings):.0f} ms (target < 200 ms)"
    )
    print("plan:")
    print(plan)


if __name__ == "__main__":
    main()
