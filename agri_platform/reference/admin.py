from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ColdChainProfile, Country, Currency, HSCode, Location, Prefecture


def _is_staff(request, *roles: str) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    return user.has_staff_role(*roles) if roles else user.is_platform_staff


class StaffRoleAdminMixin:
    """Admin access by platform staff role rather than Django model permissions.

    Any platform staff member may look; `change_roles` may add and change; only platform admins (and
    superusers) may delete unless `delete_roles` says otherwise. Django permissions still add to this.
    """

    change_roles: tuple[str, ...] = ("officer",)
    delete_roles: tuple[str, ...] = ()

    def has_module_permission(self, request):
        return _is_staff(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return _is_staff(request) or super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _is_staff(request, *self.change_roles) or super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return _is_staff(request, *self.change_roles) or super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return _is_staff(request, *self.delete_roles) or super().has_delete_permission(request, obj)


@admin.register(Country)
class CountryAdmin(StaffRoleAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "name_en", "name_zh", "groups"]
    search_fields = ["code", "name_en", "name_zh"]


@admin.register(Currency)
class CurrencyAdmin(StaffRoleAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "minor_units"]
    search_fields = ["code", "name"]


@admin.register(Location)
class LocationAdmin(StaffRoleAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "country", "subdivision", "functions"]
    list_filter = ["country"]
    search_fields = ["code", "name", "name_ascii"]
    raw_id_fields = ["country"]


@admin.register(HSCode)
class HSCodeAdmin(StaffRoleAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "description_en", "description_zh"]
    search_fields = ["code", "description_en", "description_zh"]


@admin.register(Prefecture)
class PrefectureAdmin(StaffRoleAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "name_en", "name_zh"]
    search_fields = ["code", "name_en", "name_zh"]


@admin.register(ColdChainProfile)
class ColdChainProfileAdmin(StaffRoleAdminMixin, SimpleHistoryAdmin):
    """Staff edit the bands here; new products take them as defaults (existing products keep theirs)."""

    change_roles = ("officer", "reviewer")
    list_display = [
        "code",
        "name_en",
        "hs_prefixes",
        "temp_min_c",
        "temp_max_c",
        "humidity_max_pct",
        "updated_at",
    ]
    search_fields = ["code", "name_en", "name_zh"]
