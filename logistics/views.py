from django.http import Http404
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiRequest,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from agri_platform.api.documents import DocumentDownloadMixin, DocumentUploadMixin
from agri_platform.api.errors import NotFound, PermissionDenied, ValidationFailed
from agri_platform.api.filtering import as_utc
from agri_platform.api.pagination import CursorPagination
from agri_platform.api.tenancy import acting_enterprise, enterprise_ids_of
from agri_platform.api.throttling import PublicLookupThrottle
from agri_platform.api.views import ApiView, ApiViewSet, mixins
from agri_platform.portal.public import lookup_allowed, too_many_lookups
from agri_platform.portal.zone import zone_is_the_viewers, zone_label

from . import api_examples, epcis, selectors, telemetry, tracking
from .filters import ShipmentFilter
from .models import SensorReading
from .pages.shipment import last_reading_in_band
from .parsers import CSVParser, CSVText, FastJSONParser
from .serializers import (
    AcknowledgeSerializer,
    BucketsSerializer,
    CancelSerializer,
    ExcursionSerializer,
    IngestResultSerializer,
    ReadingBatchSerializer,
    ReadingPageSerializer,
    ReadingSerializer,
    ShipmentDocumentInputSerializer,
    ShipmentDocumentSerializer,
    ShipmentDraftSerializer,
    ShipmentInputSerializer,
    ShipmentSerializer,
    TrackingEventInputSerializer,
    TrackingEventSerializer,
    TrackingTokenSerializer,
)
from .services.drafts import shipment_draft_discard
from .services.excursions import excursion_acknowledge
from .services.shipments import (
    document_add,
    role_on,
    shipment_cancel,
    shipment_create,
    shipment_dispatch,
    shipment_tracking_token_rotate,
    tracking_event_create,
)
from .services.telemetry import telemetry_ingest


class ShipmentCursorPagination(CursorPagination):
    ordering = "-id"


