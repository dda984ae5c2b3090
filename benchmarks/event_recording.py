"""Recording events in process, no worker: the ways `record` can write an event, interleaved.

    .venv/bin/python benchmarks/event_recording.py [--runs 7] [--events 1000] [--batch 50]

Uses its own database (BENCH_DATABASE_URL, default agri_logi_bench, created and migrated; no broker:
the dispatch messages go to Celery's in-memory transport). Records `--events` events of the
catalogue's `partner.updated` kind through `agri_platform.events.services.record`, in transactions
of `--batch`, once per path and run:

- `two inserts`: the event row, then its partner routes (the path on databases other than
  PostgreSQL);
- `one statement`: both in one `WITH … INSERT` statement (`EVENTS_PREPARED_INSERT=false`);
- `prepared`: the same statement prepared on the server (`EVENTS_DEFERRED_INSERT=false`, the
  path outside a transaction);
- `deferred`: the rows left in the connection's buffer and written together before its next
  statement or its commit, one statement per transaction here (the default).

Prints the load average before and after, every run, and per path the median and spread of
events/s. `benchmarks/celery_throughput.py` measures the same with the dispatcher running beside it.
"""

import argparse
import os
import statistics
import time

from _setup import django_on_postgres


def two_inserts(connection, event, partner_ids):
    from agri_platform.events.models import Event

    event.save(force_insert=True)
    Event.partners.through.objects.bulk_create(
        [Event.partners.through(event_id=event.pk, partner_id=pk) for pk in partner_ids]
    )


def one_run(partners, events: int, batch: int) -> float:
    from django.db import transaction

    from agri_platform.events import services

    started = time.perf_counter()
    for offset in range(0, events, batch):
        with transaction.atomic():
            for i in range(offset, min(offset + batch, events)):
                partner = partners[i % len(partners)]
                services.record(
                    "partner.updated",
                    payload={"partner": partner.pk, "fields": [f"field {i}"]},
                    subject=partner,
                    partners=[partner],
                )
    return events / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=50, help="events per transaction")
    args = parser.parse_args()
    load_before = os.getloadavg()
    django_on_postgres()
    from django.conf import settings

    from agri_platform.accounts.models import Partner
    from agri_platform.events import outbox

    partners = [
        Partner.objects.get_or_create(name=f"Recording bench {i}", defaults={"kind": "bank"})[0]
        for i in range(3)
    ]
    one_statement = outbox._insert_in_one_statement
    paths = {  # (the immediate insert, prepared, deferred)
        "two inserts": (two_inserts, False, False),
        "one statement": (one_statement, False, False),
        "prepared": (one_statement, True, False),
        "deferred": (one_statement, True, True),
    }

    def use(path):
        (
            outbox._insert_in_one_statement,
            settings.EVENTS_PREPARED_INSERT,
            settings.EVENTS_DEFERRED_INSERT,
        ) = paths[path]

    for path in paths:  # warm-up: imports, caches, the prepared statement
        use(path)
        one_run(partners, 200, args.batch)
    figures = {path: [] for path in paths}
    for run in range(1, args.runs + 1):
        for path in paths:
            use(path)
            figures[path].append(one_run(partners, args.events, args.batch))
        print(f"run {run}  " + "  ".join(f"{p} {f[-1]:6.0f}/s" for p, f in figures.items()))
    load_after = os.getloadavg()
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    for path, values in figures.items():
        print(
            f"{path:<14} median {statistics.median(values):6.0f} events/s"
            f"  (min {min(values):.0f} – max {max(values):.0f})"
        )


if __name__ == "__main__":
    main()
