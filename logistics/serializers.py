from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from agri_platform.accounts.models import Partner
from agri_platform.api.documents import (
    DOCUMENT_FIELDS,
    DownloadUrlField,
    UploadedDocumentSerializer,
)
from agri_platform.api.serializers import (
    ScopedPrimaryKeyRelatedField,
    StaticFieldsMixin,
    render_nested,
)
from agri_platform.api.tenancy import enterprise_ids_of
from agri_platform.reference.models import Country, Currency, Location
from certification.choices import DocumentType
from certification.models import Scheme
from enterprises.selectors import member_enterprises, products_for

from . import api_examples, selectors, tracking
from .choices import Milestone
from .models import (
    Shipment,
    ShipmentDocument,
    ShipmentDraft,
    ShipmentDraftItem,
    ShipmentItem,
    TemperatureExcursion,
    TrackingEvent,
)
from .services.drafts import draft_state, is_ready, snapshot_check
from .services.excursions import COMMENT_MAX_LENGTH
from .services.shipments import bookable_carriers

# --- shipments -----------------------------------------------------------------------------------


def _bookable_carriers(user):
    return bookable_carriers()


def _open_drafts(user):
    return selectors.open_shipment_drafts(user)


class ShipmentItemInputSerializer(serializers.Serializer):
    class Meta:
        model = (
            ShipmentItem  # integer fields take its columns' ranges (agri_platform/api/bounds.py)
        )

    product = ScopedPrimaryKeyRelatedField(products_for)
    net_kg = serializers.DecimalField(
        max_digits=12, decimal_places=3, min_value=Decimal("0.001"), required=False
    )
    net_jin = serializers.DecimalField(
        max_digits=12,
        decimal_places=3,
        min_value=Decimal("0.001"),
        required=False,
        help_text=_("Net weight in jin (500 g); stored in kg."),
    )
    packages = serializers.IntegerField(min_value=1, default=1)
    declared_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0")
    )
    currency = serializers.PrimaryKeyRelatedField(queryset=Currency.objects.all())

    def validate(self, attrs):
        if ("net_kg" in attrs) == ("net_jin" in attrs):
            raise serializers.ValidationError(
                {"net_kg": gettext("Give the net weight in net_kg or in net_jin (exactly one).")}
            )
        return attrs


@extend_schema_serializer(examples=[api_examples.SHIPMENT_INPUT])
class ShipmentInputSerializer(serializers.Serializer):
    enterprise = ScopedPrimaryKeyRelatedField(
        member_enterprises,
        required=False,
        help_text=_("Needed only when the caller belongs to several enterprises."),
    )
    reference = serializers.CharField(max_length=40)
    consignee_name = serializers.CharField(max_length=200)
    consignee_country = serializers.PrimaryKeyRelatedField(queryset=Country.objects.all())
    origin = serializers.PrimaryKeyRelatedField(
        queryset=Location.objects.all(), help_text=_("UN/LOCODE, e.g. CNCTU")
    )
    destination = serializers.PrimaryKeyRelatedField(
        queryset=Location.objects.all(), help_text=_("UN/LOCODE, e.g. MYKUL")
    )
    transport_mode = serializers.ChoiceField(
        choices=Shipment._meta.get_field("transport_mode").choices
    )
    route = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    incoterm = serializers.ChoiceField(choices=Shipment._meta.get_field("incoterm").choices)
    carrier = ScopedPrimaryKeyRelatedField(
        _bookable_carriers, help_text=_("An active carrier partner")
    )
    planned_departure = serializers.DateTimeField()
    planned_arrival = serializers.DateTimeField()
    loaded_at = serializers.DateTimeField(required=False, allow_null=True)
    excursion_delay_minutes = serializers.IntegerField(min_value=0, max_value=1440, default=15)
    excursion_mode = serializers.ChoiceField(
        choices=Shipment._meta.get_field("excursion_mode").choices, default="consecutive"
    )
    ignore_minutes_after_loading = serializers.IntegerField(min_value=0, max_value=1440, default=0)
    items = ShipmentItemInputSerializer(many=True, allow_empty=False)
    draft = ScopedPrimaryKeyRelatedField(
        _open_drafts,
        required=False,
        help_text=_("An open shipment draft of the enterprise: booked, it links to the shipment."),
    )


class ShipmentItemSerializer(StaticFieldsMixin, serializers.ModelSerializer):
    product_name = serializers.StringRelatedField(source="product")

    class Meta:
        model = ShipmentItem
        fields = [
            "id",
            "product",
            "product_name",
            "net_kg",
            "packages",
            "declared_value",
            "currency",
        ]
        extra_kwargs = {
            # not `required`: the schema must allow the carrier's view, where both are absent
            "declared_value": {
                "required": False,
                "help_text": _("Left out for carriers, who never see a value."),
            },
            "currency": {
                "required": False,
                "help_text": _("Left out for carriers, with the value."),
            },
        }


