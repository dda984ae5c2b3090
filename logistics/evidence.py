"""The "shipment" evidence resolver for finance (finance/evidence.py), registered in apps.py.

A financing request may link one of the requesting enterprise's own shipments; the summary below is
snapshotted and shown to the routed partners. Another enterprise's shipment reads exactly like a
missing one.
"""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from agri_platform.api.errors import NotFound

from . import selectors
from .models import Shipment


def _decimal(value) -> str | None:
    return None if value is None else str(value)


def resolve_shipment(enterprise, object_id: str) -> dict:
    if not object_id.isdigit():
        raise NotFound(_("No such shipment."))
    shipment = (
        Shipment.objects.select_related("destination", "origin", "carrier", "summary")
        .prefetch_related("items__product")
        .filter(enterprise=enterprise, pk=int(object_id))
        .first()
    )
    if shipment is None:
        raise NotFound(_("No such shipment."))
    totals: dict[str, Decimal] = defaultdict(Decimal)
    net_kg = Decimal(0)
    for item in shipment.items.all():
        totals[item.currency_id] += item.declared_value
        net_kg += item.net_kg
    summary = selectors.summary_dict(shipment, getattr(shipment, "summary", None))
    return {
        "shipment_id": shipment.pk,
        "reference": shipment.reference,
        "status": shipment.status,
        "origin": shipment.origin_id,
        "destination": shipment.destination_id,
        "destination_country": shipment.destination.country_id,
        "route": shipment.route,
        "transport_mode": shipment.transport_mode,
        "carrier": shipment.carrier.name,
        "planned_departure": shipment.planned_departure.isoformat(),
        "dispatched_at": shipment.dispatched_at.isoformat() if shipment.dispatched_at else None,
        "delivered_at": shipment.delivered_at.isoformat() if shipment.delivered_at else None,
        "items_total": {
            "declared_value": [
                {"currency": code, "amount": str(amount)} for code, amount in sorted(totals.items())
            ],
            "net_kg": str(net_kg),
            "items": len(shipment.items.all()),
        },
        "cold_chain": {
            "band_c": [_decimal(shipment.temp_min_c), _decimal(shipment.temp_max_c)],
            "reading_count": summary["reading_count"],
            "temp_min_c": summary["temp_min_c"],
            "temp_max_c": summary["temp_max_c"],
            "temp_mean_c": summary["temp_mean_c"],
            "mean_kinetic_temperature_c": summary["mean_kinetic_temperature_c"],
            "time_in_band_pct": summary["time_in_band_pct"],
            "excursion_count": summary["excursion_count"],
            "excursion_minutes": summary["excursion_minutes"],
            "first_reading_at": _iso(summary["first_reading_at"]),
            "last_reading_at": _iso(summary["last_reading_at"]),
        },
    }


def _iso(value):
    return value.isoformat() if value is not None else None


def shipments_now(enterprise_id: int, ids: list[int]) -> list[Shipment]:
    """The enterprise's shipments `ids` with their cold-chain record as it stands now (the
    summary) and their excursions: what a bank's desk shows of a financing request's evidence."""
    shipments = (
        Shipment.objects.select_related("origin", "destination", "carrier", "summary")
        .prefetch_related("excursions")
        .filter(enterprise_id=enterprise_id, pk__in=ids)
        .order_by("planned_departure", "pk")
    )
    for shipment in shipments:
        shipment.record = selectors.summary_dict(shipment, getattr(shipment, "summary", None))
    return list(shipments)
