"""Benchmark of the province dashboard at 100,000 shipments and 1,000 enterprises (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/agri_ana_bench \
    REDIS_URL=redis://127.0.0.1:6379/14 \
    .venv/bin/python benchmarks/analytics.py [--shipments 100000] [--enterprises 1000] \
        [--regenerate] [--explain]

Creates the database if it is missing, migrates it, loads the facts with COPY (once; reused on the
next run unless --regenerate), prints the cost of one fact write and of the cache refill task, then
times the API answers (`analytics/overview/` and `analytics/exports/?group_by=…`, through the whole
DRF stack) cold (cache cleared before each call) and warm (cached), for staff and for an enterprise
user, as a Markdown table for docs/benchmarks.md. `--explain` first prints PostgreSQL's own
execution time (EXPLAIN ANALYZE) of every query of a few cold calls. The cache is Redis when
REDIS_URL is set (its whole db is cleared: use your own db number), otherwise the in-process cache.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agri_platform.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/agri_ana_bench")

CATEGORIES = [
    ("aquatic_products", 14),
    ("beverages", 10),
    ("fruits", 22),
    ("vegetables", 12),
    ("livestock_products", 9),
    ("tea", 10),
    ("spices", 9),
    ("grains_and_oils", 8),
    ("other", 6),
]
PREFECTURES = [
    ("510100", "Chengdu"), ("510300", "Zigong"), ("510400", "Panzhihua"), ("510500", "Luzhou"),
    ("510600", "Deyang"), ("510700", "Mianyang"), ("510800", "Guangyuan"), ("510900", "Suining"),
    ("511000", "Neijiang"), ("511100", "Leshan"), ("511300", "Nanchong"), ("511400", "Meishan"),
    ("511500", "Yibin"), ("511600", "Guang'an"), ("511700", "Dazhou"), ("511800", "Ya'an"),
    ("511900", "Bazhong"), ("512000", "Ziyang"), ("513200", "Aba"), ("513300", "Garze"),
    ("513400", "Liangshan"),
]  # fmt: skip
ASEAN = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"]
EU = ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
      "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"]  # fmt: skip
OTHERS = {
    "US": [], "MX": [], "CA": [], "JP": ["RCEP"], "KR": ["RCEP"], "AU": ["RCEP"], "NZ": ["RCEP"],
    "KZ": ["SCO"], "UZ": ["SCO"], "RU": ["SCO"], "AE": ["GCC"], "SA": ["GCC"], "QA": ["GCC"],
    "SN": ["ECOWAS"], "UG": [], "KE": [], "GB": [], "HK": [], "MO": [], "PK": ["SCO"],
}  # fmt: skip
CURRENCY_OF = {"MY": "MYR", "TH": "THB", "SG": "SGD", "VN": "VND", "ID": "IDR", "PH": "PHP",
               "KZ": "KZT", "SN": "XOF", "UG": "UGX", "KE": "KES"}  # fmt: skip
FX = {
    "USD": Decimal("7.18"),
    "EUR": Decimal("7.95"),
    "MYR": Decimal("1.62"),
    "THB": Decimal("0.21"),
    "SGD": Decimal("5.45"),
    "VND": Decimal("0.000278"),
    "IDR": Decimal("0.00044"),
    "PHP": Decimal("0.125"),
    "KZT": Decimal("0.014"),
    "XOF": Decimal("0.01212"),
    "UGX": Decimal("0.00195"),
}  # fmt: skip  (KES: no rate on purpose)


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def generate(shipments: int, enterprises: int) -> None:
    from django.db import connection, transaction

    from agri_platform.accounts.models import Partner
    from agri_platform.reference.models import Country, Prefecture
    from analytics.models import (
        CertificateFact,
        CertificationFact,
        FxRate,
        ShipmentFact,
        ShipmentFactLine,
    )
    from analytics.services import rebuild_rollup
    from enterprises import uscc
    from enterprises.models import Enterprise

    rng = random.Random(20260315)
    started = time.perf_counter()
    with transaction.atomic():
        ShipmentFactLine.objects.all().delete()
        ShipmentFact.objects.all().delete()
        CertificationFact.objects.all().delete()
        CertificateFact.objects.all().delete()
        FxRate.objects.all().delete()
        Enterprise.objects.filter(name_en__startswith="Bench ").delete()
        for code, name in PREFECTURES:
            Prefecture.objects.get_or_create(code=code, defaults={"name_en": name, "name_zh": name})
        countries = {c: ["ASEAN", "RCEP"] for c in ASEAN} | {c: ["EU"] for c in EU} | OTHERS
        for code, groups in countries.items():
            Country.objects.update_or_create(
                code=code, defaults={"name_en": code, "groups": groups}
            )
        carriers = [
            Partner.objects.get_or_create(name=f"Bench carrier {i}", defaults={"kind": "carrier"})[
                0
            ]
            for i in range(20)
        ]
        body = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        rows = []
        for i in range(enterprises):
            prefecture = PREFECTURES[min(int(rng.expovariate(0.25)), 20)][0]
            first17 = "91" + prefecture + "".join(rng.choices(body, k=9))
            rows.append(
                Enterprise(
                    uscc=uscc.make(first17),
                    name_zh=f"基准企业{i}",
                    name_en=f"Bench enterprise {i}",
                    prefecture_id=prefecture,
                    status="verified" if i % 10 else "pending",
                )
            )
        ents = Enterprise.objects.bulk_create(rows, batch_size=2000)
        ent_prefecture = {e.pk: e.prefecture_id for e in ents}
        weights = [1 / (rank + 1) ** 0.8 for rank in range(len(ents))]  # a few big exporters

        today = date.today()
        first_month = add_months(today.replace(day=1), -24)
        months = [add_months(first_month, i) for i in range(25)]
        rates = {}
        for currency, level in FX.items():
            for index, month in enumerate(months):
                rate = (level * Decimal(1 + 0.01 * ((index % 7) - 3))).quantize(Decimal("1e-8"))
                rates[(currency, month)] = rate
        FxRate.objects.bulk_create(
            FxRate(currency=c, month=m, rate_to_cny=r) for (c, m), r in rates.items()
        )

        destinations = list(countries)
        dest_weights = [
            6 if c in ASEAN else 2 if c in ("US", "JP", "KR", "HK") else 1 for c in destinations
        ]
        cats = [name for name, _ in CATEGORIES]
        now = datetime.now(UTC)
        cent = Decimal("0.01")
        raw = connection.cursor().cursor
        line_id = 0
        chosen = rng.choices(ents, weights=weights, k=shipments)
        # An exporter has a few products and a few markets (the article's cases: one to five).
        profile = {
            e.pk: (
                rng.sample(cats, k=rng.randint(1, 3)),
                rng.choices(destinations, weights=dest_weights, k=rng.randint(1, 5)),
            )
            for e in ents
        }
        with raw.copy(
            "COPY analytics_shipmentfact (id, shipment_id, reference, enterprise_id, prefecture_id,"
            " destination_id, carrier_id, route, transport_mode, status, departed_on, month,"
            " is_export, currency, declared_value, value_cny, fx_missing, net_kg, excursion_count,"
            " excursion_minutes, updated_at) FROM STDIN"
        ) as copy:
            lines = []
            for sid in range(1, shipments + 1):
                enterprise = chosen[sid - 1]
                own_categories, own_markets = profile[enterprise.pk]
                destination = rng.choice(own_markets)
                currency = CURRENCY_OF.get(destination) or ("EUR" if destination in EU else "USD")
                if rng.random() < 0.15:
                    currency = "CNY"
                departed = first_month + timedelta(
                    days=rng.randrange((today - first_month).days + 1)
                )
                status = "cancelled" if rng.random() < 0.02 else "delivered"
                month = departed.replace(day=1)
                rate = Decimal(1) if currency == "CNY" else rates.get((currency, month))
                n_lines = 2 if rng.random() < 0.3 else 1
                fact_value, fact_cny, fact_kg = Decimal(0), Decimal(0), Decimal(0)
                picked = sorted(set(rng.choices(own_categories, k=n_lines)))
                for index, category in enumerate(picked):
                    cny_value = Decimal(rng.randrange(20_000, 400_000))
                    value = (cny_value / (rate or Decimal("0.0078"))).quantize(cent)
                    cny = None if rate is None else (value * rate).quantize(cent, ROUND_HALF_UP)
                    kg = Decimal(rng.randrange(200, 22_000))
                    line_id += 1
                    lines.append(
                        (line_id, sid, sid, category, enterprise.pk, ent_prefecture[enterprise.pk],
                         destination, departed, month, status != "cancelled", currency, value, cny, kg,
                         index == 0)
                    )  # fmt: skip
                    fact_value += value
                    fact_kg += kg
                    fact_cny = None if cny is None or fact_cny is None else fact_cny + cny
                excursions = 0 if rng.random() < 0.85 else rng.randint(1, 3)
                copy.write_row(
                    (sid, sid, f"SH{sid:07d}", enterprise.pk, ent_prefecture[enterprise.pk],
                     destination, rng.choice(carriers).pk, f"CNCTU-{destination}{sid % 3}",
                     rng.choice(["road", "rail", "sea", "air"]), status, departed, month,
                     status != "cancelled", currency, fact_value, fact_cny, fact_cny is None,
                     fact_kg, excursions, excursions * rng.randint(10, 180), now)
                )  # fmt: skip
        with raw.copy(
            "COPY analytics_shipmentfactline (id, fact_id, shipment_id, category, enterprise_id,"
            " prefecture_id, destination_id, departed_on, month, is_export, currency,"
            " declared_value, value_cny, net_kg, is_primary) FROM STDIN"
        ) as copy:
            for line in lines:
                copy.write_row(line)
        for table in ("analytics_shipmentfact", "analytics_shipmentfactline"):
            raw.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        apps, certs = [], []
        for i in range(5000):
            enterprise = rng.choice(ents)
            submitted = now - timedelta(days=rng.randrange(1, 700), hours=rng.randrange(24))
            decided = submitted + timedelta(days=rng.uniform(2, 60)) if rng.random() < 0.8 else None
            if decided and decided > now:
                decided = None
            review = (
                None
                if decided is None
                else Decimal((decided - submitted).total_seconds() / 86400).quantize(cent)
            )
            apps.append(
                CertificationFact(
                    application_id=i + 1, enterprise=enterprise, prefecture_id=enterprise.prefecture_id,
                    scheme_code=rng.choice(["ISO9001", "HACCP", "GLOBALGAP", "HALAL_JAKIM", "ORGANIC_CN"]),
                    status=("approved" if rng.random() < 0.85 else "rejected") if decided else "in_review",
                    submitted_at=submitted, decided_at=decided, review_days=review, sla_days=30,
                    sla_due_at=submitted + timedelta(days=30),
                    sla_breached=bool(decided and decided > submitted + timedelta(days=30)),
                )
            )  # fmt: skip
            if decided and rng.random() < 0.8:
                certs.append(
                    CertificateFact(
                        certificate_id=i + 1, application_id=i + 1, enterprise=enterprise,
                        scheme_code=apps[-1].scheme_code, status="valid", in_force=True,
                        valid_until=decided.date() + timedelta(days=rng.choice([365, 730, 1095])),
                    )
                )  # fmt: skip
        CertificationFact.objects.bulk_create(apps, batch_size=5000)
        CertificateFact.objects.bulk_create(certs, batch_size=5000)
        rollup_rows = rebuild_rollup()
    analyze()
    print(
        f"generated {shipments} shipments ({len(lines)} lines, {rollup_rows} rollup rows), "
        f"{len(ents)} enterprises, "
        f"{len(apps)} applications, {len(certs)} certificates in {time.perf_counter() - started:.1f} s"
    )


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")


TABLES = [
    "analytics_shipmentfact",
    "analytics_shipmentfactline",
    "analytics_certificationfact",
    "analytics_exportrollup",
    "analytics_exportcube",
    "analytics_exportpresence",
]


def explain(calls: dict) -> None:
    """PostgreSQL execution time (EXPLAIN ANALYZE) of every query of each cold call, slowest
    first: less sensitive to the machine's load than wall-clock time through the stack."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name, call in calls.items():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            call()
        timings = []
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
                plan = cursor.fetchone()[0]
                plan = plan[0] if isinstance(plan, list) else plan
                rows = plan["Plan"].get("Actual Rows", 0)
                timings.append((plan["Execution Time"], rows, " ".join(sql.split())[:90]))
        timings.sort(reverse=True)
        total = sum(t for t, _, _ in timings)
        print(f"\n{name}: {len(captured.captured_queries)} queries, {total:.1f} ms in PostgreSQL")
        for ms, rows, sql in timings[:6]:
            print(f"  {ms:7.2f} ms  {rows:6d} rows  {sql}")