class PartnerBriefSerializer(StaticFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "name", "name_zh"]


class SummarySerializer(StaticFieldsMixin, serializers.Serializer):
    reading_count = serializers.IntegerField()
    temp_min_c = serializers.FloatField(allow_null=True)
    temp_max_c = serializers.FloatField(allow_null=True)
    temp_mean_c = serializers.FloatField(allow_null=True)
    mean_kinetic_temperature_c = serializers.FloatField(allow_null=True)
    time_in_band_pct = serializers.FloatField(allow_null=True)
    excursion_count = serializers.IntegerField()
    excursion_minutes = serializers.FloatField()
    first_reading_at = serializers.DateTimeField(allow_null=True)
    last_reading_at = serializers.DateTimeField(allow_null=True)
    last_temp_c = serializers.FloatField(allow_null=True)


def _summary_of(shipment):
    try:
        summary = shipment.summary
    except Shipment.summary.RelatedObjectDoesNotExist:
        summary = None
    return selectors.summary_dict(shipment, summary)


@extend_schema_serializer(examples=[api_examples.SHIPMENT_BOOKED, api_examples.SHIPMENT_DISPATCHED])
class ShipmentSerializer(StaticFieldsMixin, serializers.ModelSerializer):
    carrier = PartnerBriefSerializer(read_only=True)
    items = ShipmentItemSerializer(many=True, read_only=True)
    telemetry_summary = serializers.SerializerMethodField()
    tracking_token = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Shipment
        fields = [
            "id",
            "enterprise",
            "reference",
            "status",
            "allowed_actions",
            "consignee_name",
            "consignee_country",
            "origin",
            "destination",
            "transport_mode",
            "route",
            "incoterm",
            "carrier",
            "planned_departure",
            "planned_arrival",
            "loaded_at",
            "temp_min_c",
            "temp_max_c",
            "excursion_delay_minutes",
            "excursion_mode",
            "ignore_minutes_after_loading",
            "items",
            "telemetry_summary",
            "tracking_token",
            "created_at",
            "dispatched_at",
            "delivered_at",
            "cancelled_at",
            "cancel_reason",
        ]
        read_only_fields = fields

    @extend_schema_field(SummarySerializer)
    def get_telemetry_summary(self, shipment):
        return render_nested(self, SummarySerializer, _summary_of(shipment))

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_tracking_token(self, shipment):
        request = self.context.get("request")
        return tracking.token_shown_to(getattr(request, "user", None), shipment)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, shipment):
        from .services.shipments import SHIPMENT_WORKFLOW

        return SHIPMENT_WORKFLOW.actions_for(shipment, context=self.context)


# --- shipment drafts ---------------------------------------------------------------------------


class ShipmentDraftItemSerializer(serializers.ModelSerializer):
    product_name = serializers.StringRelatedField(source="product")

    class Meta:
        model = ShipmentDraftItem
        fields = [
            "id",
            "product",
            "product_name",
            "net_kg",
            "packages",
            "declared_value",
            "currency",
        ]
        read_only_fields = fields


class DraftRequirementSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("scheme (a certificate) or document"))
    code = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField(help_text=_("met, expiring or missing"))
    met = serializers.BooleanField()
    why = serializers.CharField()
    blocks_dispatch = serializers.BooleanField()


class ShipmentDraftSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField()
    ready = serializers.SerializerMethodField()
    readiness = serializers.SerializerMethodField(
        help_text=_("The readiness when the draft was opened, named in the answer's language.")
    )
    items = ShipmentDraftItemSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = ShipmentDraft
        fields = [
            "id",
            "enterprise",
            "source",
            "state",
            "allowed_actions",
            "consignee_name",
            "consignee_country",
            "destination",
            "incoterm",
            "ready_by",
            "ready",
            "readiness",
            "readiness_checked_at",
            "items",
            "shipment",
            "created_at",
            "discarded_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=["open", "booked", "discarded"]))
    def get_state(self, draft):
        return draft_state(draft)

    @extend_schema_field(DraftRequirementSerializer(many=True))
    def get_readiness(self, draft):
        names = self.scheme_names()
        entries = []
        for entry in draft.readiness:
            check = snapshot_check(entry, names)
            entries.append({**entry, "name": check.name, "why": check.explanation})
        return render_nested(self, DraftRequirementSerializer, entries, many=True)

    def scheme_names(self) -> dict[str, str]:
        """Code → name of every scheme in the active language, read once per answer."""
        if "scheme_names" not in self.context:
            self.context["scheme_names"] = {
                scheme.code: scheme.name for scheme in Scheme.objects.all()
            }
        return self.context["scheme_names"]

    @extend_schema_field(serializers.BooleanField())
    def get_ready(self, draft):
        return is_ready(draft.readiness)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, draft):
        """discard while open, for the enterprise's members (book: POST /shipments/ with draft)."""
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if draft_state(draft) != "open" or user is None or user.is_platform_staff:
            return []
        return ["discard", "book"] if draft.enterprise_id in enterprise_ids_of(user) else []


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class TrackingTokenSerializer(serializers.Serializer):
    tracking_token = serializers.CharField()
    tracking_url = serializers.CharField()


