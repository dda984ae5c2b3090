"""Admin: promotion events. Officers and platform admins write an event (a draft), then publish
or cancel it with the actions, which call the same services as the API; who takes part is shown
read-only (enterprises sign up themselves)."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from agri_platform.api.admin import StaffRoleAdminMixin
from agri_platform.api.errors import ApplicationError

from ..models import PromotionEvent, PromotionParticipant
from ..services import promotions as services


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Shown to the enterprises taking part and to partners."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=services.MAX_REASON_LENGTH,
    )


class ParticipantInline(admin.TabularInline):
    model = PromotionParticipant
    extra = 0
    fields = ["enterprise", "status", "shown_products", "note", "created_at", "withdrawn_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # enterprises sign up themselves (portal or API)

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("products shown"))
    def shown_products(self, participant):
        return ", ".join(str(product) for product in participant.products.all())


@admin.register(PromotionEvent)
class PromotionEventAdmin(StaffRoleAdminMixin, SimpleHistoryAdmin):
    change_roles = ("officer",)
    list_display = ["title_zh", "title_en", "kind", "city", "country", "starts_on", "status"]
    list_filter = ["status", "kind", "country"]
    search_fields = ["title_zh", "title_en", "city", "venue"]
    date_hierarchy = "starts_on"
    filter_horizontal = ["markets"]
    readonly_fields = ["status", "status_reason", "published_at", "created_by", "created_at"]
    inlines = [ParticipantInline]
    actions = ["publish", "cancel"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def _run(self, request, queryset, service, **arguments) -> None:
        done = 0
        for event in queryset:
            try:
                service(actor=request.user, event=event, **arguments)
                done += 1
            except ApplicationError as exc:
                self.message_user(request, f"{event.title_zh}: {exc.detail}", level=messages.ERROR)
        if done:
            self.message_user(
                request, gettext("%(count)d event(s) done.") % {"count": done}, messages.SUCCESS
            )

    @admin.action(description=_("Publish the selected draft events"))
    def publish(self, request, queryset):
        self._run(request, queryset, services.promotion_publish)

    @admin.action(description=_("Cancel the selected events (asks for a reason)"))
    def cancel(self, request, queryset):
        form = CancelForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._run(
                request, queryset, services.promotion_cancel, reason=form.cleaned_data["reason"]
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Cancel promotion events"),
            "queryset": queryset,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/trade/promotion_cancel.html", context)