@extend_schema_view(
    list=extend_schema(
        summary="List shipments",
        description=(
            "Shipments of the caller's enterprises, or those a carrier partner carries (platform "
            "staff: all), newest first, cursor-paginated. Filter by status, destination, carrier "
            "and dates; `search` matches reference, consignee and route. Partner keys need "
            "`logistics:read`."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a shipment",
        description=(
            "One shipment with its items, storage band, telemetry summary and tracking link. "
            "Another tenant's is a 404."
        ),
    ),
    create=extend_schema(
        summary="Book a shipment",
        description=(
            "A member of a verified enterprise books a cold-chain shipment: route, carrier partner,"
            " planned times, transport mode, incoterm and the products with net weights (kg, or "
            "jin). The storage band comes from the products; `excursion_delay_minutes` and "
            "`excursion_mode` say when leaving it counts as an excursion. Answers 201 with the "
            "shipment, status `booked`. Name the `enterprise` when the caller belongs to more than "
            "one."
        ),
    ),
    dispatch_shipment=extend_schema(
        summary="Dispatch a shipment",
        description=(
            "The enterprise's members dispatch a `booked` shipment. The platform first checks the "
            "destination's requirements (certificates valid on the departure date, shipment "
            "documents uploaded): anything missing is a 409 `not_ready` listing it in `missing`. "
            "Answers the shipment, now `in_transit`."
        ),
    ),
    cancel=extend_schema(
        summary="Cancel a shipment",
        description=(
            "The enterprise's members cancel a `booked` shipment, with an optional `reason`; "
            "once dispatched it is a 409. Answers the shipment."
        ),
    ),
    rotate_tracking_token=extend_schema(
        summary="Issue a new tracking link",
        description=(
            "The enterprise's members replace the public tracking token: the old link stops working"
            " at once. Answers the new token and link."
        ),
    ),
    epcis=extend_schema(
        summary="Export a shipment as EPCIS",
        description=(
            "The shipment's story as a GS1 EPCIS 2.0 JSON-LD document (`application/ld+json`), for "
            "traceability systems. Whoever may see the shipment."
        ),
    ),
)
class ShipmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet
):
    """Cold-chain shipments: an enterprise books and dispatches; its carrier reads and tracks."""

    scope_prefix = "logistics"
    serializer_class = ShipmentSerializer
    pagination_class = ShipmentCursorPagination
    filterset_class = ShipmentFilter
    search_fields = ["reference", "consignee_name", "route"]
    ordering_fields = ["id", "planned_departure", "planned_arrival", "created_at"]

    def get_queryset(self):
        if self.action == "list":
            return selectors.shipment_rows_for(self.request.user)
        return selectors.shipments_for(self.request.user)

    @extend_schema(request=ShipmentInputSerializer, responses={201: ShipmentSerializer})
    def create(self, request, *args, **kwargs):
        if not enterprise_ids_of(request.user):
            raise PermissionDenied(_("Only members of an enterprise may book shipments."))
        serializer = ShipmentInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        named = data.pop("enterprise", None)
        enterprise = acting_enterprise(request, named.pk if named else None)
        shipment = shipment_create(actor=request.user, enterprise=enterprise, **data)
        shipment = self.get_queryset().get(pk=shipment.pk)
        return Response(
            ShipmentSerializer(shipment, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={200: ShipmentSerializer})
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_shipment(self, request, pk=None):
        shipment = shipment_dispatch(actor=request.user, shipment=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=shipment.pk)).data)

    @extend_schema(request=CancelSerializer, responses={200: ShipmentSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        shipment = self.get_object()
        serializer = CancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        shipment = shipment_cancel(
            actor=request.user, shipment=shipment, reason=serializer.validated_data["reason"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=shipment.pk)).data)

    @extend_schema(request=None, responses={200: TrackingTokenSerializer})
    @action(detail=True, methods=["post"], url_path="rotate-tracking-token")
    def rotate_tracking_token(self, request, pk=None):
        shipment = shipment_tracking_token_rotate(actor=request.user, shipment=self.get_object())
        return Response(
            {
                "tracking_token": shipment.tracking_token,
                "tracking_url": tracking.tracking_url(shipment),
            }
        )

    @extend_schema(
        responses={
            (200, "application/ld+json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="GS1 EPCIS 2.0 document"
            )
        }
    )
    @action(detail=True, methods=["get"])
    def epcis(self, request, pk=None):
        document = epcis.epcis_document(self.get_object())
        return Response(document, content_type="application/ld+json")


@extend_schema_view(
    list=extend_schema(
        summary="List shipment drafts",
        description=(
            "Shipment drafts of the caller's enterprises (platform staff: all), newest first: "
            "opened when a buyer accepts a quote, with consignee, destination, Incoterm, items and "
            "the readiness check for the destination market as it stood then. `state` is open, "
            "booked or discarded. Book one with `POST /api/v1/shipments/` and `draft`. Partner "
            "keys need `logistics:read`."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a shipment draft",
        description="One draft with its items and readiness. Another tenant's is a 404.",
    ),
    discard=extend_schema(
        summary="Discard a shipment draft",
        description=(
            "The enterprise's members throw an open draft away; a booked or discarded one is a "
            "409. Answers the draft, now `discarded`."
        ),
    ),
)
class ShipmentDraftViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Shipments not yet booked, filled in from a buyer's accepted quote."""

    scope_prefix = "logistics"
    serializer_class = ShipmentDraftSerializer
    pagination_class = ShipmentCursorPagination
    ordering_fields = ["id", "created_at"]

    def get_queryset(self):
        return selectors.shipment_drafts_for(self.request.user)

    @extend_schema(request=None, responses={200: ShipmentDraftSerializer})
    @action(detail=True, methods=["post"])
    def discard(self, request, pk=None):
        draft = shipment_draft_discard(actor=request.user, draft=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=draft.pk)).data)


class ShipmentChildMixin:
    """Resolves `shipment_pk` through the caller's scope: someone else's shipment is a 404."""

    filter_backends: list = []
    # How the shipment is fetched (scoped to the caller either way): a view that renders no
    # places or items takes the lighter `selectors.shipment_row_for`.
    shipment_selector = staticmethod(selectors.shipment_for)

    def get_shipment(self):
        if not hasattr(self, "_shipment"):
            shipment = self.shipment_selector(self.request.user, self.kwargs.get("shipment_pk"))
            if shipment is None:
                raise NotFound(_("No such shipment."))
            self._shipment = shipment
        return self._shipment


