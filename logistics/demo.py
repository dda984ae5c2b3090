"""Demo shipments from the source article, with realistic tracking events and sensor traces.

Needs the demo enterprises and products (enterprises/demo.py): each case is skipped with a log line
when its enterprise or product is absent. Idempotent: a shipment whose reference exists is left
alone. About 2,800 readings in all, so `make run` stays fast.

The shipments are written straight into their state (status, dispatch time, tracking events) rather
than booked and dispatched through the services: they stand for trips that already happened, so the
dispatch-time readiness check (certification.readiness) is not replayed and they need no shipment
documents. (Runzhao's CITES permit and ISO 22000 certificate are seeded by certification/demo.py
anyway.) The seed ends by writing the analytics facts of the demo shipments, so the dashboard shows
them whatever the Celery mode; analytics/demo.py (FX rates) runs earlier in INSTALLED_APPS order.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from agri_platform.accounts.choices import PartnerKind
from agri_platform.accounts.models import Partner
from agri_platform.reference.models import Country, Currency, Location
from enterprises.models import Enterprise

from . import facts
from .choices import MILESTONE_STATUS, EventSource
from .models import Shipment, ShipmentItem, TelemetrySummary, TrackingEvent
from .services.telemetry import telemetry_ingest

COUNTRIES = {
    "CN": ("China", "中国", []),
    "MY": ("Malaysia", "马来西亚", ["ASEAN", "RCEP"]),
    "VN": ("Viet Nam", "越南", ["ASEAN", "RCEP"]),
    "SN": ("Senegal", "塞内加尔", []),
    "LA": ("Lao PDR", "老挝", ["ASEAN", "RCEP"]),
    "TH": ("Thailand", "泰国", ["ASEAN", "RCEP"]),
}
LOCATIONS = {
    "CNCTU": ("Chengdu", 30.67, 104.06),
    "CNMHN": ("Mohan", 21.18, 101.69),
    "LAVTE": ("Vientiane", 17.97, 102.61),
    "THBKK": ("Bangkok", 13.75, 100.50),
    "MYKUL": ("Kuala Lumpur", 3.14, 101.69),
    "VNSGN": ("Ho Chi Minh City", 10.82, 106.63),
    "CNQZH": ("Qinzhou", 21.95, 108.62),
    "SNDKR": ("Dakar", 14.69, -17.44),
}
CURRENCIES = {"USD": 2, "MYR": 2, "XOF": 0, "CNY": 2, "THB": 2, "VND": 0}
CARRIER = ("Shudao Cold Chain Logistics", "蜀道冷链物流")


@dataclass
class Case:
    match: str
    keywords: tuple[str, ...]
    reference: str
    consignee: str
    country: str
    origin: str
    destination: str
    mode: str
    route: str
    incoterm: str
    net_kg: Decimal
    packages: int
    value: Decimal
    currency: str
    default_band: tuple[float, float]
    depart_days_ago: float
    trip_hours: float
    step_minutes: int
    milestones: list = field(default_factory=list)  # (milestone, fraction of trip, LOCODE, note)
    excursion_at: float | None = None  # fraction of the trip where a short breach happens
    seed: int = 1


CASES = [
    Case(
        match="Baiyang",
        keywords=("mandarin", "citrus", "ai yuan", "dekopon"),
        reference="BY-MY-2026-001",
        consignee="Pasar Borong Selayang fruit wholesaler",
        country="MY",
        origin="CNCTU",
        destination="MYKUL",
        mode="reefer_truck",
        route="Chengdu - Mohan/Boten - Vientiane - Bangkok - Kuala Lumpur (Kunming-Bangkok Expressway)",
        incoterm="CIF",
        net_kg=Decimal("18000"),
        packages=1800,
        value=Decimal("54000.00"),
        currency="USD",
        default_band=(4.0, 8.0),
        depart_days_ago=4,
        trip_hours=5 * 24,
        step_minutes=5,
        milestones=[
            ("picked_up", 0.0, "CNCTU", "Loaded at the Baiyang Village sorting centre"),
            ("departed", 0.01, "CNCTU", ""),
            ("arrived_at_border", 0.3, "CNMHN", "Queue at Mohan port"),
            ("customs_submitted", 0.31, "CNMHN", ""),
            ("customs_cleared", 0.36, "CNMHN", "Released via the ASEAN green lane"),
        ],
        excursion_at=0.305,
        seed=11,
    ),
    Case(
        match="Runzhao",
        keywords=("caviar",),
        reference="RZ-VN-2026-014",
        consignee="Saigon Gourmet Imports JSC",
        country="VN",
        origin="CNCTU",
        destination="VNSGN",
        mode="air",
        route="CTU - SGN direct freighter",
        incoterm="CIP",
        net_kg=Decimal("120"),
        packages=12,
        value=Decimal("96000.00"),
        currency="USD",
        default_band=(-2.0, 2.0),
        depart_days_ago=10,
        trip_hours=14,
        step_minutes=2,
        milestones=[
            ("picked_up", 0.0, "CNCTU", "Tianquan cold-water fish park"),
            ("departed", 0.3, "CNCTU", ""),
            ("arrived", 0.6, "VNSGN", ""),
            ("customs_submitted", 0.65, "VNSGN", "CITES permit presented"),
            ("customs_cleared", 0.8, "VNSGN", ""),
            ("delivered", 1.0, "VNSGN", "Received cold by the consignee"),
        ],
        seed=12,
    ),
    Case(
        match="Chengben",
        keywords=("rabbit",),
        reference="CB-SN-2026-001",
        consignee="Dakar Food Distribution SARL",
        country="SN",
        origin="CNCTU",
        destination="SNDKR",
        mode="multimodal",
        route="Zigong - Qinzhou by rail, Qinzhou - Dakar by sea (reefer container)",
        incoterm="CFR",
        net_kg=Decimal("9000"),
        packages=900,
        value=Decimal("40500.00"),
        currency="USD",
        default_band=(0.0, 4.0),
        depart_days_ago=20,
        trip_hours=40 * 24,
        step_minutes=30,
        milestones=[
            ("picked_up", 0.0, "CNCTU", "Zigong plant"),
            ("departed", 0.02, "CNCTU", ""),
            ("arrived", 0.06, "CNQZH", "Rail leg done; container on board"),
            ("departed", 0.08, "CNQZH", "Sailed from Qinzhou"),
        ],
        seed=13,
    ),
    Case(
        match="Zizhong",
        keywords=("orange",),
        reference="ZZ-TH-2026-003",
        consignee="Talaad Thai Fruit Market Co., Ltd.",
        country="TH",
        origin="CNCTU",
        destination="THBKK",
        mode="rail",
        route="China-Laos Railway: Chengdu - Kunming - Mohan - Vientiane, then truck to Bangkok",
        incoterm="FCA",
        net_kg=Decimal("24000"),
        packages=2400,
        value=Decimal("31200.00"),
        currency="USD",
        default_band=(3.0, 8.0),
        depart_days_ago=2,
        trip_hours=3 * 24,
        step_minutes=10,
        milestones=[
            ("picked_up", 0.0, "CNCTU", "Zizhong packhouse"),
            ("departed", 0.02, "CNCTU", "Reefer container on the China-Laos Railway"),
            ("arrived_at_border", 0.5, "CNMHN", ""),
        ],
        seed=14,
    ),
]


def _reference_data():
    for code, (name, name_zh, groups) in COUNTRIES.items():
        Country.objects.get_or_create(
            code=code, defaults={"name_en": name, "name_zh": name_zh, "groups": groups}
        )
    for code, (name, lat, lon) in LOCATIONS.items():
        Location.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_ascii": name,
                "country_id": code[:2],
                "latitude": Decimal(str(lat)),
                "longitude": Decimal(str(lon)),
            },
        )
    for code, minor in CURRENCIES.items():
        Currency.objects.get_or_create(code=code, defaults={"name": code, "minor_units": minor})
    carrier, _ = Partner.objects.get_or_create(
        name=CARRIER[0], defaults={"name_zh": CARRIER[1], "kind": PartnerKind.CARRIER}
    )
    return carrier


def _product(enterprise, keywords):
    products = list(enterprise.products.order_by("id"))
    for product in products:
        text = f"{product.name_en} {product.variety}".lower()
        if any(word in text for word in keywords):
            return product
    return products[0] if products else None


def _trace(case, low, high, start, end):
    rnd = random.Random(case.seed)  # repeatable demo traces  # nosec B311
    mid, half = (low + high) / 2, (high - low) / 2
    readings, time, i = [], start, 0
    span = (end - start).total_seconds() or 1
    while time <= end:
        fraction = (time - start).total_seconds() / span
        temp = mid + half * 0.35 * math.sin(i / 40) + rnd.gauss(0, half * 0.08)
        temp = min(max(temp, low + 0.1), high - 0.1)
        if case.excursion_at is not None and 0 <= fraction - case.excursion_at < 0.0042:
            temp = high + 1.3 + rnd.uniform(0, 0.4)  # about 30 minutes over, at the border queue
        readings.append(
            {
                "sensor_id": "RF-01",
                "time": time.isoformat(),
                "temp_c": round(temp, 2),
                "humidity": round(88 + rnd.uniform(-3, 3), 1),
            }
        )
        time += timedelta(minutes=case.step_minutes)
        i += 1
    return readings


def _seed_case(case: Case, carrier, log) -> None:
    enterprise = Enterprise.objects.filter(name_en__icontains=case.match).first()
    if enterprise is None:
        log(f"logistics: no enterprise matching '{case.match}'; skipped {case.reference}")
        return
    if Shipment.objects.filter(enterprise=enterprise, reference=case.reference).exists():
        return
    product = _product(enterprise, case.keywords)
    if product is None:
        log(f"logistics: {enterprise} has no product; skipped {case.reference}")
        return
    low = float(product.temp_min_c) if product.temp_min_c is not None else case.default_band[0]
    high = float(product.temp_max_c) if product.temp_max_c is not None else case.default_band[1]
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    departure = now - timedelta(days=case.depart_days_ago)
    arrival = departure + timedelta(hours=case.trip_hours)
    shipment = Shipment.objects.create(
        enterprise=enterprise,
        reference=case.reference,
        consignee_name=case.consignee,
        consignee_country_id=case.country,
        origin_id=case.origin,
        destination_id=case.destination,
        transport_mode=case.mode,
        route=case.route,
        incoterm=case.incoterm,
        carrier=carrier,
        planned_departure=departure,
        planned_arrival=arrival,
        loaded_at=departure,
        ignore_minutes_after_loading=20,
        temp_min_c=Decimal(str(low)),
        temp_max_c=Decimal(str(high)),
        dispatched_at=departure,
        status_changed_at=departure,
    )
    ShipmentItem.objects.create(
        shipment=shipment,
        product=product,
        net_kg=case.net_kg,
        packages=case.packages,
        declared_value=case.value,
        currency_id=case.currency,
    )
    TelemetrySummary.objects.create(shipment=shipment)
    status = "in_transit"
    for milestone, fraction, locode, note in case.milestones:
        at = departure + timedelta(hours=case.trip_hours * fraction)
        TrackingEvent.objects.create(
            shipment=shipment,
            milestone=milestone,
            occurred_at=at,
            utc_offset_minutes=480,
            location_id=locode,
            note=note,
            source=EventSource.CARRIER,
            event_id=f"demo-{case.reference}-{milestone}-{fraction}",
        )
        status = MILESTONE_STATUS.get(milestone) or status
    shipment.status = status
    if status == "delivered":
        shipment.delivered_at = arrival
    shipment.save(update_fields=["status", "delivered_at"])
    last = min(arrival, now)
    readings = _trace(case, low, high, departure, last)
    for start in range(0, len(readings), 5000):
        telemetry_ingest(actor=None, shipment=shipment, readings=readings[start : start + 5000])
    log(f"logistics: {case.reference} ({enterprise}) with {len(readings)} readings")


def seed(log) -> None:
    carrier = _reference_data()
    for case in CASES:
        _seed_case(case, carrier, log)
    written = facts.facts_refresh_all(
        Shipment.objects.filter(reference__in=[case.reference for case in CASES])
    )
    log(f"logistics: analytics facts of {written} demo shipments refreshed")
