"""Tenant-scoped reads: enterprises see their shipments, a carrier the shipments assigned to it."""

from django.db.models import Prefetch

from agri_platform.api.tenancy import scope_queryset

from .models import (
    SensorReading,
    Shipment,
    ShipmentDocument,
    ShipmentItem,
    TemperatureExcursion,
    TrackingEvent,
)


def shipments_for(user):
    return scope_queryset(
        Shipment.objects.select_related(
            "enterprise",
            "consignee_country",
            "origin",
            "destination",
            "carrier",
            "summary",
        ).prefetch_related(
            Prefetch(
                "items",
                queryset=ShipmentItem.objects.select_related("product", "currency"),
            )
        ),
        user,
        partner_field="carrier",
    )


def shipment_for(user, pk) -> Shipment | None:
    try:
        return shipments_for(user).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def documents_for(user):
    """Documents are the enterprise's (and staff's): partners never see them."""
    return scope_queryset(
        ShipmentDocument.objects.select_related("shipment"),
        user,
        enterprise_field="shipment__enterprise",
        partner_field=None,
    )


def tracking_events_for(user):
    return scope_queryset(
        TrackingEvent.objects.select_related("location", "shipment"),
        user,
        enterprise_field="shipment__enterprise",
        partner_field="shipment__carrier",
    )


def excursions_for(user):
    return scope_queryset(
        TemperatureExcursion.objects.select_related("shipment", "acknowledged_by"),
        user,
        enterprise_field="shipment__enterprise",
        partner_field="shipment__carrier",
    )


def readings_for(user):
    return scope_queryset(
        SensorReading.objects.all(),
        user,
        enterprise_field="shipment__enterprise",
        partner_field="shipment__carrier",
    )


def shipment_by_token(token: str) -> Shipment | None:
    if not token or len(token) > 64:
        return None
    return (
        Shipment.objects.select_related("origin", "destination", "carrier", "summary")
        .filter(tracking_token=token)
        .first()
    )
