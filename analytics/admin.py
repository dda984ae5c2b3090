from django.contrib import admin
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    CertificateFact,
    CertificationFact,
    FxRate,
    ShipmentFact,
    ShipmentFactLine,
    Target,
)


@admin.register(FxRate)
class FxRateAdmin(SimpleHistoryAdmin):
    """Staff maintain rates here; saving or deleting re-converts that month's shipment facts."""

    list_display = ["currency", "month", "rate_to_cny", "source", "updated_at"]
    list_filter = ["currency"]
    date_hierarchy = "month"
    search_fields = ["currency"]

    def get_readonly_fields(self, request, obj=None):
        # (currency, month) is the identity of a rate: change it by adding a new row.
        return ["currency", "month"] if obj else []

    def save_model(self, request, obj, form, change):
        rate, changed = services.fx_rate_set(
            currency=obj.currency, month=obj.month, rate_to_cny=obj.rate_to_cny, source=obj.source
        )
        obj.pk = rate.pk
        if changed:
            self.message_user(
                request,
                gettext("Shipments re-converted: %(count)d.") % {"count": changed},
            )

    def delete_model(self, request, obj):
        services.fx_rate_delete(rate=obj)

    def delete_queryset(self, request, queryset):
        for rate in queryset:
            services.fx_rate_delete(rate=rate)


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["name", "metric", "value", "unit", "deadline", "is_active"]
    list_filter = ["metric", "is_active"]


class ReadOnlyFactAdmin(admin.ModelAdmin):
    """Facts are derived from logistics and certification; they are read here, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ShipmentFactLineInline(admin.TabularInline):
    model = ShipmentFactLine
    fields = ["category", "declared_value", "value_cny", "net_kg"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ShipmentFact)
class ShipmentFactAdmin(ReadOnlyFactAdmin):
    list_display = [
        "shipment_id",
        "reference",
        "enterprise",
        "destination",
        "departed_on",
        "status",
        "currency",
        "declared_value",
        "value_cny",
        "fx_missing",
        "excursion_count",
    ]
    list_filter = ["is_export", "fx_missing", "currency", "status"]
    list_select_related = ["enterprise", "destination"]
    search_fields = ["shipment_id", "reference", "enterprise__name_zh", "enterprise__name_en"]
    date_hierarchy = "departed_on"
    inlines = [ShipmentFactLineInline]


@admin.register(CertificationFact)
class CertificationFactAdmin(ReadOnlyFactAdmin):
    list_display = [
        "application_id",
        "enterprise",
        "scheme_code",
        "status",
        "submitted_at",
        "decided_at",
        "review_days",
        "sla_breached",
    ]
    list_filter = ["status", "scheme_code", "sla_breached"]
    list_select_related = ["enterprise"]


@admin.register(CertificateFact)
class CertificateFactAdmin(ReadOnlyFactAdmin):
    list_display = [
        "certificate_id",
        "number",
        "enterprise",
        "scheme_code",
        "in_force",
        "valid_until",
    ]
    list_filter = ["in_force", "scheme_code"]
    list_select_related = ["enterprise"]
