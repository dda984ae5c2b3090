"""Admin: buyers. Staff check new buyers here (or through the API); the actions call the same
services, so the events and the workflow's rules are the API's."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from agri_platform.api.admin import ServiceActions, StaffRoleAdminMixin

from ..models import Buyer
from ..services import buyers as services
from ..workflows_buyers import BUYER_REVIEWER_ROLES


class BuyerReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Shown to the buyer."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=services.MAX_REASON_LENGTH,
    )


DONE_MESSAGES = {
    "verify": lambda count: ngettext(
        "Verified %(count)d buyer.", "Verified %(count)d buyers.", count
    ),
    "reject": lambda count: ngettext(
        "Rejected %(count)d buyer.", "Rejected %(count)d buyers.", count
    ),
    "suspend": lambda count: ngettext(
        "Suspended %(count)d buyer.", "Suspended %(count)d buyers.", count
    ),
    "reinstate": lambda count: ngettext(
        "Reinstated %(count)d buyer.", "Reinstated %(count)d buyers.", count
    ),
}


ACTIONS = ServiceActions(
    row_argument="buyer",
    actor_argument="actor",
    name_of=lambda buyer: buyer.partner.name,
    done_messages=DONE_MESSAGES,
    reason_form=BuyerReasonForm,
    reason_template="admin/trade/buyer_reason.html",
    select_related=("partner",),
)


@admin.register(Buyer)
class BuyerAdmin(StaffRoleAdminMixin, SimpleHistoryAdmin):
    change_roles = BUYER_REVIEWER_ROLES
    list_display = ["name", "country", "kind", "city", "website", "status", "created_at"]
    list_filter = ["status", "kind", "partner__country"]
    list_select_related = ["partner"]
    search_fields = ["partner__name", "partner__contact_email", "city", "website"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    fields = [
        "partner",
        "kind",
        "website",
        "city",
        "description",
        "status",
        "status_reason",
        "status_changed_at",
        "status_changed_by",
        "created_by",
        "created_at",
        "updated_at",
    ]
    readonly_fields = [
        "partner",
        "status",
        "status_reason",
        "status_changed_at",
        "status_changed_by",
        "created_by",
        "created_at",
        "updated_at",
    ]
    actions = ["verify", "reject", "suspend", "reinstate"]

    def has_add_permission(self, request):
        return False  # buyers register themselves at /buyers/register/

    @admin.display(description=_("name"), ordering="partner__name")
    def name(self, buyer):
        return buyer.partner.name

    @admin.display(description=_("country"), ordering="partner__country")
    def country(self, buyer):
        return buyer.partner.country

    @admin.action(description=_("Verify selected buyers"))
    def verify(self, request, queryset):
        ACTIONS.run(self, request, queryset, services.buyer_verify, "verify")

    @admin.action(description=_("Reject selected pending buyers (asks for a reason)"))
    def reject(self, request, queryset):
        return ACTIONS.with_reason(
            self, request, queryset, services.buyer_reject, "reject", gettext("Reject")
        )

    @admin.action(description=_("Suspend selected buyers (asks for a reason)"))
    def suspend(self, request, queryset):
        return ACTIONS.with_reason(
            self, request, queryset, services.buyer_suspend, "suspend", gettext("Suspend")
        )

    @admin.action(description=_("Reinstate selected suspended buyers"))
    def reinstate(self, request, queryset):
        ACTIONS.run(self, request, queryset, services.buyer_reinstate, "reinstate")
