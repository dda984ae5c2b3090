from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from agri_platform.api.admin_documents import (
    DOCUMENT_INLINE_FIELDS,
    DocumentDownloadAdminMixin,
    ReadOnlyDocumentInline,
)

from .models import (
    Shipment,
    ShipmentDocument,
    ShipmentItem,
    TelemetrySummary,
    TemperatureExcursion,
    TrackingEvent,
)


class ShipmentItemInline(admin.TabularInline):
    model = ShipmentItem
    extra = 0
    raw_id_fields = ["product"]


class TrackingEventInline(admin.TabularInline):
    model = TrackingEvent
    extra = 0
    fields = ["milestone", "occurred_at", "location", "note", "source", "event_id"]
    readonly_fields = ["source", "event_id"]
    raw_id_fields = ["location"]


class ExcursionInline(admin.TabularInline):
    model = TemperatureExcursion
    extra = 0
    fields = [
        "sensor_id",
        "started_at",
        "ended_at",
        "peak_c",
        "duration_minutes",
        "severity",
        "acknowledged_at",
        "acknowledgement_comment",
    ]
    readonly_fields = [
        "sensor_id",
        "started_at",
        "ended_at",
        "peak_c",
        "duration_minutes",
        "severity",
        "acknowledged_at",
    ]
    can_delete = False


class DocumentInline(ReadOnlyDocumentInline):
    model = ShipmentDocument
    fields = ["doc_type", "number", *DOCUMENT_INLINE_FIELDS]


class SummaryInline(admin.StackedInline):
    model = TelemetrySummary
    can_delete = False
    readonly_fields = [
        "reading_count",
        "in_band_count",
        "temp_min_c",
        "temp_max_c",
        "first_reading_at",
        "last_reading_at",
        "last_temp_c",
        "excursion_count",
        "excursion_minutes",
    ]
    exclude = ["temp_sum", "arrhenius_sum"]


@admin.register(Shipment)
class ShipmentAdmin(DocumentDownloadAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "reference",
        "enterprise",
        "status",
        "transport_mode",
        "origin",
        "destination",
        "carrier",
        "planned_departure",
    ]
    list_filter = ["status", "transport_mode", "incoterm"]
    search_fields = ["reference", "consignee_name", "enterprise__name_zh", "enterprise__name_en"]
    raw_id_fields = ["enterprise", "origin", "destination", "carrier", "consignee_country"]
    readonly_fields = [
        "status",
        "temp_min_c",
        "temp_max_c",
        "tracking_token",
        "dispatched_at",
        "delivered_at",
        "cancelled_at",
        "created_at",
    ]
    inlines = [
        ShipmentItemInline,
        TrackingEventInline,
        ExcursionInline,
        DocumentInline,
        SummaryInline,
    ]
    document_inline = DocumentInline
    list_select_related = ["enterprise", "origin", "destination", "carrier"]

    def has_delete_permission(self, request, obj=None):
        return False  # telemetry rows reference the shipment; cancel instead


@admin.register(TrackingEvent)
class TrackingEventAdmin(SimpleHistoryAdmin):
    list_display = ["shipment", "milestone", "occurred_at", "location", "source"]
    list_filter = ["milestone", "source"]
    raw_id_fields = ["shipment", "location"]


@admin.register(TemperatureExcursion)
class TemperatureExcursionAdmin(SimpleHistoryAdmin):
    list_display = [
        "shipment",
        "sensor_id",
        "started_at",
        "ended_at",
        "peak_c",
        "severity",
        "acknowledged_at",
    ]
    list_filter = ["severity", "direction"]
    raw_id_fields = ["shipment", "acknowledged_by"]