@extend_schema_view(
    list=extend_schema(
        summary="List a shipment's documents",
        description=(
            "Phytosanitary, health, origin and other certificates uploaded for the shipment. The "
            "enterprise's members and platform staff; closed to partner keys."
        ),
    ),
    create=extend_schema(
        summary="Upload a shipment document",
        description=(
            "The enterprise's members upload a document (multipart: `doc_type`, `number`, `file`). "
            "Dispatch counts it towards the destination's requirements. Answers 201 with the "
            "document."
        ),
        request=ShipmentDocumentInputSerializer,
        responses={201: ShipmentDocumentSerializer},
    ),
)
class ShipmentDocumentViewSet(
    DocumentDownloadMixin,
    DocumentUploadMixin,
    ShipmentChildMixin,
    mixins.ListModelMixin,
    ApiViewSet,
):
    """Shipment documents: the enterprise's and staff's only (closed to partner keys)."""

    serializer_class = ShipmentDocumentSerializer
    upload_serializer_class = ShipmentDocumentInputSerializer
    parser_classes = [MultiPartParser]
    pagination_class = None  # the list is a plain array (the schema said paginated: schemathesis)

    def get_queryset(self):
        return selectors.documents_for(self.request.user).filter(
            shipment_id=self.kwargs.get("shipment_pk")
        )

    def list(self, request, *args, **kwargs):
        shipment = self.get_shipment()
        return Response(
            self.get_serializer(self.get_queryset().filter(shipment=shipment), many=True).data
        )

    def get_document_owner(self):
        return self.get_shipment()

    def add_document(self, *, owner, upload, **labels):
        return document_add(actor=self.request.user, shipment=owner, upload=upload, **labels)


class EventCursorPagination(CursorPagination):
    ordering = "occurred_at"


