from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from agri_platform.api.admin import StaffRoleAdminMixin

from .models import (
    ColdChainProfile,
    Country,
    Currency,
    HSCode,
    Location,
    Prefecture,
    SupplySeason,
)


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


@admin.register(SupplySeason)
class SupplySeasonAdmin(StaffRoleAdminMixin, SimpleHistoryAdmin):
    """Staff correct the northern supply months here; the catalogue's off-season marks follow."""

    change_roles = ("officer", "reviewer")
    list_display = ["code", "name_en", "hs_prefixes", "category", "months", "updated_at"]
    search_fields = ["code", "name_en", "name_zh", "provinces_en"]
