from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import webhooks
from .models import (
    EmailMessage,
    Event,
    Notification,
    NotificationPreference,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "enterprise", "occurred_at", "dispatched_at", "for_all_partners"]
    list_filter = ["kind", "for_all_partners", ("dispatched_at", admin.EmptyFieldListFilter)]
    search_fields = ["kind", "subject_id"]
    date_hierarchy = "occurred_at"
    raw_id_fields = ["enterprise", "actor"]
    filter_horizontal = ["partners"]
    readonly_fields = [
        "kind",
        "payload",
        "enterprise",
        "for_all_partners",
        "actor",
        "subject_type",
        "subject_id",
        "occurred_at",
        "dispatched_at",
    ]
    actions = ["requeue"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Re-queue dispatch of the selected undispatched events"))
    def requeue(self, request, queryset):
        from .services import queue_dispatch

        ids = list(queryset.filter(dispatched_at__isnull=True).values_list("pk", flat=True))
        for event_id in ids:
            queue_dispatch(event_id)
        self.message_user(
            request,
            gettext("Events queued: %(count)d.") % {"count": len(ids)},
        )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "kind", "title", "created_at", "read_at", "email"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "title"]
    raw_id_fields = ["user", "event", "email"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_muted_kinds", "updated_at"]
    raw_id_fields = ["user"]


@admin.register(EmailMessage)
class EmailMessageAdmin(admin.ModelAdmin):
    """What the platform told a person, exactly as sent: read-only."""

    list_display = [
        "id",
        "to_address",
        "kind",
        "subject",
        "language",
        "status",
        "send_after",
        "sent_at",
        "attempts",
    ]
    list_filter = ["status", "kind", "language"]
    search_fields = ["to_address", "subject"]
    fieldsets = [
        (_("Message"), {"fields": ["to_address", "language", "subject", "body"]}),
        (
            _("Delivery"),
            {
                "fields": [
                    "user",
                    "kind",
                    "status",
                    "send_after",
                    "created_at",
                    "sending_started_at",
                    "sent_at",
                    "attempts",
                    "error",
                ]
            },
        ),
    ]
    readonly_fields = [
        "to_address",
        "language",
        "subject",
        "body",
        "user",
        "kind",
        "status",
        "send_after",
        "created_at",
        "sending_started_at",
        "sent_at",
        "attempts",
        "error",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # staff may read what a user was told, never rewrite it


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(SimpleHistoryAdmin):
    list_display = ["id", "partner", "url", "is_active", "consecutive_failures", "disabled_at"]
    list_filter = ["is_active", "partner"]
    search_fields = ["url", "partner__name"]
    exclude = ["secret", "previous_secret"]
    readonly_fields = [
        "previous_secret_expires_at",
        "consecutive_failures",
        "disabled_at",
        "disabled_reason",
        "created_by",
        "archived_at",
        "archived_by",
    ]

    def has_delete_permission(self, request, obj=None):
        return False  # endpoints are archived (API DELETE), their delivery history is kept

    def save_model(self, request, obj, form, change):
        if not obj.secret:
            obj.secret = webhooks.new_secret()
            messages.info(
                request,
                gettext("Webhook secret (shown once): %(secret)s") % {"secret": obj.secret},
            )
        super().save_model(request, obj, form, change)


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = [
        "number",
        "outcome",
        "started_at",
        "finished_at",
        "duration_ms",
        "status_code",
        "response_body",
        "error",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "msg_id",
        "kind",
        "endpoint",
        "status",
        "attempt_count",
        "last_status_code",
        "next_attempt_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["msg_id", "endpoint__url"]
    raw_id_fields = ["endpoint", "event"]
    readonly_fields = [
        "endpoint",
        "event",
        "msg_id",
        "kind",
        "body",
        "status",
        "next_attempt_at",
        "claim_token",
        "attempt_count",
        "round_attempts",
        "last_status_code",
        "last_error",
        "created_at",
        "delivered_at",
    ]
    inlines = [WebhookAttemptInline]
    actions = ["redeliver"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Redeliver the selected deliveries"))
    def redeliver(self, request, queryset):
        from agri_platform.api.errors import Conflict

        done, refused = 0, 0
        for delivery in queryset:
            try:
                webhooks.delivery_redeliver(delivery=delivery)
                done += 1
            except Conflict:
                refused += 1
        self.message_user(
            request,
            gettext("%(done)d queued for redelivery; %(refused)d refused (endpoint disabled).")
            % {"done": done, "refused": refused},
        )
