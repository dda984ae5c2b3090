"""Staff UI for certification. Every state change goes through services.py, as in the API."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from agri_platform.api.admin import NOBODY
from agri_platform.api.admin import StaffRoleAdminMixin as SharedStaffRoleAdminMixin
from agri_platform.api.admin_documents import (
    DOCUMENT_INLINE_FIELDS,
    DocumentDownloadAdminMixin,
    ReadOnlyDocumentInline,
)
from agri_platform.api.errors import ApplicationError

from . import services
from .choices import AWAITING_STAFF_STATUSES, ApplicationAction
from .models import (
    Application,
    ApplicationDocument,
    Certificate,
    CertificateDocument,
    CertificateEvent,
    MarketRequirement,
    Scheme,
    TimelineEntry,
)

REVIEW_ROLES = services.REVIEW_ROLES

# What the review and status pages call each workflow action (the API keeps the codes).
ACTION_LABELS = {
    "edit": _("Edit"),
    ApplicationAction.SUBMIT: _("Submit"),
    ApplicationAction.CLAIM: _("Claim"),
    ApplicationAction.ASSIGN: _("Assign"),
    ApplicationAction.REQUEST_CHANGES: _("Request changes"),
    ApplicationAction.APPROVE: _("Approve"),
    ApplicationAction.REJECT: _("Reject"),
    ApplicationAction.WITHDRAW: _("Withdraw"),
    "suspend": _("Suspend"),
    "reinstate": _("Reinstate"),
    "revoke": _("Revoke"),
    "renew": _("Renew"),
}


def action_labels(actions: list[str]) -> list[str]:
    return [str(ACTION_LABELS.get(action, action)) for action in actions]


class StaffRoleAdminMixin(SharedStaffRoleAdminMixin):
    """Certification pages: reviewers and officers (and platform admins, superusers) may look; the
    pages say who may change what; applications and certificates change only through the review
    actions (services.py), never by editing the row."""

    view_roles = REVIEW_ROLES
    change_roles = NOBODY
    delete_roles = NOBODY
    django_permissions_too = False


# --- catalogue --------------------------------------------------------------------------------


@admin.register(Scheme)
class SchemeAdmin(StaffRoleAdminMixin, SimpleHistoryAdmin):
    change_roles = add_roles = ("officer",)
    list_display = [
        "code",
        "name_en",
        "name_zh",
        "level",
        "validity",
        "review_sla_days",
        "certificate_prefix",
        "certification_body",
        "is_active",
    ]
    list_filter = ["level", "is_active", "certification_body"]
    list_select_related = ["certification_body"]
    search_fields = ["code", "name_en", "name_zh"]

    @admin.display(description=_("validity"))
    def validity(self, scheme):
        return scheme.validity_label


@admin.register(MarketRequirement)
class MarketRequirementAdmin(StaffRoleAdminMixin, SimpleHistoryAdmin):
    change_roles = add_roles = ("reviewer", "officer")
    list_display = [
        "id",
        "destination_country",
        "destination_group",
        "product_category",
        "hs_prefix",
        "scheme",
        "document_type",
        "alternative_group",
        "effect",
        "is_active",
    ]
    list_filter = ["destination_group", "product_category", "scheme", "document_type", "is_active"]
    search_fields = ["note", "source", "hs_prefix", "destination_country__name_en"]
    autocomplete_fields: list[str] = []
    list_select_related = ["destination_country", "scheme"]


# --- applications -----------------------------------------------------------------------------


class SlaBreachedFilter(admin.SimpleListFilter):
    title = _("review time limit")
    parameter_name = "sla"

    def lookups(self, request, model_admin):
        return [("breached", _("Overdue")), ("within", _("Within the time limit"))]

    def queryset(self, request, queryset):
        breached = Q(status__in=AWAITING_STAFF_STATUSES, sla_due_at__lt=timezone.now())
        if self.value() == "breached":
            return queryset.filter(breached)
        if self.value() == "within":
            return queryset.exclude(breached)
        return queryset


class AgeFilter(admin.SimpleListFilter):
    title = _("waiting since")
    parameter_name = "age"
    DAYS = {"7": 7, "14": 14, "30": 30}

    def lookups(self, request, model_admin):
        return [
            (
                key,
                ngettext("more than %(days)d day", "more than %(days)d days", days)
                % {"days": days},
            )
            for key, days in self.DAYS.items()
        ]

    def queryset(self, request, queryset):
        days = self.DAYS.get(self.value() or "")
        if days is None:
            return queryset
        return queryset.filter(submitted_at__lte=timezone.now() - timedelta(days=days))


class TimelineInline(admin.TabularInline):
    model = TimelineEntry
    extra = 0
    can_delete = False
    fields = ["created_at", "action", "actor", "from_status", "to_status", "comment", "internal"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_staff_role(*REVIEW_ROLES)


class DocumentInline(ReadOnlyDocumentInline):
    model = ApplicationDocument
    fields = ["kind", *DOCUMENT_INLINE_FIELDS]

    def has_view_permission(self, request, obj=None):
        return request.user.has_staff_role(*REVIEW_ROLES)


class ReviewForm(forms.Form):
    ACTIONS = [
        (ApplicationAction.CLAIM, _("Claim (start reviewing)")),
        (ApplicationAction.APPROVE, _("Approve and issue the certificate")),
        (ApplicationAction.REQUEST_CHANGES, _("Request changes")),
        (ApplicationAction.REJECT, _("Reject")),
        (ApplicationAction.NOTE, _("Add an internal note only")),
    ]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the enterprise (required to request changes or reject)."),
    )
    note = forms.CharField(
        label=_("Internal note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Staff only: the enterprise never sees it."),
    )


def run_review_action(*, actor, application, action: str, comment: str, note: str):
    """The admin's form → the same services as the API."""
    if action == ApplicationAction.CLAIM:
        services.application_claim(actor=actor, application=application, note=note)
    elif action == ApplicationAction.APPROVE:
        services.application_approve(
            actor=actor, application=application, comment=comment, note=note
        )
    elif action == ApplicationAction.REQUEST_CHANGES:
        services.application_request_changes(
            actor=actor, application=application, comment=comment, note=note
        )
    elif action == ApplicationAction.REJECT:
        services.application_reject(actor=actor, application=application, reason=comment, note=note)
    elif action == ApplicationAction.NOTE:
        services.application_add_note(actor=actor, application=application, comment=note or comment)


