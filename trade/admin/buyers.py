"""Admin: buyers. Staff check new buyers here (or through the API); the actions call the same
services, so the events and the workflow's rules are the API's."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from agri_platform.api.admin import StaffRoleAdminMixin
from agri_platform.api.errors import ApplicationError

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


def _run(modeladmin, request, queryset, service, action, **arguments):
    done = 0
    for buyer in queryset.select_related("partner"):
        try:
            service(actor=request.user, buyer=buyer, **arguments)
            done += 1
        except ApplicationError as exc:
            modeladmin.message_user(
                request,
                gettext("%(buyer)s: %(problem)s")
                % {"buyer": buyer.partner.name, "problem": exc.detail},
                level=messages.ERROR,
            )
    if done:
        modeladmin.message_user(
            request, DONE_MESSAGES[action](done) % {"count": done}, level=messages.SUCCESS
        )


def _with_reason(modeladmin, request, queryset, service, action, title):
    if "apply" in request.POST:
        form = BuyerReasonForm(request.POST)
        if form.is_valid():
            _run(modeladmin, request, queryset, service, action, reason=form.cleaned_data["reason"])
            return None
    else:
        form = BuyerReasonForm()
    return TemplateResponse(
        request,
        "admin/trade/buyer_reason.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "queryset": queryset.select_related("partner"),
            "form": form,
            "action": action,
            "opts": modeladmin.model._meta,
        },
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
        _run(self, request, queryset, services.buyer_verify, "verify")

    @admin.action(description=_("Reject selected pending buyers (asks for a reason)"))
    def reject(self, request, queryset):
        return _with_reason(
            self, request, queryset, services.buyer_reject, "reject", gettext("Reject")
        )

    @admin.action(description=_("Suspend selected buyers (asks for a reason)"))
    def suspend(self, request, queryset):
        return _with_reason(
            self, request, queryset, services.buyer_suspend, "suspend", gettext("Suspend")
        )

    @admin.action(description=_("Reinstate selected suspended buyers"))
    def reinstate(self, request, queryset):
        _run(self, request, queryset, services.buyer_reinstate, "reinstate")
