"""Staff queue for legal cases: filter by kind, status, law firm and age. Workflow changes go
through the API (services); the admin shows the case, its thread and its history."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from agri_platform.api import admin as api_admin
from agri_platform.api.admin_documents import DocumentDownloadAdminMixin, ReadOnlyDocumentInline

from .models import LegalAttachment, LegalMessage, LegalRequest, MadridDesignation


class AgeFilter(api_admin.AgeFilter):
    title = _("age since filing")
    date_field = "created_at"


class DesignationInline(admin.TabularInline):
    model = MadridDesignation
    extra = 0
    fields = ["country", "nice_classes", "status", "note", "updated_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class MessageInline(admin.StackedInline):
    model = LegalMessage
    extra = 0
    fields = ["author", "author_side", "author_partner", "is_internal", "body", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class AttachmentInline(ReadOnlyDocumentInline):
    model = LegalAttachment
    fields = ["title", "download", "message", "content_type", "size", "sha256", "uploaded_at"]


@admin.register(LegalRequest)
class LegalRequestAdmin(DocumentDownloadAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "id",
        "enterprise",
        "kind",
        "title",
        "status",
        "assigned_firm",
        "deadline",
        "created_at",
    ]
    list_filter = ["kind", "status", ("assigned_firm", admin.RelatedOnlyFieldListFilter), AgeFilter]
    list_select_related = ["enterprise", "assigned_firm"]
    search_fields = [
        "title",
        "description",
        "trademark",
        "enterprise__name_en",
        "enterprise__name_zh",
    ]
    date_hierarchy = "created_at"
    ordering = ["created_at"]
    readonly_fields = [
        "enterprise",
        "kind",
        "title",
        "description",
        "trademark",
        "countries",
        "deadline",
        "status",
        "status_reason",
        "assigned_firm",
        "resolution",
        "created_by",
        "created_at",
        "assigned_at",
        "assigned_by",
        "started_at",
        "resolved_at",
        "closed_at",
        "closed_by",
    ]
    inlines = [DesignationInline, MessageInline, AttachmentInline]
    document_inline = AttachmentInline

    def has_add_permission(self, request):
        return False