@extend_schema_view(
    list=extend_schema(
        summary="List a shipment's milestones",
        description=(
            "Milestones (picked up, departed, at the border, customs cleared, delivered...) oldest "
            "first, cursor-paginated. Whoever may see the shipment; partner keys need "
            "`logistics:read`."
        ),
    ),
    create=extend_schema(
        summary="Post a shipment milestone",
        description=(
            "The shipment's carrier (API key with `logistics:write`) or the enterprise posts a "
            "milestone with its time and place; the shipment's status follows. Answers 201 with "
            "the event, or 200 with the stored one when the same `event_id` was posted before "
            "(safe to retry)."
        ),
    ),
)
class TrackingEventViewSet(
    ShipmentChildMixin, mixins.ListModelMixin, mixins.CreateModelMixin, ApiViewSet
):
    """Milestones of a shipment, posted by its carrier (`logistics:write`) or the enterprise."""

    scope_prefix = "logistics"
    serializer_class = TrackingEventSerializer
    pagination_class = EventCursorPagination

    def get_queryset(self):
        return selectors.tracking_events_for(self.request.user).filter(
            shipment_id=self.kwargs.get("shipment_pk")
        )

    def list(self, request, *args, **kwargs):
        self.get_shipment()
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=TrackingEventInputSerializer,
        responses={201: TrackingEventSerializer, 200: TrackingEventSerializer},
    )
    def create(self, request, *args, **kwargs):
        shipment = self.get_shipment()
        serializer = TrackingEventInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event, created = tracking_event_create(
            actor=request.user, shipment=shipment, **serializer.validated_data
        )
        return Response(
            self.get_serializer(event).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ReadingCursorPagination(CursorPagination):
    ordering = "time"
    page_size = 1000
    max_page_size = 10000


@extend_schema_view(
    list=extend_schema(
        summary="Read a shipment's sensor readings",
        description=(
            "Raw readings in time order between `from` and `to`, cursor-paginated (up to 10,000 a "
            "page); with `bucket` (e.g. `15m`, `1h`) min, mean and max per time bucket for a chart "
            "instead. Whoever may see the shipment; partner keys need `logistics:read`."
        ),
    ),
    create=extend_schema(
        summary="Send a batch of sensor readings",
        description=(
            "The shipment's carrier (API key with `telemetry:write`) or the enterprise posts "
            "readings: a JSON batch or a CSV file (`text/csv`) with sensor id, time, temperature "
            "(°C), humidity and position. Readings already stored are counted as duplicates, so a "
            "batch is safe to send again; invalid rows are rejected one by one (`rejected_rows`) "
            "without failing the batch. Answers 201 when something was stored, else 200, with the "
            "counts and the shipment's updated telemetry summary; excursions out of the storage "
            "band are raised from here."
        ),
    ),
)
class TelemetryViewSet(ShipmentChildMixin, ApiViewSet):
    """Sensor readings: POST a batch (JSON or CSV), GET a time range or chart buckets."""

    required_scopes = {"list": "logistics:read", "create": "telemetry:write"}
    isolation_model = SensorReading  # for the route-walking tenancy test
    serializer_class = ReadingSerializer
    pagination_class = ReadingCursorPagination
    parser_classes = [FastJSONParser, CSVParser]
    shipment_selector = staticmethod(selectors.shipment_row_for)  # no places, no items

    def get_queryset(self):
        return SensorReading.objects.filter(shipment_id=self.get_shipment().pk)

    def _range(self, request):
        bounds = {}
        for name in ("from", "to"):
            raw = request.query_params.get(name)
            if raw:
                try:
                    value = parse_datetime(raw)
                except ValueError:  # well-formed but not a real time (month 13)
                    value = None
                if value is None or value.tzinfo is None:
                    raise ValidationFailed(
                        _("%(parameter)s must be an ISO 8601 time with offset.")
                        % {"parameter": name},
                        field=name,
                    )
                bounds[name] = as_utc(value)
        return bounds.get("from"), bounds.get("to")

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATETIME, description="Start (inclusive)"),
            OpenApiParameter("to", OpenApiTypes.DATETIME, description="End (exclusive)"),
            OpenApiParameter("sensor_id", OpenApiTypes.STR),
            OpenApiParameter(
                "bucket",
                {"type": "string", "pattern": telemetry.BUCKET_PATTERN},
                description="Width such as 15m or 1h: answers {bucket, buckets: [{start, min, "
                "mean, max, count}]} instead of the raw page",
            ),
        ],
        # A page of readings, or the buckets when `bucket` is given (schemathesis: the buckets
        # answer did not match the documented page).
        responses={
            200: PolymorphicProxySerializer(
                component_name="TelemetryList",
                serializers=[ReadingPageSerializer, BucketsSerializer],
                resource_type_field_name=None,
                many=False,
            )
        },
    )
    def list(self, request, *args, **kwargs):
        shipment = self.get_shipment()
        start, end = self._range(request)
        sensor_id = request.query_params.get("sensor_id") or None
        bucket = request.query_params.get("bucket")
        if bucket:
            width = telemetry.parse_bucket(bucket)
            rows = selectors.buckets(
                shipment_id=shipment.pk, width=width, start=start, end=end, sensor_id=sensor_id
            )
            return Response(BucketsSerializer({"bucket": bucket, "buckets": rows}).data)
        qs = self.get_queryset()
        if start:
            qs = qs.filter(time__gte=start)
        if end:
            qs = qs.filter(time__lt=end)
        if sensor_id:
            qs = qs.filter(sensor_id=sensor_id)
        qs = qs.values("sensor_id", "time", "temp_c", "humidity", "latitude", "longitude")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(ReadingSerializer(page, many=True).data)

    @extend_schema(
        request={
            "application/json": ReadingBatchSerializer,
            "text/csv": OpenApiRequest(OpenApiTypes.STR, examples=[api_examples.READING_CSV]),
        },
        responses={201: IngestResultSerializer, 200: IngestResultSerializer},
    )
    def create(self, request, *args, **kwargs):
        shipment = self.get_shipment()
        if role_on(shipment, request.user) is None:
            raise NotFound(_("No such shipment."))
        data = request.data
        rows = (
            telemetry.parse_csv(data)
            if isinstance(data, CSVText)
            else telemetry.rows_from_json(data)
        )
        result = telemetry_ingest(actor=request.user, shipment=shipment, readings=rows)
        body = {
            "received": result.received,
            "accepted": result.accepted,
            "duplicate": result.duplicate,
            "rejected": result.rejected,
            "rejected_rows": result.rejected_rows,
            "telemetry_summary": selectors.summary_dict(shipment, result.summary),
        }
        return Response(
            IngestResultSerializer(body).data,
            status=status.HTTP_201_CREATED if result.accepted else status.HTTP_200_OK,
        )


