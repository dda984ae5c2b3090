"""Locust traffic for the load test (run through benchmarks/load/run.py, which sets BENCH_CONFIG).

Partner traffic (a carrier's system): telemetry batches, tracking events, shipment reads and public
certificate verification. Enterprise traffic (an exporter's portal): shipment list and detail,
certification applications, financing requests, the caller's profile. `ShipmentListCompare` is
the framework-cost comparison: the DRF shipment list against a plain Django view of the same rows.
Every user sends at a constant rate (constant_throughput), so the offered load is fixed, and starts
at a random point of its period (`_random_phase`): users spawned together would otherwise send in
step, a burst of every user's request at the top of each second, and measure how the server drains
bursts instead of what rate it sustains.
"""

import itertools
import json
import os
import random
import uuid
from datetime import UTC, datetime, timedelta

import gevent
from locust import HttpUser, constant_throughput, tag, task

CONFIG = json.loads(open(os.environ["BENCH_CONFIG"]).read())  # noqa: SIM115
RATE = float(os.environ.get("BENCH_USER_RATE", "1"))  # requests per second per user
_clock = itertools.count()


def _random_phase() -> None:
    gevent.sleep(random.uniform(0, 1 / RATE))


class PartnerSystem(HttpUser):
    weight = 3
    wait_time = constant_throughput(RATE)

    def on_start(self):
        self.client.headers["Authorization"] = CONFIG["partner"]
        _random_phase()
        self.sensor = f"LOAD-{uuid.uuid4().hex[:8]}"
        self.start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=next(_clock))
        self.minute = 0

    def _shipment(self) -> int:
        return random.choice(CONFIG["shipments"])

    @tag("mix")
    @task(4)
    def telemetry_batch(self):
        readings = []
        for _ in range(60):  # an hour of one-minute readings
            self.minute += 1
            readings.append(
                {
                    "sensor_id": self.sensor,
                    "time": (self.start + timedelta(minutes=self.minute)).isoformat(),
                    "temp_c": round(random.gauss(6.0, 0.8), 2),
                }
            )
        self.client.post(
            f"/api/v1/shipments/{self._shipment()}/telemetry/",
            json={"readings": readings},
            headers={"Idempotency-Key": str(uuid.uuid4())},
            name="POST /shipments/{id}/telemetry/ (60 readings)",
        )

    @tag("mix")
    @task(2)
    def tracking_event(self):
        self.client.post(
            f"/api/v1/shipments/{self._shipment()}/events/",
            json={
                "milestone": "departed",
                "occurred_at": datetime.now(UTC).isoformat(),
                "event_id": uuid.uuid4().hex,
                "note": "load test",
            },
            headers={"Idempotency-Key": str(uuid.uuid4())},
            name="POST /shipments/{id}/events/",
        )

    @tag("mix")
    @task(3)
    def shipment_read(self):
        self.client.get(
            f"/api/v1/shipments/{self._shipment()}/", name="GET /shipments/{id}/ (carrier)"
        )

    @tag("mix")
    @task(2)
    def verify_certificate(self):
        number = random.choice(CONFIG["certificates"])
        self.client.get(
            f"/api/v1/certification/certificates/verify/{number}/",
            headers={"Authorization": ""},
            name="GET /certification/certificates/verify/{number}/ (public)",
        )


class EnterprisePortal(HttpUser):
    weight = 1
    wait_time = constant_throughput(RATE)

    def on_start(self):
        self.client.headers["Authorization"] = CONFIG["enterprise"]
        _random_phase()

    @tag("mix")
    @task(3)
    def shipment_list(self):
        self.client.get("/api/v1/shipments/?page_size=50", name="GET /shipments/ (enterprise)")

    @tag("mix")
    @task(2)
    def shipment_detail(self):
        self.client.get(
            f"/api/v1/shipments/{random.choice(CONFIG['shipments'])}/",
            name="GET /shipments/{id}/ (enterprise)",
        )

    @tag("mix")
    @task(1)
    def applications(self):
        self.client.get(
            "/api/v1/certification/applications/", name="GET /certification/applications/"
        )

    @tag("mix")
    @task(1)
    def financing(self):
        self.client.get("/api/v1/finance/requests/", name="GET /finance/requests/")

    @tag("mix")
    @task(1)
    def me(self):
        self.client.get("/api/v1/me/", name="GET /me/")


class ShipmentListCompare(HttpUser):
    """Same rows, two stacks: run alone (`--tags compare`) for the framework-cost ratio."""

    weight = 1  # run.py names the classes of each phase, so the mix never includes this one
    wait_time = constant_throughput(RATE)

    def on_start(self):
        self.client.headers["Authorization"] = CONFIG["enterprise"]

    @tag("compare")
    @task
    def drf_list(self):
        self.client.get("/api/v1/shipments/?page_size=50", name="DRF GET /api/v1/shipments/")

    @tag("compare")
    @task
    def plain_list(self):
        self.client.get("/bench/plain-shipments/", name="plain Django /bench/plain-shipments/")
