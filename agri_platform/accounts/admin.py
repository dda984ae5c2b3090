from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiKey, AuthToken, Membership, Partner, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    """People and service accounts; the History button shows who changed what, and when."""

    ordering = ["email"]
    list_display = ["email", "full_name", "staff_role", "partner", "is_active", "is_staff"]
    list_filter = ["staff_role", "is_active", "is_staff", "partner__kind"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["full_name", "language", "timezone"]}),
        (_("Role"), {"fields": ["staff_role", "partner", "is_service_account"]}),
        (
            _("Access"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "password1", "password2", "staff_role", "partner"],
            },
        ),
    ]


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    extra = 0
    fields = ["name", "prefix", "scopes", "language", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["prefix", "last_used_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # keys are created through the API, which shows the plaintext once


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "country", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "name_zh"]
    inlines = [ApiKeyInline]
    readonly_fields = ["service_user"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "enterprise", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "enterprise__name_zh", "enterprise__name_en"]
    raw_id_fields = ["user", "enterprise"]


@admin.register(AuthToken)
class AuthTokenAdmin(admin.ModelAdmin):
    list_display = [
        "prefix",
        "user",
        "name",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    search_fields = ["user__email", "prefix"]
    readonly_fields = ["prefix", "digest", "user", "created_at", "last_used_at"]


@admin.register(ApiKey)
class ApiKeyAdmin(SimpleHistoryAdmin):
    """Keys are created through the API (which shows the plaintext once); here staff can read,
    change the name, scopes or expiry, and revoke (set revoked_at)."""

    list_display = [
        "prefix",
        "partner",
        "name",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["partner__kind"]
    search_fields = ["prefix", "name", "partner__name"]
    readonly_fields = ["partner", "prefix", "digest", "created_by", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False
