"""Staff UI. Workflow actions call the same services as the API (enterprises/services/)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from agri_platform.accounts.models import Membership
from agri_platform.api.admin import ServiceActions, StaffRoleAdminMixin
from agri_platform.api.admin_documents import (
    DOCUMENT_INLINE_FIELDS,
    DocumentDownloadAdminMixin,
    ReadOnlyDocumentInline,
)

from . import services
from .models import Enterprise, EnterpriseDocument, Invitation, Product, ProductionBase


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Shown to the enterprise."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=True,
    )


# What the admin says once an action is done, per action: "%(count)d" is how many enterprises.
DONE_MESSAGES = {
    "verify": lambda count: ngettext(
        "Verified %(count)d enterprise.", "Verified %(count)d enterprises.", count
    ),
    "reject": lambda count: ngettext(
        "Rejected %(count)d enterprise.", "Rejected %(count)d enterprises.", count
    ),
    "suspend": lambda count: ngettext(
        "Suspended %(count)d enterprise.", "Suspended %(count)d enterprises.", count
    ),
    "reinstate": lambda count: ngettext(
        "Reinstated %(count)d enterprise.", "Reinstated %(count)d enterprises.", count
    ),
}


ACTIONS = ServiceActions(
    row_argument="enterprise",
    actor_argument="reviewer",
    name_of=lambda enterprise: enterprise.name_zh,
    done_messages=DONE_MESSAGES,
    reason_form=ReasonForm,
    reason_template="admin/enterprises/reason.html",
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "created_at"]
    readonly_fields = ["user", "role", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # members join by invitation; roles change through the API


class ProductInline(admin.TabularInline):
    model = Product
    extra = 0
    fields = ["name_zh", "name_en", "category", "hs_code", "temp_min_c", "temp_max_c"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class DocumentInline(ReadOnlyDocumentInline):
    """The business licence and other documents the enterprise uploaded, to download."""

    model = EnterpriseDocument
    fields = ["kind", *DOCUMENT_INLINE_FIELDS]

    def has_view_permission(self, request, obj=None):
        return request.user.has_staff_role(*services.REVIEWER_ROLES)


@admin.register(Enterprise)
class EnterpriseAdmin(DocumentDownloadAdminMixin, StaffRoleAdminMixin, SimpleHistoryAdmin):
    change_roles = services.REVIEWER_ROLES
    list_display = [
        "name_zh",
        "name_en",
        "uscc",
        "prefecture",
        "status",
        "registered_outside_sichuan",
        "created_at",
    ]
    list_filter = ["status", "registered_outside_sichuan", "prefecture"]
    search_fields = ["name_zh", "name_en", "uscc"]
    readonly_fields = [
        "uscc",
        "status",
        "status_reason",
        "status_changed_at",
        "status_changed_by",
        "registered_outside_sichuan",
        "created_by",
        "created_at",
        "updated_at",
    ]
    filter_horizontal = ["export_markets"]
    inlines = [MembershipInline, ProductInline, DocumentInline]
    document_inline = DocumentInline
    actions = ["verify", "reject", "suspend", "reinstate"]

    def has_add_permission(self, request):
        return False  # enterprises register themselves through the API

    @admin.action(description=_("Verify selected pending enterprises"))
    def verify(self, request, queryset):
        ACTIONS.run(self, request, queryset, services.enterprise_verify, "verify")

    @admin.action(description=_("Reject selected pending enterprises (asks for a reason)"))
    def reject(self, request, queryset):
        return ACTIONS.with_reason(
            self, request, queryset, services.enterprise_reject, "reject", gettext("Reject")
        )

    @admin.action(description=_("Suspend selected verified enterprises (asks for a reason)"))
    def suspend(self, request, queryset):
        return ACTIONS.with_reason(
            self, request, queryset, services.enterprise_suspend, "suspend", gettext("Suspend")
        )

    @admin.action(description=_("Reinstate selected suspended enterprises"))
    def reinstate(self, request, queryset):
        ACTIONS.run(self, request, queryset, services.enterprise_reinstate, "reinstate")


@admin.register(Product)
class ProductAdmin(StaffRoleAdminMixin, SimpleHistoryAdmin):
    change_roles = ()
    list_display = [
        "name_zh",
        "name_en",
        "enterprise",
        "category",
        "hs_code",
        "temp_min_c",
        "temp_max_c",
        "cold_chain_profile",
    ]
    list_filter = ["category", "cold_chain_profile"]
    search_fields = ["name_zh", "name_en", "variety", "hs_code__code", "enterprise__name_zh"]
    raw_id_fields = ["enterprise", "hs_code"]
    list_select_related = ["enterprise", "hs_code", "cold_chain_profile"]


@admin.register(ProductionBase)
class ProductionBaseAdmin(StaffRoleAdminMixin, SimpleHistoryAdmin):
    change_roles = ()
    list_display = ["name", "enterprise", "kind", "prefecture", "county", "area_m2"]
    list_filter = ["kind", "prefecture"]
    search_fields = ["name", "county", "enterprise__name_zh"]
    raw_id_fields = ["enterprise"]
    filter_horizontal = ["products"]
    list_select_related = ["enterprise", "prefecture"]


@admin.register(Invitation)
class InvitationAdmin(StaffRoleAdminMixin, SimpleHistoryAdmin):
    change_roles = ()
    list_display = ["email", "enterprise", "role", "status_label", "created_at", "expires_at"]
    list_filter = ["role"]
    search_fields = ["email", "enterprise__name_zh"]
    readonly_fields = [
        "enterprise",
        "email",
        "role",
        "prefix",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]
    exclude = ["digest"]

    @admin.display(description=_("status"))
    def status_label(self, invitation):
        return invitation.status.label

    def has_add_permission(self, request):
        return False  # invitations are created through the API, which shows the token once
