"""Admin: inquiries, quotes and buyer blocks, read-only for staff with their history (every change
goes through trade/services/inquiries.py and blocks.py, so the events and rules are the API's)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from agri_platform.api.admin import ANY_STAFF, NOBODY, StaffRoleAdminMixin

from ..models import BuyerBlock, Inquiry, InquiryItem, InquiryMessage, Quote, QuoteLine


class ReadOnlyAdmin(StaffRoleAdminMixin):
    view_roles = ANY_STAFF
    change_roles = NOBODY
    add_roles = NOBODY
    delete_roles = NOBODY
    django_permissions_too = False


class InquiryItemInline(admin.TabularInline):
    model = InquiryItem
    fields = ["product", "quantity", "unit"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class InquiryMessageInline(admin.TabularInline):
    model = InquiryMessage
    fields = ["side", "author", "body", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Inquiry)
class InquiryAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["id", "buyer", "enterprise", "status", "destination", "created_at"]
    list_filter = ["status", "incoterm"]
    search_fields = ["buyer__partner__name", "enterprise__name_en", "enterprise__name_zh"]
    list_select_related = ["buyer__partner", "enterprise", "destination"]
    raw_id_fields = ["buyer", "enterprise", "destination", "promotion"]
    inlines = [InquiryItemInline, InquiryMessageInline]
    date_hierarchy = "created_at"


class QuoteLineInline(admin.TabularInline):
    model = QuoteLine
    fields = ["item", "quantity", "unit", "unit_price"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["id", "inquiry", "status", "currency", "valid_until", "created_at"]
    list_filter = ["status", "currency"]
    list_select_related = ["inquiry", "currency"]
    raw_id_fields = ["inquiry", "shipment_draft"]
    inlines = [QuoteLineInline]


@admin.register(BuyerBlock)
class BuyerBlockAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["enterprise", "buyer", "created_at"]
    list_select_related = ["enterprise", "buyer__partner"]
    raw_id_fields = ["enterprise", "buyer"]
