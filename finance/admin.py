"""Staff queue for financing requests: filter by kind, status, partner and age. Workflow changes
go through the API (services); the admin shows the state and its history."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from agri_platform.api import admin as api_admin
from agri_platform.api.admin_documents import (
    DOCUMENT_INLINE_FIELDS,
    DocumentDownloadAdminMixin,
    ReadOnlyDocumentInline,
)

from .models import (
    FinancingDocument,
    FinancingEvidence,
    FinancingOffer,
    FinancingRequest,
    FinancingRouting,
)


class AgeFilter(api_admin.AgeFilter):
    """How long ago the request was submitted: the oldest waiting requests first."""

    title = _("age since submission")
    date_field = "submitted_at"


class RoutingInline(admin.TabularInline):
    model = FinancingRouting
    extra = 0
    fields = ["partner", "routed_at", "routed_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class OfferInline(admin.TabularInline):
    model = FinancingOffer
    extra = 0
    fields = ["partner", "status", "amount", "rate_percent", "term_days", "fees", "valid_until"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class EvidenceInline(admin.TabularInline):
    model = FinancingEvidence
    extra = 0
    fields = ["kind", "object_id", "summary", "added_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class DocumentInline(ReadOnlyDocumentInline):
    model = FinancingDocument
    fields = ["title", *DOCUMENT_INLINE_FIELDS]


@admin.register(FinancingRequest)
class FinancingRequestAdmin(DocumentDownloadAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "id",
        "enterprise",
        "kind",
        "amount",
        "currency",
        "term_days",
        "status",
        "submitted_at",
    ]
    list_filter = ["kind", "status", ("partners", admin.RelatedOnlyFieldListFilter), AgeFilter]
    list_select_related = ["enterprise", "currency"]
    search_fields = ["purpose", "enterprise__name_en", "enterprise__name_zh"]
    date_hierarchy = "created_at"
    ordering = ["submitted_at"]
    readonly_fields = [
        "enterprise",
        "kind",
        "amount",
        "currency",
        "term_days",
        "purpose",
        "status",
        "status_reason",
        "accepted_offer",
        "disbursement_reference",
        "created_by",
        "created_at",
        "submitted_at",
        "submitted_by",
        "routed_at",
        "routed_by",
        "accepted_at",
        "accepted_by",
        "disbursed_at",
        "disbursed_by",
        "closed_at",
        "closed_by",
    ]
    exclude = ["partners"]
    inlines = [RoutingInline, OfferInline, EvidenceInline, DocumentInline]
    document_inline = DocumentInline

    def has_add_permission(self, request):
        return False


@admin.register(FinancingOffer)
class FinancingOfferAdmin(SimpleHistoryAdmin):
    list_display = ["id", "request", "partner", "status", "amount", "rate_percent", "valid_until"]
    list_filter = ["status", "request__kind", ("partner", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["request", "partner"]
    search_fields = ["external_reference", "conditions"]
    readonly_fields = [
        "request",
        "partner",
        "amount",
        "currency",
        "rate_percent",
        "term_days",
        "fees",
        "conditions",
        "valid_until",
        "external_reference",
        "status",
        "created_by",
        "created_at",
        "decided_at",
        "decided_by",
    ]

    def has_add_permission(self, request):
        return False
