"""The web tier measured: the requests/s the load test's mix sustains with 1, 2 and 4 gunicorn workers
while its p95 stays within a bound (default 300 ms).

    python benchmarks/load/web_tier.py [--runs 7] [--bound-ms 300] [--workers 1,2,4]

Set-up as benchmarks/load/run.py (its database, demo data, shipments and bench settings; a real
Celery worker on Redis), then one gunicorn per worker count, each started once on its own port
(`--port-base`, default 8500) and kept warm. ladder.py drives the locustfile's mix (its users, paced by
greenlets of its own rather than Locust's runner, whose timing added ~100 ms a request): rounds
interleave the worker counts (1, 2, 4, 1, 2, 4, ...); each run climbs or descends a ladder of
offered rates (figures.LADDER) from where the previous run of that worker count ended, a few
seconds a step, and keeps the highest step that held (p95 within the bound, no failure, at least
90 % of the offered requests served). Prints the load average before and after, every step,
and per worker count the median and range of requests/s, p50, p95 and the cores each process used.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import figures  # noqa: E402
import run  # noqa: E402
from run import ROOT, servers  # noqa: E402

ROLES = ["gunicorn", "celery", "postgres", "locust", "machine"]


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def summary(runs: list[dict], worker_counts: list[int], bound_ms: float) -> list[dict]:
    """Per worker count: median and range over the runs of the sustained step's figures."""
    rows = []
    for workers in worker_counts:
        held = [r["best"] for r in runs if r["workers"] == workers and r["best"] is not None]
        rows.append(
            {
                "workers": workers,
                "runs": sum(1 for r in runs if r["workers"] == workers),
                "held": len(held),
                **{key: figures.spread([s[key] for s in held]) for key in ("rps", "p50", "p95")},
                "cpu": {role: figures.spread([s["cpu"][role] for s in held]) for role in ROLES},
                "bound_ms": bound_ms,
            }
        )
    return rows


def print_summary(rows: list[dict]) -> None:
    def fig(s, digits=0):
        return f"{s['median']:.{digits}f} ({s['min']:.{digits}f}-{s['max']:.{digits}f})"

    bound = rows[0]["bound_ms"] if rows else 0
    print(f"\nSustained with p95 <= {bound:.0f} ms, median (min-max) over the runs that held:")
    print(f"{'workers':>7} {'held':>6} {'req/s':>18} {'p50 ms':>16} {'p95 ms':>16}")
    for row in rows:
        print(
            f"{row['workers']:>7} {row['held']:>3}/{row['runs']:<2} {fig(row['rps'], 1):>18}"
            f" {fig(row['p50']):>16} {fig(row['p95']):>16}"
        )
    print("\nCores used at that rate (CPU seconds per second), median (min-max):")
    print(f"{'workers':>7} " + " ".join(f"{role:>16}" for role in ROLES))
    for row in rows:
        print(f"{row['workers']:>7} " + " ".join(f"{fig(row['cpu'][r], 2):>16}" for r in ROLES))
    print("(machine: every process of the machine, other users' work included)")
    if len(rows) > 1 and rows[0]["rps"]["median"]:
        base = rows[0]["rps"]["median"]
        print(
            "Scaling against 1 worker: "
            + ", ".join(f"{r['workers']} -> {r['rps']['median'] / base:.2f}x" for r in rows)
        )


def start_gunicorns(
    env: dict, report: Path, worker_counts: list[int], port_base: int, services: list
) -> list:
    """One gunicorn per worker count on consecutive ports; each joins `services` as soon as it
    runs, so the caller stops it even if a later one fails to start."""
    started = []
    for offset, workers in enumerate(worker_counts):
        log_dir = report / f"gunicorn-{workers}"
        log_dir.mkdir(exist_ok=True)
        service = servers.gunicorn(
            run.bench_environment(env),
            log_dir,
            port=port_base + offset,
            workers=workers,
            # no control socket: gunicorn 27 puts it at one path per user, which instances would share
            extra_args=["--pythonpath", str(HERE), "--no-control-socket"],
            ready_path="/health/",  # the schema takes a minute to build on a busy machine
            ready_timeout=300,  # 4 workers importing Django on a busy 2-core machine
        )
        services.append(service)
        started.append((workers, port_base + offset, service))
    return started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per worker count (interleaved)")
    parser.add_argument("--workers", default="1,2,4", help="gunicorn worker counts")
    parser.add_argument("--bound-ms", type=float, default=300.0, help="the p95 a step must hold")
    parser.add_argument("--first-rate", type=int, default=12, help="first run's offered rate")
    parser.add_argument("--step-seconds", type=float, default=4.0)
    parser.add_argument("--settle-seconds", type=float, default=1.0)
    parser.add_argument("--port-base", type=int, default=8500)
    parser.add_argument(
        "--keep-db",
        action="store_true",
        help="with BENCH_REPORT_DIR of an earlier run: reuse its database and credentials",
    )
    args = parser.parse_args()
    worker_counts = [int(w) for w in args.workers.split(",")]

    print(f"load average before: {load_average()}", flush=True)
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/agri_bench"
    )
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")
    report = Path(os.environ.get("BENCH_REPORT_DIR") or tempfile.mkdtemp(prefix="webtier-"))
    report.mkdir(parents=True, exist_ok=True)
    if args.keep_db and (report / "config.json").exists():  # an earlier run's world, as it is
        env = servers.service_env(database_url, redis_url)
    else:
        env = run.prepare_world(database_url, redis_url, report, keep_db=args.keep_db)
    services = []
    try:
        celery = servers.celery_worker(env, report, concurrency=1)
        services.append(celery)
        gunicorns = start_gunicorns(env, report, worker_counts, args.port_base, services)
        plan = {
            "targets": [
                {"workers": w, "base": f"http://127.0.0.1:{port}", "pid": s.process.pid}
                for w, port, s in gunicorns
            ],
            "celery_pid": celery.process.pid,
            "database": database_url.rsplit("/", 1)[1],
            "runs": args.runs,
            "bound_ms": args.bound_ms,
            "first_rate": args.first_rate,
            "step_seconds": args.step_seconds,
            "settle_seconds": args.settle_seconds,
            "pause_seconds": 2,
            "out": str(report / "web_tier.json"),
        }
        (report / "plan.json").write_text(json.dumps(plan))
        print(f"\nladder (report in {report}):", flush=True)
        subprocess.run(
            [servers.PYTHON, str(HERE / "ladder.py"), str(report / "plan.json")],
            cwd=ROOT,
            env={**env, "BENCH_CONFIG": str(report / "config.json"), "BENCH_USER_RATE": "1"},
            check=True,
        )
    finally:
        for service in reversed(services):
            service.stop()
    print_summary(summary(json.loads(Path(plan["out"]).read_text()), worker_counts, args.bound_ms))
    print(f"\nload average after: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