@extend_schema_view(
    list=extend_schema(
        summary="List a shipment's temperature excursions",
        description=(
            "Times the readings left the storage band for longer than allowed: when, how far, how "
            "long, severity and acknowledgement. Whoever may see the shipment; partner keys need "
            "`logistics:read`."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a temperature excursion",
        description="One excursion of the shipment.",
    ),
    acknowledge=extend_schema(
        summary="Acknowledge a temperature excursion",
        description=(
            "The enterprise's members or platform staff acknowledge an excursion with a `comment` "
            "(what was done). People only, closed to API keys. Answers the excursion."
        ),
    ),
)
class ExcursionViewSet(
    ShipmentChildMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet
):
    """Temperature excursions of a shipment; the enterprise or staff acknowledge them."""

    required_scopes = {
        "list": "logistics:read",
        "retrieve": "logistics:read",
        "acknowledge": None,  # people only: closed to API keys
    }
    serializer_class = ExcursionSerializer
    pagination_class = None  # the list is a plain array (the schema said paginated: schemathesis)

    def get_queryset(self):
        return selectors.excursions_for(self.request.user).filter(
            shipment_id=self.kwargs.get("shipment_pk")
        )

    def list(self, request, *args, **kwargs):
        self.get_shipment()
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    @extend_schema(request=AcknowledgeSerializer, responses={200: ExcursionSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, shipment_pk=None, pk=None):
        excursion = self.get_object()
        serializer = AcknowledgeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        excursion = excursion_acknowledge(
            actor=request.user, excursion=excursion, comment=serializer.validated_data["comment"]
        )
        return Response(self.get_serializer(excursion).data)


@extend_schema_view(
    get=extend_schema(
        summary="Track a shipment publicly",
        description=(
            "Public, no login: the shipment behind a tracking token as JSON (status, route, "
            "milestones, temperature chart) without prices or documents; labels in the request's "
            "language (`lang`, else Accept-Language). An unknown token is a 404. Throttled per client address."
        ),
    )
)
class TrackingView(ApiView):
    """Public JSON of a shipment by its tracking token (no prices, no documents)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicLookupThrottle]

    @extend_schema(
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="Public tracking view")},
        parameters=[OpenApiParameter("lang", OpenApiTypes.STR, enum=["zh-hans", "en", "zh"])],
    )
    def get(self, request, token):
        shipment = selectors.shipment_by_token(token)
        if shipment is None:
            raise NotFound(_("No shipment has this tracking link."))
        with translation.override(tracking.language_of(request)):
            return Response(tracking.public_view(shipment))


def tracking_page(request, token):
    """`/track/{token}/`: the consignee's page in the public pages' look, in the request's
    language (the middleware's: `?lang=`, the cookie, Accept-Language) with times in the viewer's
    zone, the zone named. Status and last reading first, then the milestones and excursions as
    one timeline, then the temperature chart."""
    if not lookup_allowed(request):
        return too_many_lookups(request)
    shipment = selectors.shipment_by_token(token)
    if shipment is None:
        raise Http404("No shipment has this tracking link.")
    language = translation.get_language()
    zone = tracking.zone_of(request, language)
    with timezone.override(zone):
        view = tracking.public_view(shipment)
        context = {
            "title": _("Shipment tracking %(reference)s") % {"reference": view["reference"]},
            "view": view,
            "token": token,
            "band": tracking.band_text(view["band_c"]),
            "last_reading_in_band": last_reading_in_band(shipment, view["summary"]),
            "timeline": tracking.timeline_with_excursions(view),
            "chart": tracking.svg_chart(view, zone),
            "zone_label": zone_label(zone, language),
            "zone_is_the_viewers": zone_is_the_viewers(request),
        }
        response = render(request, "logistics/track.html", context)
    response["Vary"] = "Accept-Language, Cookie"
    response["X-Robots-Tag"] = "noindex"
    return response
