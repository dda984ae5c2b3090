"""Shared set-up for the benchmark scripts: a dedicated PostgreSQL database, migrated."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/agri_logi_bench"


def django_on_postgres() -> str:
    url = os.environ.setdefault("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    # As in production, the request only queues the event fan-out (in-memory broker, no worker):
    # the benchmark measures ingestion, not webhook delivery.
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agri_platform.settings")
    sys.path.insert(0, str(ROOT))
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def world(tag: str):
    """An enterprise, a carrier with a key, and a factory of fresh shipments."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from agri_platform.accounts.models import Partner
    from agri_platform.accounts.services import api_key_create
    from agri_platform.reference.models import Country, Currency, HSCode, Location, Prefecture
    from enterprises.models import Enterprise, Product
    from logistics.models import Shipment, ShipmentItem, TelemetrySummary

    Country.objects.get_or_create(code="CN", defaults={"name_en": "China"})
    Country.objects.get_or_create(code="MY", defaults={"name_en": "Malaysia"})
    Location.objects.get_or_create(code="CNCTU", defaults={"name": "Chengdu", "country_id": "CN"})
    Location.objects.get_or_create(
        code="MYKUL", defaults={"name": "Kuala Lumpur", "country_id": "MY"}
    )
    Currency.objects.get_or_create(code="USD", defaults={"name": "US dollar"})
    prefecture, _ = Prefecture.objects.get_or_create(
        code="510100", defaults={"name_en": "Chengdu", "name_zh": "成都市"}
    )
    hs, _ = HSCode.objects.get_or_create(code="080521", defaults={"description_en": "Mandarins"})
    enterprise, _ = Enterprise.objects.get_or_create(
        uscc="91510100MA6CBENCH1"[:18],
        defaults={
            "name_zh": "基准企业",
            "name_en": "Bench Exporter",
            "prefecture": prefecture,
            "status": "verified",
        },
    )
    product, _ = Product.objects.get_or_create(
        enterprise=enterprise,
        name_zh="爱媛",
        defaults={
            "name_en": "Ai Yuan",
            "category": "fruits",
            "hs_code": hs,
            "temp_min_c": 4,
            "temp_max_c": 8,
        },
    )
    carrier, _ = Partner.objects.get_or_create(name="Bench Carrier", defaults={"kind": "carrier"})
    _, key = api_key_create(
        partner=carrier, name=f"bench {tag}", scopes=["telemetry:write", "logistics:write"]
    )
    counter = {"n": Shipment.objects.count()}

    def new_shipment():
        counter["n"] += 1
        now = timezone.now()
        shipment = Shipment.objects.create(
            enterprise=enterprise,
            reference=f"BENCH-{tag}-{now:%H%M%S}-{counter['n']}",
            consignee_name="Bench consignee",
            consignee_country_id="MY",
            origin_id="CNCTU",
            destination_id="MYKUL",
            transport_mode="reefer_truck",
            incoterm="CIF",
            carrier=carrier,
            planned_departure=now - timedelta(days=400),
            planned_arrival=now,
            temp_min_c=Decimal("4.0"),
            temp_max_c=Decimal("8.0"),
        )
        ShipmentItem.objects.create(
            shipment=shipment,
            product=product,
            net_kg=1000,
            packages=10,
            declared_value=1000,
            currency_id="USD",
        )
        TelemetrySummary.objects.create(shipment=shipment)
        return shipment

    return new_shipment, key


def readings(count: int, *, sensors: int = 4, step_s: int = 30, seed: int = 1):
    """Realistic rows: several sensors, mostly in the 4-8 °C band, a few breaches."""
    import math
    import random
    from datetime import UTC, datetime, timedelta

    rnd = random.Random(seed)
    start = datetime(2025, 6, 1, tzinfo=UTC)
    rows = []
    per_sensor = count // sensors
    for s in range(sensors):
        for i in range(per_sensor):
            temp = 6 + 1.5 * math.sin(i / 300) + rnd.gauss(0, 0.3)
            if i % 5000 < 60:  # a 30-minute breach every ~42 hours of data
                temp += 4
            rows.append(
                {
                    "sensor_id": f"RF-{s:02d}",
                    "time": (start + timedelta(seconds=step_s * i)).isoformat(),
                    "temp_c": round(temp, 2),
                    "humidity": round(85 + rnd.uniform(-5, 5), 1),
                }
            )
    return rows
