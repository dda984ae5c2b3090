"""Celery throughput of the event dispatcher, end to end, on local Redis (docs/benchmarks.md "Celery").

    python benchmarks/celery_throughput.py [--events 2000] [--concurrency 2] [--batch 50]

Recreates the benchmark database (BENCH_DATABASE_URL, default agri_bench), migrates it, loads the
demo data, starts a real `celery worker` on all queues (BENCH_REDIS_URL, default db 10), then records
`--events` domain events through `agri_platform.events.services.record` in transactions of
`--batch` events (each queues `events.dispatch_event` on commit, as a service would) and waits until
the worker has dispatched every one. Reports the enqueue rate and the end-to-end events/s (first
commit → last `dispatched_at`), with the dispatch latency percentiles (commit → dispatched_at).
Loopback only; bounded by --events and --timeout.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/agri_bench"
    )
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")
    from tests.quality import servers

    env = servers.prepare(database_url, redis_url, keep_db=args.keep_db)
    os.environ.update(
        {k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "CELERY_TASK_ALWAYS_EAGER")}
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agri_platform.settings")
    servers.manage(env, "seed_demo", "-v", "0")

    import django

    django.setup()
    from django.db import transaction

    from agri_platform.accounts.models import Partner
    from agri_platform.events import services as events
    from agri_platform.events.models import Event

    partners = list(Partner.objects.order_by("pk")[:3])
    log_dir = Path(tempfile.mkdtemp(prefix="celery-bench-"))
    worker = servers.celery_worker(env, log_dir, concurrency=args.concurrency, loglevel="info")
    try:
        first_id = None
        started = time.monotonic()
        for offset in range(0, args.events, args.batch):
            with transaction.atomic():
                for i in range(offset, min(offset + args.batch, args.events)):
                    event = events.record(
                        "partner.updated",
                        payload={"partner": partners[i % len(partners)].pk, "benchmark": i},
                        subject=partners[i % len(partners)],
                        partners=[partners[i % len(partners)]],
                    )
                    first_id = first_id or event.pk
        enqueued = time.monotonic()
        batch = Event.objects.filter(pk__gte=first_id)
        deadline = started + args.timeout
        while batch.filter(dispatched_at__isnull=True).exists():
            if time.monotonic() > deadline:
                left = batch.filter(dispatched_at__isnull=True).count()
                print(f"timed out with {left} events undispatched", file=sys.stderr)
                return 1
            time.sleep(0.05)
        finished = time.monotonic()
        latencies = [
            (dispatched - occurred).total_seconds() * 1000
            for occurred, dispatched in batch.values_list("occurred_at", "dispatched_at")
        ]
    finally:
        worker.stop()

    total = finished - started
    print(f"events                 {args.events} (transactions of {args.batch})")
    print(f"worker                 prefork, concurrency {args.concurrency}, all queues")
    print(f"enqueue (record+commit) {args.events / (enqueued - started):8.0f} events/s")
    print(f"end to end             {args.events / total:8.0f} events/s ({total:.1f} s)")
    print(
        "dispatch latency ms    "
        f"p50 {statistics.median(latencies):.0f}  p95 {percentile(latencies, 0.95):.0f}  "
        f"p99 {percentile(latencies, 0.99):.0f}  max {max(latencies):.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
