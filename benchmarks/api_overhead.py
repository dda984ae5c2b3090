"""API overhead: the DRF shipment list against a plain Django view of the same body (issue 18).

    python benchmarks/api_overhead.py [--runs 9] [--requests 40] [--keep-db]

Prepares the load test's database (benchmarks/load/run.py: demo data plus 20 shipments of the demo
exporter; BENCH_DATABASE_URL, BENCH_REDIS_URL), starts gunicorn with the load test's settings
(bench_settings.py: the project plus the plain views of bench_urls.py: `/bench/plain-shipments/`,
the same JSON body built with plain dicts, and `/bench/plain-shipments-thin/`, `.values()` rows
without nested objects, for information), then per run sends --requests
requests to each path from one client on loopback (requests, one at a time, the paths alternating
request by request) and prints p50/p95 per path and the ratio of the p50s (DRF / plain; DRF / thin
for information). Runs are interleaved too (the three paths within each run); the summary is the median and spread (min-max) over the runs
and whether the target (DRF p50 <= 1.3 x plain p50) is met. Before that, the same comparison in
process (Django's test client, no HTTP): ms per request and queries per request for each path.
The load average is printed before and after.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOAD = ROOT / "benchmarks" / "load"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(LOAD))

from benchmarks.load import run as load_run  # noqa: E402
from tests.quality import servers  # noqa: E402

PATHS = {
    "drf": "/api/v1/shipments/?page_size=50",
    "plain": "/bench/plain-shipments/",  # the same body (tests/logistics/test_plain_list.py)
    "thin": "/bench/plain-shipments-thin/",  # half the body: for information
}
TARGET_RATIO = 1.3
WARM_UP = 10


def load_average() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def spread(values: list[float]) -> str:
    return (
        f"median {statistics.median(values):6.2f}  (min {min(values):.2f} - max {max(values):.2f})"
    )


def timed_runs(send, runs: int, requests: int) -> list[dict]:
    """Per run, `requests` calls of `send(path)` per path, alternating; ms per call by path."""
    for _ in range(WARM_UP):
        for name in PATHS:
            send(name)
    results = []
    for run in range(1, runs + 1):
        timings = {name: [] for name in PATHS}
        for _ in range(requests):
            for name in PATHS:
                started = time.perf_counter()
                send(name)
                timings[name].append((time.perf_counter() - started) * 1000)
        figures = {
            name: (percentile(ms, 0.5), percentile(ms, 0.95)) for name, ms in timings.items()
        }
        ratio = figures["drf"][0] / figures["plain"][0]
        thin_ratio = figures["drf"][0] / figures["thin"][0]
        results.append({"figures": figures, "ratio": ratio, "thin_ratio": thin_ratio})
        print(
            f"run {run:2}: "
            + "  ".join(
                f"{n} p50 {p50:6.2f} p95 {p95:6.2f} ms" for n, (p50, p95) in figures.items()
            )
            + f"  ratio {ratio:.2f} (thin {thin_ratio:.2f})",
            flush=True,
        )
    return results


def summarise(results: list[dict], label: str) -> bool:
    print(f"\n{label}: median and spread over {len(results)} runs")
    for name in PATHS:
        print(f"  {name:<5} p50 ms  {spread([r['figures'][name][0] for r in results])}")
        print(f"  {name:<5} p95 ms  {spread([r['figures'][name][1] for r in results])}")
    print(f"  ratio DRF/thin p50   {spread([r['thin_ratio'] for r in results])}  (information)")
    ratios = [r["ratio"] for r in results]
    met = statistics.median(ratios) <= TARGET_RATIO
    verdict = "met" if met else "NOT met"
    print(f"  ratio DRF/plain p50  {spread(ratios)}  target <= {TARGET_RATIO}: {verdict}")
    return met


def http_client(base: str, authorization: str):
    import requests

    session = requests.Session()
    session.headers["Authorization"] = authorization

    def send(name: str) -> None:
        response = session.get(base + PATHS[name], timeout=30)
        if response.status_code != 200:
            raise SystemExit(f"{PATHS[name]}: {response.status_code} {response.text[:200]}")

    return send


def in_process(config_path: str, runs: int, requests: int) -> None:
    """Run inside the bench settings (a subprocess): the test client, no HTTP."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    authorization = json.loads(Path(config_path).read_text())["enterprise"]
    client = Client(HTTP_AUTHORIZATION=authorization)
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    for name, path in PATHS.items():
        queries.clear()
        with connection.execute_wrapper(count):
            status = client.get(path).status_code
        print(f"in process: {name:<5} {path:<36} status {status}, {len(queries)} queries/request")

    def send(name: str) -> None:
        client.get(PATHS[name])

    summarise(timed_runs(send, runs, requests), "in process (test client)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--requests", type=int, default=40, help="per path and run")
    parser.add_argument("--in-process-runs", type=int, default=7)
    parser.add_argument("--in-process-requests", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    parser.add_argument(
        "--keep-db",
        action="store_true",
        help="reuse the database prepared by an earlier run with the same BENCH_REPORT_DIR",
    )
    parser.add_argument("--in-process", metavar="CONFIG", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_process:
        in_process(args.in_process, args.in_process_runs, args.in_process_requests)
        return 0

    print(f"before: {load_average()}", flush=True)
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/agri_bench_api"
    )
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")
    report = Path(os.environ.get("BENCH_REPORT_DIR") or tempfile.mkdtemp(prefix="api-overhead-"))
    config = report / "config.json"
    if args.keep_db and config.exists():
        env = servers.service_env(database_url, redis_url)
        bench_env = {**env, "DJANGO_SETTINGS_MODULE": "bench_settings", "PYTHONPATH": str(LOAD)}
    else:
        _, bench_env = load_run.prepare_bench(database_url, redis_url, report)
    print(f"set-up done: {load_average()}\n", flush=True)

    subprocess.run(
        [
            servers.PYTHON,
            __file__,
            "--in-process",
            str(config),
            "--in-process-runs",
            str(args.in_process_runs),
            "--in-process-requests",
            str(args.in_process_requests),
        ],
        cwd=ROOT,
        env=bench_env,
        check=True,
    )

    port = args.port or servers.free_port()
    base = f"http://127.0.0.1:{port}"
    server = servers.gunicorn(
        bench_env,
        report,
        port=port,
        workers=args.workers,
        extra_args=["--pythonpath", str(LOAD)],
        ready_path="/health/",  # the schema, the default, takes seconds to build
    )
    try:
        print(f"\nover HTTP: gunicorn, {args.workers} workers, one client on loopback", flush=True)
        send = http_client(base, json.loads(config.read_text())["enterprise"])
        met = summarise(timed_runs(send, args.runs, args.requests), "over HTTP (gunicorn)")
    finally:
        server.stop()
    print(f"\nafter: {load_average()}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
