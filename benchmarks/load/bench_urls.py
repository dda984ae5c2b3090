"""The project's URLs plus `/bench/plain-shipments/`: the same rows as `GET /api/v1/shipments/`
(the caller's shipments, newest first, one page of 50, same fields apart from nested objects)
served by a plain Django view. The ratio of the two latencies is what the framework costs:
DRF's content negotiation, permission and scope checks, throttling, filtering, cursor pagination and
serializers."""

from django.http import JsonResponse
from django.urls import path

from agri_platform.api.authentication import BearerTokenAuthentication
from agri_platform.urls import urlpatterns as project_urlpatterns
from logistics.selectors import shipments_for

FIELDS = [
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


def plain_shipments(request):
    result = BearerTokenAuthentication().authenticate(request)  # reads only the header
    if result is None:
        return JsonResponse({"detail": "Authentication required"}, status=401)
    user = result[0]
    rows = list(shipments_for(user).order_by("-id").values(*FIELDS)[:50])
    return JsonResponse({"results": rows}, json_dumps_params={"default": str})


urlpatterns = [path("bench/plain-shipments/", plain_shipments), *project_urlpatterns]
