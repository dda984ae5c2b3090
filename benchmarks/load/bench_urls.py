"""The project's URLs plus two plain Django views of `GET /api/v1/shipments/` (issue 18):

- `/bench/plain-shipments/`: the same JSON body as the DRF list's first page (the same rows from
  the same selector and prefetches, every field and nested object, `allowed_actions`, the telemetry
  summary and the tracking token from the project's own functions, values hidden from carriers),
  built as plain dicts and sent with `JsonResponse`. The ratio of the two latencies is what the
  framework layer costs: content negotiation, permission and scope checks, throttling, filtering,
  cursor pagination and serializers. tests/logistics/test_plain_list.py proves the bodies equal.
- `/bench/plain-shipments-thin/`: the same rows as `.values()` tuples without nested objects (half
  the body), for information only.

Only the Bearer token is understood (the benchmark's caller); `next` is a plain `?before=<id>`
link when there is a further page, `previous` is left out (the first page has none).
"""

from datetime import UTC

from django.http import JsonResponse
from django.urls import path

from agri_platform.api import audience
from agri_platform.api.authentication import BearerTokenAuthentication
from agri_platform.urls import urlpatterns as project_urlpatterns
from logistics import selectors, tracking
from logistics.models import Shipment
from logistics.services.shipments import SHIPMENT_WORKFLOW

PAGE_SIZE = 50
JSON_OPTIONS = {"ensure_ascii": False, "separators": (",", ":")}  # as DRF's JSONRenderer

THIN_FIELDS = [
    "id",
    "enterprise_id",
    "reference",
    "status",
    "consignee_name",
    "consignee_country_id",
    "origin_id",
    "destination_id",
    "transport_mode",
    "route",
    "incoterm",
    "carrier_id",
    "planned_departure",
    "planned_arrival",
    "temp_min_c",
    "temp_max_c",
    "tracking_token",
    "created_at",
]


def iso(moment):
    """A datetime as the API writes it: iso-8601 in UTC, written `Z` (the middleware's display
    zone is for pages)."""
    if moment is None:
        return None
    text = moment.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def text_or_none(value):
    return None if value is None else str(value)


def float_or_none(value):
    return None if value is None else float(value)


def item_dict(item) -> dict:
    return {
        "id": item.id,
        "product": item.product_id,
        "product_name": str(item.product),
        "net_kg": str(item.net_kg),
        "packages": item.packages,
        "declared_value": str(item.declared_value),
        "currency": item.currency_id,
    }


def summary_of(shipment) -> dict:
    try:
        summary = shipment.summary
    except Shipment.summary.RelatedObjectDoesNotExist:
        summary = None
    values = selectors.summary_dict(shipment, summary)
    return {
        "reading_count": values["reading_count"],
        "temp_min_c": float_or_none(values["temp_min_c"]),
        "temp_max_c": float_or_none(values["temp_max_c"]),
        "temp_mean_c": float_or_none(values["temp_mean_c"]),
        "mean_kinetic_temperature_c": float_or_none(values["mean_kinetic_temperature_c"]),
        "time_in_band_pct": float_or_none(values["time_in_band_pct"]),
        "excursion_count": values["excursion_count"],
        "excursion_minutes": float(values["excursion_minutes"]),
        "first_reading_at": iso(values["first_reading_at"]),
        "last_reading_at": iso(values["last_reading_at"]),
        "last_temp_c": float_or_none(values["last_temp_c"]),
    }


def carrier_dict(carrier) -> dict | None:
    if carrier is None:
        return None
    return {"id": carrier.id, "name": carrier.name, "name_zh": carrier.name_zh}


def shipment_dict(shipment, request) -> dict:
    return {
        "id": shipment.id,
        "enterprise": shipment.enterprise_id,
        "reference": shipment.reference,
        "status": shipment.status,
        "allowed_actions": SHIPMENT_WORKFLOW.actions_for(shipment, context={"request": request}),
        "consignee_name": shipment.consignee_name,
        "consignee_country": shipment.consignee_country_id,
        "origin": shipment.origin_id,
        "destination": shipment.destination_id,
        "transport_mode": shipment.transport_mode,
        "route": shipment.route,
        "incoterm": shipment.incoterm,
        "carrier": carrier_dict(shipment.carrier),
        "planned_departure": iso(shipment.planned_departure),
        "planned_arrival": iso(shipment.planned_arrival),
        "loaded_at": iso(shipment.loaded_at),
        "temp_min_c": text_or_none(shipment.temp_min_c),
        "temp_max_c": text_or_none(shipment.temp_max_c),
        "excursion_delay_minutes": shipment.excursion_delay_minutes,
        "excursion_mode": shipment.excursion_mode,
        "ignore_minutes_after_loading": shipment.ignore_minutes_after_loading,
        "items": [item_dict(item) for item in shipment.items.all()],
        "telemetry_summary": summary_of(shipment),
        "tracking_token": tracking.token_shown_to(request.user, shipment),
        "created_at": iso(shipment.created_at),
        "dispatched_at": iso(shipment.dispatched_at),
        "delivered_at": iso(shipment.delivered_at),
        "cancelled_at": iso(shipment.cancelled_at),
        "cancel_reason": shipment.cancel_reason,
    }


def authenticated(request) -> bool:
    """Sets `request.user` and `request.auth` from the Bearer token, as DRF's request would."""
    result = BearerTokenAuthentication().authenticate(request)
    if result is None:
        return False
    request.user, request.auth = result
    return True


def plain_shipments(request):
    if not authenticated(request):
        return JsonResponse({"detail": "Authentication required"}, status=401)
    rows = list(selectors.shipment_rows_for(request.user).order_by("-id")[: PAGE_SIZE + 1])
    page = rows[:PAGE_SIZE]
    more = len(rows) > PAGE_SIZE
    body = {
        "next": request.build_absolute_uri(f"?before={page[-1].id}") if more else None,
        "previous": None,
        "results": [shipment_dict(shipment, request) for shipment in page],
    }
    return JsonResponse(audience.for_user(request.user, body), json_dumps_params=JSON_OPTIONS)


def plain_shipments_thin(request):
    if not authenticated(request):
        return JsonResponse({"detail": "Authentication required"}, status=401)
    rows = list(
        selectors.shipments_for(request.user).order_by("-id").values(*THIN_FIELDS)[:PAGE_SIZE]
    )
    return JsonResponse({"results": rows}, json_dumps_params={"default": str})


urlpatterns = [
    path("bench/plain-shipments/", plain_shipments),
    path("bench/plain-shipments-thin/", plain_shipments_thin),
    *project_urlpatterns,
]