def write_cost(count: int) -> tuple[float, float]:
    """Median ms of one `upsert_shipment_fact` (fact, lines, rollup slice, cube delta, presence)
    on the loaded data: each of `count` facts is rewritten with a changed value, then restored."""
    from analytics import services
    from analytics.models import ShipmentFact

    facts = ShipmentFact.objects.filter(is_export=True).order_by("?")[:count]
    samples = []
    for fact in facts.prefetch_related("lines"):

        def data(factor: Decimal, fact=fact) -> services.ShipmentFactInput:
            return services.ShipmentFactInput(
                shipment_id=fact.shipment_id, enterprise_id=fact.enterprise_id,
                destination_code=fact.destination_id, currency=fact.currency, status=fact.status,
                departed_on=fact.departed_on, prefecture_code=fact.prefecture_id,
                carrier_id=fact.carrier_id, route=fact.route, transport_mode=fact.transport_mode,
                excursion_count=fact.excursion_count, excursion_minutes=fact.excursion_minutes,
                lines=[
                    services.ShipmentLineInput(
                        line.category, (line.declared_value * factor).quantize(Decimal("0.01")),
                        line.net_kg,
                    )
                    for line in fact.lines.all()
                ],
            )  # fmt: skip

        for factor in (Decimal("1.01"), Decimal(1)):
            started = time.perf_counter()
            services.upsert_shipment_fact(data=data(factor))
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), max(samples)