@admin.register(Application)
class ApplicationAdmin(DocumentDownloadAdminMixin, StaffRoleAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "id",
        "enterprise",
        "scheme",
        "status",
        "reviewer",
        "submitted_at",
        "sla_due_at",
        "sla_state",
    ]
    list_filter = [
        "status",
        "scheme",
        ("enterprise__prefecture", admin.RelatedOnlyFieldListFilter),
        ("reviewer", admin.RelatedOnlyFieldListFilter),
        SlaBreachedFilter,
        AgeFilter,
    ]
    list_select_related = ["enterprise", "scheme", "reviewer"]
    search_fields = ["enterprise__name_zh", "enterprise__name_en", "scheme__code"]
    ordering = ["submitted_at", "id"]
    actions = ["claim_selected"]
    inlines = [DocumentInline, TimelineInline]
    document_inline = DocumentInline
    fields = [
        "review_link",
        "enterprise",
        "scheme",
        "status",
        "reviewer",
        "scope_products",
        "scope_bases",
        "scope_note",
        "renewal_of",
        "submitted_at",
        "last_submitted_at",
        "sla_due_at",
        "decided_at",
        "decided_by",
        "decision_reason",
        "created_by",
        "created_at",
    ]
    readonly_fields = ["review_link"]

    @admin.display(description=_("review time limit"))
    def sla_state(self, application):
        if application.status in AWAITING_STAFF_STATUSES and application.sla_due_at:
            if application.sla_due_at < timezone.now():
                return gettext("Overdue")
            return gettext("Within the time limit")
        return "-"

    @admin.display(description=_("review"))
    def review_link(self, application):
        if application.pk is None:
            return "-"
        url = reverse("admin:certification_application_review", args=[application.pk])
        return format_html(
            '<a class="button" href="{}">{}</a>', url, gettext("Review: approve, reject, …")
        )

    @admin.action(description=_("Claim the selected applications for review"))
    def claim_selected(self, request, queryset):
        claimed, refused = 0, []
        for application in queryset.order_by("submitted_at", "id"):
            try:
                services.application_claim(actor=request.user, application=application)
                claimed += 1
            except ApplicationError as exc:
                refused.append(f"#{application.pk}: {exc.detail}")
        if claimed:
            message = ngettext(
                "Claimed %(count)d application.", "Claimed %(count)d applications.", claimed
            ) % {"count": claimed}
            self.message_user(request, message, messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    def get_urls(self):
        return [
            path(
                "<int:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="certification_application_review",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request, object_id: int):
        if not request.user.has_staff_role(*REVIEW_ROLES):
            raise DjangoPermissionDenied
        application = get_object_or_404(
            Application.objects.select_related("enterprise", "scheme", "reviewer"), pk=object_id
        )
        form = ReviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                run_review_action(
                    actor=request.user,
                    application=application,
                    action=form.cleaned_data["action"],
                    comment=form.cleaned_data["comment"],
                    note=form.cleaned_data["note"],
                )
            except ApplicationError as exc:
                form.add_error(None, exc.detail)
            else:
                self.message_user(request, gettext("Done."), messages.SUCCESS)
                return redirect("admin:certification_application_review", object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Review application #%(id)s") % {"id": application.pk},
            "application": application,
            "allowed_actions": action_labels(
                services.APPLICATION_WORKFLOW.allowed(application.status)
            ),
            "documents": application.documents.all(),
            "timeline": application.timeline.select_related("actor").order_by("id"),
            "certificate": Certificate.objects.filter(application=application).first(),
            "form": form,
        }
        return TemplateResponse(request, "admin/certification/application/review.html", context)


# --- certificates -----------------------------------------------------------------------------


class CertificateEventInline(admin.TabularInline):
    model = CertificateEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "action", "actor", "from_status", "to_status", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_staff_role(*REVIEW_ROLES)


class CertificateDocumentInline(admin.TabularInline):
    """The PDFs issued for the certificate and their SHA-256: written by the platform, never here."""

    model = CertificateDocument
    extra = 0
    can_delete = False
    fields = ["issued_at", "stored_name", "size", "sha256"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def stored_name(self, document):
        return document.file.name  # not a link: nothing is served from /media/

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CertificateStatusForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[(action, ACTION_LABELS[action]) for action in ("suspend", "reinstate", "revoke")],
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


CERTIFICATE_SERVICES = {
    "suspend": services.certificate_suspend,
    "reinstate": services.certificate_reinstate,
    "revoke": services.certificate_revoke,
}


@admin.register(Certificate)
class CertificateAdmin(StaffRoleAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "enterprise", "scheme", "status", "issue_date", "expiry_date"]
    list_filter = ["status", "scheme"]
    list_select_related = ["enterprise", "scheme"]
    search_fields = ["number", "enterprise__name_zh", "enterprise__name_en"]
    date_hierarchy = "expiry_date"
    inlines = [CertificateEventInline, CertificateDocumentInline]
    fields = [
        "status_link",
        "number",
        "enterprise",
        "scheme",
        "application",
        "scope_summary",
        "scope_products",
        "scope_bases",
        "issue_date",
        "expiry_date",
        "status",
        "status_reason",
        "status_changed_at",
        "status_changed_by",
        "issued_by",
    ]
    readonly_fields = ["status_link"]

    @admin.display(description=_("status actions"))
    def status_link(self, certificate):
        if certificate.pk is None:
            return "-"
        url = reverse("admin:certification_certificate_status", args=[certificate.pk])
        return format_html(
            '<a class="button" href="{}">{}</a>', url, gettext("Suspend, reinstate, revoke…")
        )

    def get_urls(self):
        return [
            path(
                "<int:object_id>/status/",
                self.admin_site.admin_view(self.status_view),
                name="certification_certificate_status",
            ),
            *super().get_urls(),
        ]

    def status_view(self, request, object_id: int):
        if not request.user.has_staff_role(*REVIEW_ROLES):
            raise DjangoPermissionDenied
        certificate = get_object_or_404(
            Certificate.objects.select_related("enterprise", "scheme"), pk=object_id
        )
        form = CertificateStatusForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                CERTIFICATE_SERVICES[form.cleaned_data["action"]](
                    actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
                )
            except ApplicationError as exc:
                form.add_error(None, exc.detail)
            else:
                self.message_user(request, gettext("Done."), messages.SUCCESS)
                return redirect("admin:certification_certificate_change", object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Certificate %(number)s: change status")
            % {"number": certificate.number},
            "certificate": certificate,
            "allowed_actions": action_labels(
                services.CERTIFICATE_WORKFLOW.allowed(certificate.status)
            ),
            "events": certificate.events.select_related("actor").order_by("id"),
            "form": form,
        }
        return TemplateResponse(request, "admin/certification/certificate/status.html", context)
