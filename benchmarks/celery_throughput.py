"""Celery throughput of the event dispatcher, end to end, on local Redis (docs/benchmarks.md "Celery").

    python benchmarks/celery_throughput.py [--runs 7] [--events 1000] [--concurrency 2]
                                           [--batch 50] [--paths 1,100]

Recreates the benchmark database (BENCH_DATABASE_URL, default agri_bench), migrates it, loads the
demo data, then for each run and each compared path, interleaved (1, 100, 1, 100, ...): starts a
real `celery worker` on all queues (BENCH_REDIS_URL, default db 10) with EVENTS_DISPATCH_BATCH set
to the path's batch size (1: one event per dispatch, as before the batch dispatcher), records
`--events` domain events through `agri_platform.events.services.record` in transactions of
`--batch` events, waits until the worker has dispatched every one, and stops the worker (started
before the clock, so its start-up is not measured). Reports per run the recording rate (record +
commit + queueing) and the end-to-end rate (first record → last `dispatched_at`), then per path the
median and spread (min–max), the load average before and after, and whether the targets (≥ 500
events/s end to end, recording ≥ 2,000 events/s) are met by the median of the default batch size.
Loopback only; bounded by --events, --runs and --timeout.
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

END_TO_END_TARGET = 500
RECORDING_TARGET = 2000


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def one_run(args, env, partners, batch_size: int, log_dir: Path) -> tuple[float, float]:
    """(recording events/s, end-to-end events/s) of `args.events` events with `batch_size`."""
    from django.conf import settings
    from django.db import transaction

    from agri_platform.events import services as events
    from agri_platform.events.models import Event
    from tests.quality import servers

    settings.EVENTS_DISPATCH_BATCH = batch_size  # the messages queued per transaction
    worker_env = {**env, "EVENTS_DISPATCH_BATCH": str(batch_size)}
    worker = servers.celery_worker(
        worker_env, log_dir, concurrency=args.concurrency, name=f"worker-b{batch_size}"
    )
    try:
        first_id = None
        started = time.monotonic()
        for offset in range(0, args.events, args.batch):
            with transaction.atomic():
                for i in range(offset, min(offset + args.batch, args.events)):
                    partner = partners[i % len(partners)]
                    event = events.record(
                        "partner.updated",
                        payload={"partner": partner.pk, "fields": [f"field {i}"]},
                        subject=partner,
                        partners=[partner],
                    )
                    first_id = first_id or event.pk
        recorded = time.monotonic()
        pending = Event.objects.filter(pk__gte=first_id, dispatched_at__isnull=True)
        while pending.exists():
            if time.monotonic() > started + args.timeout:
                raise TimeoutError(f"{pending.count()} events undispatched after {args.timeout} s")
            time.sleep(0.02)
        finished = time.monotonic()
    finally:
        worker.stop()
    return args.events / (recorded - started), args.events / (finished - started)


def spread(values: list[float]) -> str:
    return (
        f"median {statistics.median(values):7.0f}  (min {min(values):.0f} – max {max(values):.0f})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=50, help="events per recording transaction")
    parser.add_argument("--paths", default="1,100", help="EVENTS_DISPATCH_BATCH values compared")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    paths = [int(size) for size in args.paths.split(",")]

    load_before = load()
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
    from agri_platform.accounts.models import Partner

    partners = list(Partner.objects.order_by("pk")[:3])
    log_dir = Path(tempfile.mkdtemp(prefix="celery-bench-"))
    print(f"load average before    {load_before}")
    print(
        f"{args.events} events per run in transactions of {args.batch}; worker prefork, "
        f"concurrency {args.concurrency}, all queues; paths EVENTS_DISPATCH_BATCH={args.paths}"
    )
    figures = {size: {"recording": [], "end to end": []} for size in paths}
    for run in range(1, args.runs + 1):
        for size in paths:
            recording, end_to_end = one_run(args, env, partners, size, log_dir)
            figures[size]["recording"].append(recording)
            figures[size]["end to end"].append(end_to_end)
            print(
                f"run {run}  batch {size:>4}  recording {recording:7.0f} events/s  "
                f"end to end {end_to_end:6.0f} events/s",
                flush=True,
            )
    print(f"load average after     {load()}")
    for size in paths:
        for measure, values in figures[size].items():
            print(f"batch {size:>4}  {measure:<10}  {spread(values)} events/s")
    default = figures[paths[-1]]
    end_to_end = statistics.median(default["end to end"])
    recording = statistics.median(default["recording"])
    print(
        f"target end to end ≥ {END_TO_END_TARGET}/s: "
        f"{'met' if end_to_end >= END_TO_END_TARGET else 'NOT met'} ({end_to_end:.0f})"
    )
    print(
        f"target recording ≥ {RECORDING_TARGET}/s: "
        f"{'met' if recording >= RECORDING_TARGET else 'NOT met'} ({recording:.0f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
