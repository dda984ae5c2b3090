"""A shipment's history as a GS1 EPCIS 2.0 JSON-LD EPCISDocument.

Each tracking event becomes an ObjectEvent (action OBSERVE) with the CBV 2.0 business step and
disposition of its milestone, a read point (UN/LOCODE URN or a geo: URI) and, when readings exist
since the previous event, a sensorElementList with the minimum, maximum and mean temperature
(`gs1:Temperature`, uom CEL) over that interval.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Avg, Count, Max, Min
from django.utils import timezone

from .choices import Milestone
from .models import SensorReading, Shipment

CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
CBV = "https://ref.gs1.org/cbv/"

# milestone → (CBV business step, CBV disposition)
CBV_STEPS = {
    Milestone.PICKED_UP: ("loading", "in_progress"),
    Milestone.DEPARTED: ("departing", "in_transit"),
    Milestone.ARRIVED_AT_BORDER: ("arriving", "in_transit"),
    Milestone.CUSTOMS_SUBMITTED: ("inspecting", "in_progress"),
    Milestone.CUSTOMS_CLEARED: ("accepting", "in_transit"),
    Milestone.ARRIVED: ("arriving", "in_transit"),
    Milestone.DELIVERED: ("receiving", "in_progress"),
    Milestone.EXCEPTION: ("inspecting", "non_sellable_other"),
}


def shipment_uri(shipment: Shipment) -> str:
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return f"{base}/id/shipment/{shipment.enterprise_id}/{shipment.reference}"


def _offset(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _read_point(event) -> dict | None:
    if event.location_id:
        return {"id": f"urn:unece:unlocode:{event.location_id}"}
    if event.latitude is not None and event.longitude is not None:
        return {"id": f"geo:{event.latitude:.5f},{event.longitude:.5f}"}
    return None


def _sensor_element(shipment: Shipment, start, end) -> dict | None:
    readings = SensorReading.objects.filter(shipment=shipment, time__lte=end)
    if start is not None:
        readings = readings.filter(time__gt=start)
    figures = readings.aggregate(
        n=Count("temp_c"), lo=Min("temp_c"), hi=Max("temp_c"), mean=Avg("temp_c")
    )
    if not figures["n"]:
        return None
    first = readings.aggregate(t=Min("time"))["t"]
    return {
        "sensorMetadata": {"startTime": first.isoformat(), "endTime": end.isoformat()},
        "sensorReport": [
            {
                "type": "gs1:Temperature",
                "uom": "CEL",
                "minValue": round(figures["lo"], 3),
                "maxValue": round(figures["hi"], 3),
                "meanValue": round(figures["mean"], 3),
            }
        ],
    }


def epcis_document(shipment: Shipment) -> dict:
    subject = shipment_uri(shipment)
    event_list = []
    previous = None
    for event in shipment.events.order_by("occurred_at", "id"):
        step, disposition = CBV_STEPS[event.milestone]
        local_time = event.occurred_at + timedelta(minutes=event.utc_offset_minutes)
        entry = {
            "type": "ObjectEvent",
            "eventID": f"{settings.PUBLIC_BASE_URL.rstrip('/')}/id/tracking-event/{event.pk}",
            "eventTime": local_time.replace(tzinfo=None).isoformat(timespec="seconds")
            + _offset(event.utc_offset_minutes),
            "eventTimeZoneOffset": _offset(event.utc_offset_minutes),
            "epcList": [subject],
            "action": "OBSERVE",
            "bizStep": CBV + "BizStep-" + step,
            "disposition": CBV + "Disp-" + disposition,
        }
        read_point = _read_point(event)
        if read_point:
            entry["readPoint"] = read_point
        sensor = _sensor_element(shipment, previous, event.occurred_at)
        if sensor:
            entry["sensorElementList"] = [sensor]
        if event.note:
            entry["agri:note"] = event.note
        event_list.append(entry)
        previous = event.occurred_at
    return {
        "@context": [CONTEXT, {"agri": settings.PUBLIC_BASE_URL.rstrip("/") + "/ns/"}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": timezone.now().isoformat(timespec="seconds"),
        "epcisBody": {"eventList": event_list},
    }
