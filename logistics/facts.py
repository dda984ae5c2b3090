"""Shipments → analytics facts (docs/analytics.md, "Feeding the facts").

`shipment_fact_input` maps one shipment to the plain `ShipmentFactInput` analytics expects;
`fact_refresh` writes (or, for a shipment that no longer exists, deletes) its fact; `queue_refresh`
is what the services call: it queues the `reports.shipment_fact_refresh` task after the commit.
"""

from collections import defaultdict
from decimal import Decimal

from agri_platform.queue import queue_after_commit
from analytics import services as analytics
from analytics.services import ShipmentFactInput, ShipmentLineInput

from .models import Shipment

# ISO 4217 "no currency": a mixed-currency shipment whose FX rates are not all known yet.
MIXED_UNCONVERTED = "XXX"


def shipment_fact_input(shipment: Shipment) -> ShipmentFactInput:
    """The fact of `shipment`, from its items (value, currency, kg, product category), destination
    location's country, carrier, lane (origin-destination UN/LOCODEs) and telemetry summary.

    A shipment counts as departed on its dispatch date (UTC). Items in several currencies are summed
    in CNY at the departure month's analytics FX rates; while one of those rates is missing the fact
    is in "XXX" and counts as unconverted (the nightly reconciliation converts it once it can)."""
    items = list(shipment.items.all())
    departed_on = shipment.dispatched_at.date() if shipment.dispatched_at else None
    currencies = {item.currency_id for item in items}
    if len(currencies) <= 1:
        currency = next(iter(currencies), analytics.BASE_CURRENCY)

        def value_of(item):
            return item.declared_value
    else:
        month = analytics.month_of(departed_on) if departed_on else None
        rates = {code: analytics.rate_for(code, month) for code in currencies}
        if all(rate is not None for rate in rates.values()):
            currency = analytics.BASE_CURRENCY

            def value_of(item):
                return analytics.convert(item.declared_value, rates[item.currency_id])
        else:  # not convertible yet: "XXX" (no currency) makes it an unconverted fact, never a 0
            currency = MIXED_UNCONVERTED

            def value_of(item):
                return item.declared_value

    per_category: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for item in items:
        per_category[item.product.category][0] += value_of(item)
        per_category[item.product.category][1] += item.net_kg
    summary = getattr(shipment, "summary", None)
    return ShipmentFactInput(
        shipment_id=shipment.pk,
        reference=shipment.reference,
        enterprise_id=shipment.enterprise_id,
        destination_code=shipment.destination.country_id,
        currency=currency,
        status=shipment.status,
        departed_on=departed_on,
        lines=[
            ShipmentLineInput(category=category, declared_value=value, net_kg=kg)
            for category, (value, kg) in sorted(per_category.items())
        ],
        carrier_id=shipment.carrier_id,
        route=f"{shipment.origin_id}-{shipment.destination_id}",
        transport_mode=shipment.transport_mode,
        excursion_count=summary.excursion_count if summary else 0,
        excursion_minutes=round(summary.excursion_minutes) if summary else 0,
    )


def _shipments():
    return Shipment.objects.select_related("destination", "summary").prefetch_related(
        "items__product"
    )


def fact_refresh(*, shipment_id: int) -> bool:
    """Write the fact of one shipment (delete it when the shipment is gone). Idempotent."""
    shipment = _shipments().filter(pk=shipment_id).first()
    if shipment is None or not shipment.items.all():
        return analytics.delete_shipment_fact(shipment_id=shipment_id)
    analytics.upsert_shipment_fact(data=shipment_fact_input(shipment))
    return True


def facts_refresh_all(shipments=None) -> int:
    """Refresh the facts of `shipments` (a queryset; default every shipment): demo seeding, nightly
    reconciliation. Returns how many facts were written."""
    shipments = Shipment.objects.all() if shipments is None else shipments
    done = 0
    for shipment_id in shipments.order_by("pk").values_list("pk", flat=True).iterator():
        done += fact_refresh(shipment_id=shipment_id)
    return done


def queue_refresh(shipment_id: int) -> None:
    queue_after_commit("reports.shipment_fact_refresh", shipment_id, once=True)
