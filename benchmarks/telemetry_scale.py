"""Readings at scale: ingestion and the chart query over 10 million readings, the monthly
partitioned table against an unpartitioned copy of the same rows.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_scale \\
        .venv/bin/python benchmarks/telemetry_scale.py [--readings 10000000] [--runs 7] [--keep-db]

1. Load (skipped with --keep-db when the database already holds them): the shipments through the
   ORM, then the readings generated inside PostgreSQL (INSERT … SELECT from generate_series: no
   client round trip, faster than COPY) into the partitioned table: a 30-day shipment with 4
   sensors every 10 s (1,036,800 readings, the chart's shipment) and the rest over 99 shorter
   shipments spread across the last three months; the 15-minute rollups from them; then the same
   rows into schema `flat` as a plain table with the same key and index. VACUUM ANALYZE.
2. Runs, interleaved partitioned / flat: ingestion of 3 batches of 10,000 readings of a new
   shipment through the real service (`telemetry_ingest`; `SET search_path TO flat, public` makes
   the same SQL write the plain copy), the chart query (`logistics.selectors.buckets`, 15-minute
   buckets over the 30-day shipment) and a raw-reading query (one sensor, 5-minute buckets of one
   day, which reads the readings, not the rollup).
3. Median and spread per path, the load average before and after, EXPLAIN of the raw query showing
   the partitions pruned, whether the chart target (< 200 ms) is met.
"""

import argparse
import os
import statistics
import time
from datetime import datetime, timedelta

import psycopg
from _setup import DEFAULT_URL, django_on_postgres, world

BIG_DAYS = 30
SENSORS = 4
SHIPMENTS = 100
STEP_S = 10
PATHS = {"partitioned": "public", "flat": "flat, public"}

GENERATE_SQL = """
INSERT INTO logistics_sensorreading (shipment_id, sensor_id, time, temp_c)
SELECT %(shipment)s, 'RF-' || k, %(start)s + n * interval '10 seconds',
       round((6 + 1.5 * sin(n / 500.0) + random() * 0.6 - 0.3)::numeric, 2)
FROM generate_series(0, %(sensors)s - 1) k, generate_series(0, %(per_sensor)s - 1) n
"""
ROLLUP_SQL = """
INSERT INTO logistics_readingrollup (shipment_id, slot, temp_min, temp_max, temp_sum, count)
SELECT shipment_id, date_bin('15 minutes', time, '2000-01-01T00:00:00Z'), min(temp_c),
       max(temp_c), sum(temp_c), count(*)
FROM logistics_sensorreading GROUP BY 1, 2
"""
FLAT_SQL = [
    "DROP SCHEMA IF EXISTS flat CASCADE",
    "CREATE SCHEMA flat",
    "CREATE TABLE flat.logistics_sensorreading (LIKE public.logistics_sensorreading)",
    "INSERT INTO flat.logistics_sensorreading SELECT * FROM public.logistics_sensorreading",
    "ALTER TABLE flat.logistics_sensorreading ADD PRIMARY KEY (shipment_id, sensor_id, time)",
    "CREATE INDEX ON flat.logistics_sensorreading (shipment_id, time)",
    "CREATE TABLE flat.logistics_readingrollup (LIKE public.logistics_readingrollup INCLUDING ALL)",
    "INSERT INTO flat.logistics_readingrollup SELECT * FROM public.logistics_readingrollup",
]


def fresh_database(url: str) -> None:
    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def chart_shipment_loaded(cursor) -> int | None:
    """The chart shipment's id when an earlier run (--keep-db) loaded the database completely."""
    cursor.execute("SELECT to_regclass('flat.chart_shipment') IS NOT NULL")
    if not cursor.fetchone()[0]:
        return None
    cursor.execute("SELECT id FROM flat.chart_shipment")
    return cursor.fetchone()[0]


