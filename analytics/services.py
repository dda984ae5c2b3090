"""Writes into the analytics tables. Logistics and certification call the `upsert_*` functions with
plain values (the dataclasses below) whenever a shipment, application or certificate changes; staff
change FX rates and targets in the admin, which calls `fx_rate_set` / `fx_rate_delete`.

Every function is idempotent (calling it twice with the same input changes nothing the second time)
and invalidates the cached dashboard figures.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum

from agri_platform.api.errors import ValidationFailed
from agri_platform.reference.choices import ExportCategory
from agri_platform.reference.models import Country, Prefecture
from enterprises.models import Enterprise

from . import cache, cube
from .choices import NON_EXPORT_SHIPMENT_STATUSES
from .models import (
    CertificateFact,
    CertificationFact,
    ExportRollup,
    FxRate,
    ShipmentFact,
    ShipmentFactLine,
)

BASE_CURRENCY = "CNY"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ShipmentLineInput:
    """One product category of a shipment: its declared value (in the shipment's currency) and
    net weight. Several products of one category may be summed by the caller or passed as separate
    lines (they are merged)."""

    category: str
    declared_value: Decimal
    net_kg: Decimal


@dataclass(frozen=True)
class ShipmentFactInput:
    shipment_id: int
    enterprise_id: int
    destination_code: str  # ISO 3166-1 alpha-2 of the destination country
    currency: str  # ISO 4217 of the declared values
    status: str
    lines: Sequence[ShipmentLineInput]
    departed_on: date | None = None  # None until the shipment leaves
    prefecture_code: str | None = None  # default: the enterprise's prefecture
    carrier_id: int | None = None  # accounts.Partner id
    route: str = ""  # e.g. "CNCTU-MYPKG"
    transport_mode: str = ""  # e.g. "road", "rail", "air", "sea"
    excursion_count: int = 0
    excursion_minutes: int = 0
    reference: str = ""  # the shipment's human-readable number


@dataclass(frozen=True)
class CertificationFactInput:
    application_id: int
    enterprise_id: int
    scheme_code: str
    status: str
    submitted_at: datetime | None = None
    decided_at: datetime | None = None  # approval or rejection time
    sla_days: int = 30  # review-time promise, counted from submission
    prefecture_code: str | None = None


@dataclass(frozen=True)
class CertificateFactInput:
    certificate_id: int
    enterprise_id: int
    scheme_code: str
    status: str
    in_force: bool  # valid now: not suspended, revoked or expired
    valid_until: date | None = None
    application_id: int | None = None
    number: str = ""


def month_of(day: date) -> date:
    return day.replace(day=1)


def rate_for(currency: str, month: date | None) -> Decimal | None:
    if currency == BASE_CURRENCY:
        return Decimal(1)
    if month is None:
        return None
    return (
        FxRate.objects.filter(currency=currency, month=month)
        .values_list("rate_to_cny", flat=True)
        .first()
    )


def convert(amount: Decimal, rate: Decimal | None) -> Decimal | None:
    if rate is None:
        return None
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def _enterprise(enterprise_id: int) -> Enterprise:
    enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
    if enterprise is None:
        raise ValidationFailed("No such enterprise.", field="enterprise_id")
    return enterprise


def _prefecture_id(code: str | None, enterprise: Enterprise) -> str:
    if code is None:
        return enterprise.prefecture_id
    if not Prefecture.objects.filter(pk=code).exists():
        raise ValidationFailed("No such prefecture.", field="prefecture_code")
    return code


def _merged_lines(lines: Sequence[ShipmentLineInput]) -> dict[str, tuple[Decimal, Decimal]]:
    if not lines:
        raise ValidationFailed("A shipment fact needs at least one line.", field="lines")
    merged: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for index, line in enumerate(lines):
        if line.category not in ExportCategory.values:
            raise ValidationFailed(
                f"Unknown category '{line.category}'.", field=f"lines[{index}].category"
            )
        value, kg = Decimal(line.declared_value), Decimal(line.net_kg)
        if value < 0 or kg < 0:
            raise ValidationFailed("Value and weight cannot be negative.", field=f"lines[{index}]")
        merged[line.category][0] += value
        merged[line.category][1] += kg
    return {category: (v.quantize(CENT), kg) for category, (v, kg) in merged.items()}


@transaction.atomic
def upsert_shipment_fact(*, data: ShipmentFactInput) -> ShipmentFact:
    """Create or replace the facts of one shipment; value_cny is converted with the FX table."""
    enterprise = _enterprise(data.enterprise_id)
    prefecture_id = _prefecture_id(data.prefecture_code, enterprise)
    destination = data.destination_code.upper()
    if not Country.objects.filter(pk=destination).exists():
        raise ValidationFailed("No such country.", field="destination_code")
    currency = data.currency.upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ValidationFailed("An ISO 4217 code: three letters.", field="currency")
    if data.excursion_count < 0 or data.excursion_minutes < 0:
        raise ValidationFailed("Excursions cannot be negative.", field="excursion_count")
    lines = _merged_lines(data.lines)

    month = month_of(data.departed_on) if data.departed_on else None
    is_export = data.departed_on is not None and data.status not in NON_EXPORT_SHIPMENT_STATUSES
    rate = rate_for(currency, month)
    converted = {category: convert(value, rate) for category, (value, _) in lines.items()}
    fx_missing = month is not None and rate is None
    values = {
        "reference": data.reference,
        "enterprise_id": enterprise.pk,
        "prefecture_id": prefecture_id,
        "destination_id": destination,
        "carrier_id": data.carrier_id,
        "route": data.route,
        "transport_mode": data.transport_mode,
        "status": data.status,
        "departed_on": data.departed_on,
        "month": month,
        "is_export": is_export,
        "currency": currency,
        "declared_value": sum((v for v, _ in lines.values()), Decimal(0)),
        "value_cny": None if rate is None else sum(converted.values(), Decimal(0)),
        "fx_missing": fx_missing,
        "net_kg": sum((kg for _, kg in lines.values()), Decimal(0)),
        "excursion_count": data.excursion_count,
        "excursion_minutes": data.excursion_minutes,
    }
    fact = ShipmentFact.objects.select_for_update().filter(shipment_id=data.shipment_id).first()
    slices = {(month, enterprise.pk)}
    quality_before = cube.quality_contributions(fact)
    if fact is not None:
        slices.add((fact.month, fact.enterprise_id))
    if fact is None:
        fact = ShipmentFact.objects.create(shipment_id=data.shipment_id, **values)
    else:
        for name, value in values.items():
            setattr(fact, name, value)
        fact.save()
        fact.lines.all().delete()
    ShipmentFactLine.objects.bulk_create(
        ShipmentFactLine(
            fact=fact,
            shipment_id=data.shipment_id,
            category=category,
            enterprise_id=enterprise.pk,
            prefecture_id=prefecture_id,
            destination_id=destination,
            departed_on=data.departed_on,
            month=month,
            is_export=is_export,
            currency=currency,
            declared_value=value,
            value_cny=converted[category],
            net_kg=kg,
            is_primary=index == 0,
        )
        for index, (category, (value, kg)) in enumerate(sorted(lines.items()))
    )
    quality = cube.difference(after=cube.quality_contributions(fact), before=quality_before)
    refresh_rollup(slices, quality=quality)
    cache.invalidate()
    return fact


@transaction.atomic
def delete_shipment_fact(*, shipment_id: int) -> bool:
    fact = ShipmentFact.objects.select_for_update().filter(shipment_id=shipment_id).first()
    if fact is None:
        return False
    quality = cube.difference(after={}, before=cube.quality_contributions(fact))
    fact.delete()
    refresh_rollup({(fact.month, fact.enterprise_id)}, quality=quality)
    cache.invalidate()
    return True


@transaction.atomic
def refresh_rollup(
    slices: Iterable[tuple[date | None, int]], *, quality: dict | None = None
) -> None:
    """Rebuild the ExportRollup rows of each (month, enterprise) slice from the fact lines, and
    bring the cube and presence tables in step (see `cube`); `quality` is the cold-chain delta of
    the shipment fact that changed, if any.

    The enterprises' rows are locked first (in id order), so two writers of the same slice run one
    after the other and the second one sums what the first committed.
    """
    by_month: dict[date, set[int]] = defaultdict(set)
    for month, enterprise_id in slices:
        if month is not None:
            by_month[month].add(enterprise_id)
    if not by_month:
        return
    ids = sorted(set().union(*by_month.values()))
    list(Enterprise.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    before, after = [], []
    for month, enterprise_ids in sorted(by_month.items()):
        old = ExportRollup.objects.filter(month=month, enterprise_id__in=enterprise_ids)
        before += list(old)
        old.delete()
        after += _insert_rollup(month=month, enterprise_ids=enterprise_ids)
    sums = cube.difference(
        after=cube.rollup_contributions(after), before=cube.rollup_contributions(before)
    )
    cube.apply_delta(cube.merged(sums, quality or {}))
    cube.refresh_presence(
        (enterprise_id, month.year)
        for month, enterprise_ids in by_month.items()
        for enterprise_id in enterprise_ids
    )


def _insert_rollup(*, month: date, enterprise_ids: Iterable[int] | None) -> list[ExportRollup]:
    lines = ShipmentFactLine.objects.filter(is_export=True, month=month)
    if enterprise_ids is not None:
        lines = lines.filter(enterprise_id__in=list(enterprise_ids))
    missing = Q(value_cny__isnull=True)
    rows = (
        lines.values("enterprise_id", "prefecture_id", "destination_id", "category")
        .annotate(
            value=Sum("value_cny"),
            kg=Sum("net_kg"),
            n=Count("id"),
            heads=Count("id", filter=Q(is_primary=True)),
            missing=Count("id", filter=missing),
            missing_heads=Count("id", filter=missing & Q(is_primary=True)),
        )
        .order_by()
    )
    created = ExportRollup.objects.bulk_create(
        (
            ExportRollup(
                month=month,
                enterprise_id=row["enterprise_id"],
                prefecture_id=row["prefecture_id"],
                destination_id=row["destination_id"],
                category=row["category"],
                value_cny=row["value"] or Decimal(0),
                net_kg=row["kg"],
                shipments=row["n"],
                shipment_heads=row["heads"],
                unconverted=row["missing"],
                unconverted_heads=row["missing_heads"],
            )
            for row in rows
        ),
        batch_size=5000,
    )
    return created


@transaction.atomic
def rebuild_rollup() -> int:
    """Rebuild the whole rollup, the cube and the presence masks from the lines and facts (after
    a bulk load); returns the rollup rows written."""
    ExportRollup.objects.all().delete()
    months = ShipmentFactLine.objects.filter(is_export=True, month__isnull=False)
    written = sum(
        len(_insert_rollup(month=month, enterprise_ids=None))
        for month in months.values_list("month", flat=True).distinct().order_by("month")
    )
    cube.rebuild()
    cache.invalidate()
    return written


@transaction.atomic
def upsert_certification_fact(*, data: CertificationFactInput) -> CertificationFact:
    enterprise = _enterprise(data.enterprise_id)
    if data.sla_days < 0:
        raise ValidationFailed("The SLA cannot be negative.", field="sla_days")
    if data.decided_at and data.submitted_at and data.decided_at < data.submitted_at:
        raise ValidationFailed("Decided before submitted.", field="decided_at")
    review_days = None
    if data.decided_at and data.submitted_at:
        seconds = Decimal((data.decided_at - data.submitted_at).total_seconds())
        review_days = (seconds / Decimal(86400)).quantize(CENT, rounding=ROUND_HALF_UP)
    sla_due_at = data.submitted_at + timedelta(days=data.sla_days) if data.submitted_at else None
    fact, _ = CertificationFact.objects.update_or_create(
        application_id=data.application_id,
        defaults={
            "enterprise_id": enterprise.pk,
            "prefecture_id": _prefecture_id(data.prefecture_code, enterprise),
            "scheme_code": data.scheme_code,
            "status": data.status,
            "submitted_at": data.submitted_at,
            "decided_at": data.decided_at,
            "review_days": review_days,
            "sla_days": data.sla_days,
            "sla_due_at": sla_due_at,
            "sla_breached": bool(data.decided_at and sla_due_at and data.decided_at > sla_due_at),
        },
    )
    cache.invalidate()
    return fact


@transaction.atomic
def upsert_certificate_fact(*, data: CertificateFactInput) -> CertificateFact:
    enterprise = _enterprise(data.enterprise_id)
    fact, _ = CertificateFact.objects.update_or_create(
        certificate_id=data.certificate_id,
        defaults={
            "enterprise_id": enterprise.pk,
            "application_id": data.application_id,
            "number": data.number,
            "scheme_code": data.scheme_code,
            "status": data.status,
            "in_force": data.in_force,
            "valid_until": data.valid_until,
        },
    )
    cache.invalidate()
    return fact


@transaction.atomic
def reconvert(*, currency: str, month: date) -> int:
    """Recompute value_cny of every fact in (currency, month) from the FX table; returns how many
    shipments changed. Without a rate the facts become unconverted (value_cny NULL, fx_missing)."""
    rate = rate_for(currency, month)
    lines = list(
        ShipmentFactLine.objects.filter(currency=currency, month=month).only(
            "id", "fact_id", "declared_value", "value_cny"
        )
    )
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        line.value_cny = convert(line.declared_value, rate)
        if rate is not None:
            totals[line.fact_id] += line.value_cny
    ShipmentFactLine.objects.bulk_update(lines, ["value_cny"], batch_size=2000)
    facts = list(
        ShipmentFact.objects.filter(currency=currency, month=month).only("id", "enterprise_id")
    )
    for fact in facts:
        fact.value_cny = totals.get(fact.pk) if rate is not None else None
        fact.fx_missing = rate is None
    ShipmentFact.objects.bulk_update(facts, ["value_cny", "fx_missing"], batch_size=2000)
    refresh_rollup({(month, enterprise_id) for enterprise_id in {f.enterprise_id for f in facts}})
    cache.invalidate()
    return len(facts)


@transaction.atomic
def fx_rate_set(
    *, currency: str, month: date, rate_to_cny: Decimal, source: str = ""
) -> tuple[FxRate, int]:
    """Create or change the rate of (currency, month) and re-convert that month's facts."""
    currency = currency.upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ValidationFailed("An ISO 4217 code: three letters.", field="currency")
    if currency == BASE_CURRENCY:
        raise ValidationFailed("CNY converts at 1 and needs no rate.", field="currency")
    if Decimal(rate_to_cny) <= 0:
        raise ValidationFailed("A rate must be above zero.", field="rate_to_cny")
    month = month_of(month)
    rate = FxRate.objects.select_for_update().filter(currency=currency, month=month).first()
    if rate is None:
        rate = FxRate(currency=currency, month=month)
    elif rate.rate_to_cny == Decimal(rate_to_cny) and rate.source == source:
        return rate, 0
    rate.rate_to_cny = Decimal(rate_to_cny)
    rate.source = source
    rate.save()
    return rate, reconvert(currency=currency, month=month)


@transaction.atomic
def fx_rate_delete(*, rate: FxRate) -> int:
    currency, month = rate.currency, rate.month
    rate.delete()
    return reconvert(currency=currency, month=month)