def timed(call, runs: int, *, cold: bool) -> tuple[float, float]:
    from django.core.cache import cache

    samples = []
    for _ in range(runs):
        if cold:
            cache.clear()
        started = time.perf_counter()
        response = call()
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:300]
    return statistics.median(samples), max(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shipments", type=int, default=100_000)
    parser.add_argument("--enterprises", type=int, default=1_000)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the cold calls")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL must point at PostgreSQL")
    ensure_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from rest_framework.test import APIClient

    from agri_platform.accounts.models import Membership, User
    from analytics import cube
    from analytics.models import ExportCube, ShipmentFact
    from analytics.selectors.overview import warm_defaults
    from enterprises.models import Enterprise

    call_command("migrate", verbosity=0)
    if args.regenerate or ShipmentFact.objects.count() != args.shipments:
        generate(args.shipments, args.enterprises)
    elif not ExportCube.objects.exists():
        cube.rebuild()
        analyze()
    staff, _ = User.objects.get_or_create(
        email="bench-staff@example.com", defaults={"staff_role": "platform_admin", "is_staff": True}
    )
    member, _ = User.objects.get_or_create(email="bench-member@example.com")
    biggest = Enterprise.objects.filter(name_en="Bench enterprise 0").first()
    Membership.objects.get_or_create(user=member, enterprise=biggest, defaults={"role": "owner"})
    settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = []

    clients = {}
    for name, user in (("staff", staff), ("enterprise", member)):
        client = APIClient()
        client.force_authenticate(user)
        clients[name] = client
    cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[1]
    print(f"\n{ShipmentFact.objects.count()} shipments, cache {cache_backend}, runs {args.runs}")
    print(f"load average before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    if args.explain:
        explain(
            {
                f"{caller} {path}{params.get('group_by', '')}": (
                    lambda c=client, p=path, q=params: c.get(f"/api/v1/analytics/{p}", q)
                )
                for caller, client in clients.items()
                for path, params in [("overview/", {}), ("exports/", {"group_by": "region"})]
            }
        )
    from django.core.cache import cache

    refill = []
    for _ in range(3):
        cache.clear()
        started = time.perf_counter()
        warm_defaults()
        refill.append((time.perf_counter() - started) * 1000)
    write_median, write_max = write_cost(50)
    print(f"\none fact upsert (writer side, incl. rollup slice, cube delta, presence): median "
          f"{write_median:.1f} ms, max {write_max:.1f} ms")  # fmt: skip
    print(f"refill task (reports.analytics_warm) from an empty cache: median "
          f"{statistics.median(refill):.0f} ms, max {max(refill):.0f} ms\n")  # fmt: skip
    print("| request | caller | cold median ms | cold max ms | warm median ms |")
    print("| --- | --- | ---: | ---: | ---: |")
    requests = [("overview/", {})] + [
        ("exports/", {"group_by": g})
        for g in ["category", "destination", "region", "prefecture", "month", "enterprise"]
    ]
    requests.append(("exports/", {"group_by": "category", "format": "xlsx"}))
    for caller, client in clients.items():
        for path, params in requests:

            def call(path=path, params=params, client=client):
                return client.get(f"/api/v1/analytics/{path}", params)

            call()  # the process's first request of this kind (imports, URL resolution): not timed
            cold_median, cold_max = timed(call, args.runs, cold=True)
            call()  # fill the cache
            warm_median, _ = timed(call, args.runs * 4, cold=False)
            query = "&".join(f"{k}={v}" for k, v in params.items())
            label = f"{path}{'?' + query if query else ''}"
            print(
                f"| `{label}` | {caller} | {cold_median:.0f} | {cold_max:.0f} | {warm_median:.1f} |"
            )
    print(f"\nload average after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")


if __name__ == "__main__":
    main()
