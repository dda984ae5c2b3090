"""Telemetry ingestion throughput on PostgreSQL: over gunicorn, through Django's test client, and
the bare COPY path, taking the same batches in turn.

    .venv/bin/python benchmarks/telemetry.py [--readings 100000] [--runs 9] [--port 8300]

Uses its own database (BENCH_DATABASE_URL, default agri_logi_bench, created, migrated and
analyzed) and Redis database number (BENCH_REDIS_URL, default db 10: the broker the server queues
its events on; no worker runs). Starts one sync gunicorn worker on loopback with the project's
settings (DEBUG off) and posts 10,000-reading JSON batches with a carrier API key over one
keep-alive requests.Session.
In every run each path stores the same batches to a shipment of its own, the paths taking each
batch in turn, the order rotating batch by batch: a burst of load on this noisy machine falls on
every path alike, so each run's ratio compares the paths under the same conditions. Prints the
load average before and after, every run's figures, per path the median and the spread, and
whether each target is met.
"""

import argparse
import gc
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from _setup import ROOT, django_on_postgres, readings, world

BATCH = 10_000
LATLON = (None, None)  # the benchmark's readings carry no position
RATIO_TARGET = 0.5  # over gunicorn ÷ bare COPY, in every run (issue 18)


def batches(rows, size):
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def stored_check(shipment, expected: int) -> int:
    """Every reading arrived; returns the excursions detected (the same every run)."""
    from logistics.models import SensorReading, TemperatureExcursion

    stored = SensorReading.objects.filter(shipment=shipment).count()
    assert stored == expected, (stored, expected)
    return TemperatureExcursion.objects.filter(shipment=shipment).count()


class GunicornPath:
    """POSTs each batch over a keep-alive requests.Session to the gunicorn worker."""

    def __init__(self, session, base, bodies):
        self.session, self.base, self.bodies = session, base, bodies

    def start(self, shipment):
        self.url = f"{self.base}/api/v1/shipments/{shipment.pk}/telemetry/"

    def send(self, index: int) -> float:
        started = time.perf_counter()
        response = self.session.post(self.url, data=self.bodies[index])
        elapsed = time.perf_counter() - started
        assert response.status_code == 201, response.content[:300]
        return elapsed


class TestClientPath:
    """POSTs each batch through Django's test client, in this process."""

    def __init__(self, client, bodies):
        self.client, self.bodies = client, bodies

    def start(self, shipment):
        self.url = f"/api/v1/shipments/{shipment.pk}/telemetry/"

    def send(self, index: int) -> float:
        started = time.perf_counter()
        response = self.client.post(self.url, self.bodies[index], content_type="application/json")
        elapsed = time.perf_counter() - started
        assert response.status_code == 201, response.content[:300]
        return elapsed


