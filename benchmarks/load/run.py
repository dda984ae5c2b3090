"""Load test: Locust (headless, fixed rate, bounded) against gunicorn on PostgreSQL, loopback only.

    python benchmarks/load/run.py [--users 20] [--rate 1] [--duration 60] [--compare-duration 30]

Recreates the benchmark database (BENCH_DATABASE_URL, default agri_bench), migrates, loads the
demo data plus 20 in-transit shipments of the demo exporter carried by the demo carrier, starts
gunicorn (`--workers`, default 2) on the project's settings plus one plain Django view
(bench_settings.py, bench_urls.py) and a real Celery worker on Redis (BENCH_REDIS_URL, default db
10), then runs two Locust phases and prints their tables (also CSV in the report directory):
1. the mix: partner and enterprise traffic at users x rate requests/s for --duration seconds;
2. the comparison: the DRF shipment list against the plain view, same rows, for --compare-duration.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from tests.quality import servers  # noqa: E402

SETUP = """
import json, sys
from django.core.management import call_command
from agri_platform.accounts.demo import ENTERPRISE_USERS
from agri_platform.accounts.models import Membership, Partner, User
from agri_platform.accounts.services import api_key_create, token_issue
from certification.models import Certificate
from tests.logistics.factories import ShipmentFactory

call_command("seed_demo", verbosity=0)
owner = User.objects.get(email=ENTERPRISE_USERS[0][0])
membership = Membership.objects.filter(user=owner).select_related("enterprise").first()
carrier = Partner.objects.filter(kind="carrier").order_by("pk").first()
shipments = [
    ShipmentFactory(enterprise=membership.enterprise, carrier=carrier, status="in_transit").pk
    for _ in range(20)
]
_, key = api_key_create(
    partner=carrier,
    name="load test",
    scopes=["logistics:write", "telemetry:write", "certification:read"],
)
_, token = token_issue(user=owner, name="load test")
numbers = list(Certificate.objects.values_list("number", flat=True)[:20]) or ["NONE-0000"]
json.dump(
    {"partner": f"Api-Key {key}", "enterprise": f"Bearer {token}", "shipments": shipments,
     "certificates": numbers},
    open(sys.argv[1], "w"),
)
"""


# Each phase runs the locustfile's user classes named here, with the tasks tagged by its name.
PHASE_CLASSES = {
    "mix": ["PartnerSystem", "EnterprisePortal"],
    "compare": ["ShipmentListCompare"],
}


def locust(base: str, report: Path, phase: str, *, users: int, duration: int, rate: float) -> None:
    print(f"\n--- {phase}: {users} users x {rate} req/s for {duration}s ---", flush=True)
    argv = [
        str(servers.BIN / "locust"),
        "-f",
        str(HERE / "locustfile.py"),
        *PHASE_CLASSES[phase],
        "--headless",
        "--host",
        base,
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{duration}s",
        "--stop-timeout",
        "10",
        "--csv",
        str(report / phase),
        "--only-summary",
        "--tags",  # last: it takes every argument after it
        phase,
    ]
    env = {
        **os.environ,
        "BENCH_CONFIG": str(report / "config.json"),
        "BENCH_USER_RATE": str(rate),
    }
    subprocess.run(argv, cwd=ROOT, env=env, check=False, timeout=duration + 120)


def prepare_world(database_url: str, redis_url: str, report: Path, *, keep_db: bool) -> dict:
    """The migrated benchmark database with the demo data and the load-test shipments; writes the
    credentials the locustfile reads to report/config.json. Returns the services' environment."""
    env = servers.prepare(database_url, redis_url, keep_db=keep_db)
    subprocess.run(
        [
            servers.PYTHON,
            "-c",
            "import django; django.setup()\n" + SETUP,
            str(report / "config.json"),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return env


def bench_environment(env: dict) -> dict:
    """gunicorn's environment: the bench settings (raised throttles, the plain view)."""
    return {**env, "DJANGO_SETTINGS_MODULE": "bench_settings", "PYTHONPATH": str(HERE)}


def prepare_bench(
    database_url: str, redis_url: str, report: Path, *, keep_db: bool = False
) -> tuple[dict, dict]:
    """`prepare_world` in `report` (created), with the environments of the project's and the bench
    server's processes."""
    report.mkdir(parents=True, exist_ok=True)
    env = prepare_world(database_url, redis_url, report, keep_db=keep_db)
    return env, bench_environment(env)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rate", type=float, default=1.0, help="requests/s per user")
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--compare-users", type=int, default=10)
    parser.add_argument("--compare-duration", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--phases", default="mix,compare", help="comma-separated: mix, compare (default both)"
    )
    args = parser.parse_args()

    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/agri_bench"
    )
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")
    report = Path(os.environ.get("BENCH_REPORT_DIR") or tempfile.mkdtemp(prefix="load-"))
    report.mkdir(parents=True, exist_ok=True)
    env = prepare_world(database_url, redis_url, report, keep_db=args.keep_db)
    bench_env = bench_environment(env)
    port = servers.free_port()
    base = f"http://127.0.0.1:{port}"
    started = []
    try:
        started.append(servers.celery_worker(env, report, concurrency=1))
        started.append(
            servers.gunicorn(
                bench_env,
                report,
                port=port,
                workers=args.workers,
                extra_args=["--pythonpath", str(HERE)],
            )
        )
        phases = set(args.phases.split(","))
        if "mix" in phases:
            locust(base, report, "mix", users=args.users, duration=args.duration, rate=args.rate)
        if "compare" in phases:
            locust(
                base,
                report,
                "compare",
                users=args.compare_users,
                duration=args.compare_duration,
                rate=args.rate,
            )
    finally:
        for service in reversed(started):
            service.stop()
    print_summary(report)
    return 0


def print_summary(report: Path) -> None:
    import csv

    for prefix in ("mix", "compare"):
        path = report / f"{prefix}_stats.csv"
        if not path.exists():
            print(f"{prefix}: no results")
            continue
        print(f"\n{prefix} ({path})")
        print(
            f"{'request':<62} {'reqs':>6} {'fail':>5} {'rps':>6} {'p50':>5} {'p95':>5} {'p99':>5}"
        )
        for row in csv.DictReader(path.open()):
            print(
                f"{row['Name'][:62]:<62} {row['Request Count']:>6} {row['Failure Count']:>5} "
                f"{float(row['Requests/s']):>6.1f} {row['50%']:>5} {row['95%']:>5} {row['99%']:>5}"
            )


if __name__ == "__main__":
    sys.exit(main())