# --- documents ---------------------------------------------------------------------------------


class ShipmentDocumentInputSerializer(serializers.Serializer):
    doc_type = serializers.ChoiceField(choices=DocumentType.choices)
    number = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    file = serializers.FileField()


class ShipmentDocumentSerializer(UploadedDocumentSerializer):
    download_url = DownloadUrlField(route="shipment-document-download", owner="shipment")

    class Meta:
        model = ShipmentDocument
        fields = ["id", "shipment", "doc_type", "number", *DOCUMENT_FIELDS]
        read_only_fields = fields


# --- tracking events ---------------------------------------------------------------------------


class TrackingEventInputSerializer(serializers.Serializer):
    milestone = serializers.ChoiceField(choices=Milestone.choices)
    occurred_at = serializers.DateTimeField(
        help_text=_("ISO 8601 with its UTC offset, e.g. 2026-01-12T08:30:00+08:00")
    )
    location = serializers.PrimaryKeyRelatedField(
        queryset=Location.objects.all(), required=False, allow_null=True, help_text=_("UN/LOCODE")
    )
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    longitude = serializers.FloatField(
        min_value=-180, max_value=180, required=False, allow_null=True
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    event_id = serializers.CharField(
        max_length=80,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Your id for this event: posting it again stores nothing new (retry-safe)."),
    )

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        raw = data.get("occurred_at") if hasattr(data, "get") else None
        if isinstance(raw, str):
            from datetime import datetime

            try:
                parsed = datetime.fromisoformat(raw)
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is None:
                raise serializers.ValidationError(
                    {"occurred_at": gettext("Give the time with its UTC offset (…+08:00 or …Z).")}
                )
            if parsed is not None:
                value["occurred_at"] = parsed
        return value

    def validate(self, attrs):
        if (attrs.get("latitude") is None) != (attrs.get("longitude") is None):
            raise serializers.ValidationError(
                {"latitude": gettext("latitude and longitude go together.")}
            )
        return attrs


class TrackingEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrackingEvent
        fields = [
            "id",
            "shipment",
            "milestone",
            "occurred_at",
            "utc_offset_minutes",
            "location",
            "latitude",
            "longitude",
            "note",
            "event_id",
            "source",
            "created_at",
        ]
        read_only_fields = fields


# --- telemetry -----------------------------------------------------------------------------------


class ReadingSerializer(serializers.Serializer):
    sensor_id = serializers.CharField()
    time = serializers.DateTimeField()
    temp_c = serializers.FloatField()
    humidity = serializers.FloatField(allow_null=True, required=False)
    latitude = serializers.FloatField(allow_null=True, required=False)
    longitude = serializers.FloatField(allow_null=True, required=False)


@extend_schema_serializer(
    examples=[api_examples.READING_BATCH],
    description=(
        "A JSON batch of sensor readings. A bare JSON array of readings is accepted too, and CSV as"
        " text/csv."
    ),
)
class ReadingBatchSerializer(serializers.Serializer):
    """Documentation shape of a JSON batch (a bare array of readings is accepted too)."""

    readings = ReadingSerializer(many=True)


class RejectedReadingSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    reason = serializers.CharField()
    reading = serializers.JSONField()


@extend_schema_serializer(examples=[api_examples.INGEST_RESULT, api_examples.INGEST_REPLAY])
class IngestResultSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    accepted = serializers.IntegerField()
    duplicate = serializers.IntegerField()
    rejected = serializers.IntegerField()
    rejected_rows = RejectedReadingSerializer(many=True)
    telemetry_summary = SummarySerializer()


class BucketSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    min = serializers.FloatField()
    mean = serializers.FloatField()
    max = serializers.FloatField()
    count = serializers.IntegerField()


class BucketsSerializer(serializers.Serializer):
    bucket = serializers.CharField()
    buckets = BucketSerializer(many=True)


@extend_schema_serializer(
    description="A cursor page of raw readings: the answer when no bucket is asked for."
)
class ReadingPageSerializer(serializers.Serializer):
    """A cursor page of raw readings (the telemetry list without `bucket`)."""

    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ReadingSerializer(many=True)


# --- excursions ----------------------------------------------------------------------------------


class ExcursionSerializer(serializers.ModelSerializer):
    class Meta:
        model = TemperatureExcursion
        fields = [
            "id",
            "shipment",
            "sensor_id",
            "started_at",
            "last_out_at",
            "ended_at",
            "peak_c",
            "direction",
            "duration_minutes",
            "severity",
            "acknowledged_at",
            "acknowledged_by",
            "acknowledgement_comment",
        ]
        read_only_fields = fields


class AcknowledgeSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=COMMENT_MAX_LENGTH)