def load(cursor, new_shipment, total: int, now: datetime) -> tuple[int, float]:
    """The chart's shipment id and the seconds the load took."""
    from logistics import partitions

    t0 = time.perf_counter()
    first_month = partitions.add_months(partitions.month_start(now), -3)
    partitions.maintain(now=first_month, ahead=4)  # partitions from 3 months back to 1 ahead
    big = new_shipment()
    big_per_sensor = BIG_DAYS * 86400 // STEP_S
    big_start = now - timedelta(days=BIG_DAYS + 2)
    plan = [(big.pk, big_start, big_per_sensor)]
    rest = total - big_per_sensor * SENSORS
    per_sensor = max(1, rest // ((SHIPMENTS - 1) * SENSORS))
    span = (now - timedelta(days=4) - first_month).total_seconds()
    for i in range(SHIPMENTS - 1):
        start = first_month + timedelta(seconds=span * i / (SHIPMENTS - 1))
        plan.append((new_shipment().pk, start, per_sensor))
    for shipment_id, start, count in plan:
        cursor.execute(
            GENERATE_SQL,
            {"shipment": shipment_id, "start": start, "sensors": SENSORS, "per_sensor": count},
        )
    cursor.execute(ROLLUP_SQL)
    for statement in FLAT_SQL:
        cursor.execute(statement)
    cursor.execute("CREATE TABLE flat.chart_shipment AS SELECT %s::bigint AS id", [big.pk])
    return big.pk, time.perf_counter() - t0


def ingest_run(cursor, new_shipment, search_path: str, batches: int, now: datetime) -> float:
    """Readings per second of `batches` 10k batches of a fresh shipment through the service."""
    from logistics.services.telemetry import telemetry_ingest

    shipment = new_shipment()
    start = now - timedelta(days=1)
    cursor.execute(f"SET search_path TO {search_path}")
    try:
        t0 = time.perf_counter()
        for b in range(batches):
            batch = [
                {
                    "sensor_id": f"RF-{s}",
                    "time": (start + timedelta(seconds=STEP_S * (b * 2500 + i))).isoformat(),
                    "temp_c": 6 + (i % 7) / 10,
                }
                for i in range(10_000 // SENSORS)
                for s in range(SENSORS)
            ]
            result = telemetry_ingest(actor=None, shipment=shipment, readings=batch)
            assert result.accepted == 10_000, result
        return batches * 10_000 / (time.perf_counter() - t0)
    finally:
        cursor.execute("SET search_path TO public")


def timed_ms(cursor, search_path: str, call) -> tuple[float, float]:
    """Wall and this process's CPU milliseconds of one call (the CPU part shows what a loaded
    machine's queueing adds to the wall time)."""
    cursor.execute(f"SET search_path TO {search_path}")
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        call()
        return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
    finally:
        cursor.execute("SET search_path TO public")


def spread(values: list[float], unit: str, fmt: str = ",.0f") -> str:
    return (
        f"median {statistics.median(values):{fmt}} {unit}, spread {min(values):{fmt}}–"
        f"{max(values):{fmt}} {unit}; runs: " + ", ".join(f"{v:{fmt}}" for v in values)
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--readings", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--batches", type=int, default=3, help="10k batches per ingestion run")
    parser.add_argument("--keep-db", action="store_true", help="reuse a loaded database; keep it")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    url = os.environ.setdefault("BENCH_DATABASE_URL", DEFAULT_URL.replace("logi", "scale"))
    if not args.keep_db:
        fresh_database(url)
    django_on_postgres()
    from django.db import connection
    from django.utils import timezone

    from logistics import selectors, telemetry
    from logistics.models import SensorReading

    now = timezone.now().replace(microsecond=0)
    new_shipment, _ = world("scale")
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        big_id = chart_shipment_loaded(cursor)
        if big_id is not None:
            print("load: skipped (--keep-db, database already loaded)")
        else:
            big_id, seconds = load(cursor, new_shipment, args.readings, now)
            cursor.execute("VACUUM ANALYZE")
            print(f"load: {seconds:.0f} s (generate, rollups, flat copy), then VACUUM ANALYZE")
        cursor.execute("SELECT count(*) FROM logistics_sensorreading")
        total = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'logistics_sensorreading'::regclass"
        )
        print(f"database: {url}; {total:,} readings in {cursor.fetchone()[0]} partitions")
        big = SensorReading.objects.filter(shipment_id=big_id)
        day = big.order_by("time").values_list("time", flat=True).first() + timedelta(days=10)
        day = day.replace(hour=0, minute=0, second=0)
        print(f"chart shipment {big_id}: {big.count():,} readings, {SENSORS} sensors")
        chart = {
            "shipment_id": big_id,
            "width": telemetry.parse_bucket("15m"),
        }
        raw = {
            "shipment_id": big_id,
            "width": timedelta(minutes=5),
            "start": day,
            "end": day + timedelta(days=1),
            "sensor_id": "RF-0",
        }
        kinds = ("ingest", "chart", "chart cpu", "raw")
        figures = {f"{kind} {path}": [] for kind in kinds for path in PATHS}
        for run in range(args.runs):
            for path, search_path in PATHS.items():
                rate = ingest_run(cursor, new_shipment, search_path, args.batches, now)
                chart_ms, chart_cpu = timed_ms(
                    cursor, search_path, lambda: selectors.buckets(**chart)
                )
                raw_ms, _cpu = timed_ms(cursor, search_path, lambda: selectors.buckets(**raw))
                figures[f"chart cpu {path}"].append(chart_cpu)
                figures[f"ingest {path}"].append(rate)
                figures[f"chart {path}"].append(chart_ms)
                figures[f"raw {path}"].append(raw_ms)
                print(
                    f"run {run + 1} {path:>11}: ingest {rate:,.0f} readings/s, "
                    f"chart {chart_ms:.1f} ms (client CPU {chart_cpu:.1f} ms), "
                    f"raw one-sensor day {raw_ms:.1f} ms"
                )
        params = {
            "width": raw["width"],
            "origin": telemetry.BUCKET_ORIGIN,
            "shipment": big_id,
            "start": raw["start"],
            "end": raw["end"],
            "sensor": "RF-0",
        }
        cursor.execute(
            "EXPLAIN (COSTS OFF) "
            + selectors.BUCKET_SQL.format(sensor="AND sensor_id = %(sensor)s"),
            params,
        )
        plan = "\n".join("    " + line for (line,) in cursor.fetchall())
        params.update(width=chart["width"], start=telemetry.EARLIEST, end=selectors.LATEST)
        cursor.execute("EXPLAIN (ANALYZE, TIMING OFF) " + selectors.ROLLUP_SQL, params)
        chart_server_ms = cursor.fetchall()[-1][0]
    print(f"\nload average after: {os.getloadavg()}")
    print(f"ingestion: {args.batches} batches of 10,000 readings per run, readings/s")
    for name, values in figures.items():
        unit = "readings/s" if name.startswith("ingest") else "ms"
        fmt = ",.0f" if unit == "readings/s" else ".1f"
        print(f"  {name:>18}: {spread(values, unit, fmt)}")
    ratio = statistics.median(figures["ingest partitioned"]) / statistics.median(
        figures["ingest flat"]
    )
    print(f"ingestion partitioned ÷ flat (medians): {ratio:.2f}")
    chart_median = statistics.median(figures["chart partitioned"])
    verdict = "met" if chart_median < 200 else "NOT met"
    print(f"target: chart query < 200 ms at {total:,} readings: {verdict} ({chart_median:.1f} ms)")
    print(f"chart query inside PostgreSQL (EXPLAIN ANALYZE): {chart_server_ms}")
    print("plan of the raw-reading query (one day: the other partitions are pruned):")
    print(plan)
    if not args.keep_db:
        connection.close()
        fresh_database(url)


if __name__ == "__main__":
    main()