class BarePath:
    """The floor: COPY into a staging table, INSERT … ON CONFLICT DO NOTHING, per batch, on a
    connection of its own (the rows are converted before any clock)."""

    def __init__(self, batched_rows):
        from datetime import datetime

        import psycopg
        from django.db import connection

        self.prepared = [
            [
                (
                    r["sensor_id"],
                    datetime.fromisoformat(r["time"]),
                    r["temp_c"],
                    r["humidity"],
                    *LATLON,
                )
                for r in batch
            ]
            for batch in batched_rows
        ]
        connection.ensure_connection()
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        self.conn = psycopg.connect(**params)
        self.conn.execute(
            "CREATE TEMP TABLE bench_staging (sensor_id text, time timestamptz, temp_c float8,"
            " humidity float8, latitude float8, longitude float8) ON COMMIT DELETE ROWS"
        )
        self.conn.commit()

    def start(self, shipment):
        self.shipment_id = shipment.pk

    def send(self, index: int) -> float:
        conn = self.conn
        started = time.perf_counter()
        with conn.transaction(), conn.cursor() as cur:
            with cur.copy("COPY bench_staging FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["text", "timestamptz", "float8", "float8", "float8", "float8"])
                for row in self.prepared[index]:
                    copy.write_row(row)
            cur.execute(
                "INSERT INTO logistics_sensorreading (shipment_id, sensor_id, time, temp_c,"
                " humidity, latitude, longitude) SELECT %s, sensor_id, time, temp_c, humidity,"
                " latitude, longitude FROM bench_staging ON CONFLICT DO NOTHING",
                [self.shipment_id],
            )
        return time.perf_counter() - started

    def close(self):
        self.conn.close()


def interleaved_run(paths: dict, new_shipment, batch_count: int, run: int) -> dict[str, float]:
    """Seconds each path spent on the same batches, sent batch by batch in turn, the order
    rotating every batch: a burst of load on the machine falls on every path alike."""
    shipments = {}
    for name, path in paths.items():
        shipments[name] = new_shipment()
        path.start(shipments[name])
    spent = dict.fromkeys(paths, 0.0)
    names = list(paths)
    for index in range(batch_count):
        turn = (run + index) % len(names)
        for name in names[turn:] + names[:turn]:
            spent[name] += paths[name].send(index)
    return spent, shipments


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


def analyze_tables() -> None:
    """Statistics as autovacuum keeps them in a deployment: this machine's PostgreSQL runs with
    autovacuum off, so the benchmark database's readings (millions after a few runs) were never
    analyzed. Without statistics the planner reads every stored reading of a sensor to find the
    window before a batch (excursion re-detection: 4.6 ms instead of 0.03 per query at 21 million
    readings); the bare path runs no such query."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("logistics_sensorreading", "logistics_readingrollup"):
            cursor.execute(f"ANALYZE {table}")


def start_gunicorn(database_url: str, port: int | None):
    """One sync worker: the benchmark sends one batch at a time, so a second worker would only
    idle, and the other core is left to PostgreSQL as it is for the bare path."""
    import sys

    sys.path.insert(0, str(ROOT))
    from tests.quality import servers

    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")
    servers.flush_redis_db(redis_url)
    env = servers.service_env(database_url, redis_url, DEBUG="false")
    log_dir = Path(tempfile.mkdtemp(prefix="telemetry-bench-"))
    port = port or servers.free_port()
    argv = [str(servers.BIN / "gunicorn"), "agri_platform.wsgi:application"]
    argv += ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "120"]
    argv += ["--access-logfile", "/dev/null"]
    service = servers.Service("gunicorn", argv, env, log_dir).start()
    try:  # the health check, not the schema: generating that takes a minute on a busy machine
        servers.wait_for_http(f"http://127.0.0.1:{port}/health/", service, timeout=180)
    except BaseException:
        service.stop()
        raise
    return service, f"http://127.0.0.1:{port}", lambda: servers.flush_redis_db(redis_url)


def spread(label: str, figures: list[float], fmt: str = ",.0f") -> str:
    return (
        f"{label:<36}{statistics.median(figures):>12{fmt}}"
        f"{min(figures):>12{fmt}}{max(figures):>12{fmt}}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=100_000, help="rows per run and path")
    parser.add_argument("--runs", type=int, default=9, help="interleaved runs (at least 7)")
    parser.add_argument("--naive", type=int, default=2_000, help="rows for the naive path (0: no)")
    parser.add_argument("--port", type=int, default=None, help="gunicorn port (default: free)")
    parser.add_argument(
        "--no-test-client", action="store_true", help="skip the in-process test-client path"
    )
    args = parser.parse_args()
    load_before = os.getloadavg()
    url = django_on_postgres()
    import requests
    from django.test import Client

    new_shipment, key = world("tele")
    analyze_tables()
    rows = readings(args.readings)
    assert len(rows) % BATCH == 0, f"--readings takes whole batches of {BATCH:,}"
    bodies = [json.dumps(b).encode() for b in batches(rows, BATCH)]  # encoded before any clock
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
    session = requests.Session()
    session.headers.update({"Authorization": f"Api-Key {key}", "Content-Type": "application/json"})
    server, base, flush_queue = start_gunicorn(url, args.port)
    # A server process does not hold the benchmark's prepared rows: keep them (and the loaded
    # application, as agri_platform/wsgi.py does) out of the cyclic collector's passes.
    gc.freeze()
    paths = {"gunicorn": GunicornPath(session, base, bodies)}
    if not args.no_test_client:
        paths["test_client"] = TestClientPath(client, bodies)
    paths["bare"] = BarePath(batches(rows, BATCH))
    try:
        # warm-up: imports, connections, plan caches, on every path
        interleaved_run(paths, new_shipment, 2, 0)
        flush_queue()

        figures: dict[str, list[float]] = {name: [] for name in ("gunicorn", "test_client", "bare")}
        excursions = set()
        print(
            f"{'run':<5}{'gunicorn/s':>12}{'client/s':>12}{'bare/s':>12}"
            f"{'gunicorn÷bare':>15}{'client÷bare':>13}"
        )
        for run in range(1, args.runs + 1):
            spent, shipments = interleaved_run(paths, new_shipment, len(bodies), run)
            for name, seconds in spent.items():
                figures[name].append(len(rows) / seconds)
            for name in ("gunicorn", "test_client"):
                if name in shipments:
                    excursions.add(stored_check(shipments[name], len(rows)))
            stored_check(shipments["bare"], len(rows))
            flush_queue()  # the events queued by the server's requests: no worker takes them
            line = f"{run:<5}{figures['gunicorn'][-1]:>12,.0f}"
            line += (
                f"{figures['test_client'][-1]:>12,.0f}" if figures["test_client"] else f"{'-':>12}"
            )
            line += f"{figures['bare'][-1]:>12,.0f}"
            line += f"{figures['gunicorn'][-1] / figures['bare'][-1]:>15.2f}"
            if figures["test_client"]:
                line += f"{figures['test_client'][-1] / figures['bare'][-1]:>13.2f}"
            print(line, flush=True)
        naive = naive_path(new_shipment, rows[: args.naive]) if args.naive else None
    finally:
        paths["bare"].close()
        server.stop()
    load_after = os.getloadavg()

    ratios = [g / b for g, b in zip(figures["gunicorn"], figures["bare"], strict=True)]
    print()
    print(
        f"database: {url}; load average before {load_before[0]:.2f} {load_before[1]:.2f}"
        f" {load_before[2]:.2f}, after {load_after[0]:.2f} {load_after[1]:.2f}"
        f" {load_after[2]:.2f}"
    )
    print(
        f"rows per run and path: {len(rows):,} in {len(bodies)} batches of {BATCH:,} "
        f"({len({r['sensor_id'] for r in rows})} sensors, excursions per run: {sorted(excursions)});"
        f" {args.runs} runs, the paths taking each batch in turn"
    )
    print(f"{'path (readings/s)':<36}{'median':>12}{'min':>12}{'max':>12}")
    print(spread("HTTP over gunicorn, 10k batches", figures["gunicorn"]))
    if figures["test_client"]:
        print(spread("Django test client, 10k batches", figures["test_client"]))
    print(spread("bare COPY + INSERT ON CONFLICT", figures["bare"]))
    print(spread("gunicorn ÷ bare (per run)", ratios, ".2f"))
    if figures["test_client"]:
        client_ratios = [
            c / b for c, b in zip(figures["test_client"], figures["bare"], strict=True)
        ]
        print(spread("test client ÷ bare (per run)", client_ratios, ".2f"))
    every = all(r >= RATIO_TARGET for r in ratios)
    print(
        f"gunicorn ÷ bare >= {RATIO_TARGET} in every run: {'yes' if every else 'NO'}"
        f" ({sum(r >= RATIO_TARGET for r in ratios)} of {len(ratios)})"
    )
    median_http = statistics.median(figures["gunicorn"])
    print(f"gunicorn 10k >= 50,000/s (median): {'yes' if median_http >= 50_000 else 'NO'}")
    if naive:
        print(
            f"naive DRF serializer + ORM save per reading: {naive:,.0f}/s; gunicorn ÷ naive "
            f"{median_http / naive:.0f}x (target >= 20x): {'yes' if median_http >= 20 * naive else 'NO'}"
        )


if __name__ == "__main__":
    main()
