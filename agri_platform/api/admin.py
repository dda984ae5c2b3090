from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .errors import ApplicationError
from .models import IdempotencyKey

# Role sets for StaffRoleAdminMixin besides a tuple of StaffRole values.
ANY_STAFF = "any-staff"  # every platform staff member (any staff role, or a superuser)
NOBODY = "nobody"  # no one, not even platform admins: changes go through services and actions


class StaffRoleAdminMixin:
    """Admin access by platform staff role rather than Django model permissions (one rule for every
    app's admin).

    `view_roles`, `change_roles`, `add_roles` (None: the same as `change_roles`) and `delete_roles`
    each hold a tuple of StaffRole values, `ANY_STAFF` or `NOBODY`. A tuple admits those roles plus
    platform admins and superusers (`User.has_staff_role`), so `()` means platform admins and
    superusers only. With `django_permissions_too` (the default) model permissions granted in the
    Django admin also admit a user, except where the set is `NOBODY`.
    """

    view_roles: tuple[str, ...] | str = ANY_STAFF
    change_roles: tuple[str, ...] | str = ("officer",)
    add_roles: tuple[str, ...] | str | None = None
    delete_roles: tuple[str, ...] | str = ()
    django_permissions_too: bool = True

    def _role_allows(self, request, roles) -> bool:
        user = request.user
        if roles == NOBODY or not (user.is_authenticated and user.is_active and user.is_staff):
            return False
        if roles == ANY_STAFF:
            return user.is_platform_staff
        return user.has_staff_role(*roles)

    def _allows(self, request, roles, django_check) -> bool:
        if self._role_allows(request, roles):
            return True
        return roles != NOBODY and self.django_permissions_too and django_check()

    def has_module_permission(self, request):
        return self._allows(
            request,
            self.view_roles,
            lambda: super(StaffRoleAdminMixin, self).has_module_permission(request),
        )

    def has_view_permission(self, request, obj=None):
        return self._allows(
            request,
            self.view_roles,
            lambda: super(StaffRoleAdminMixin, self).has_view_permission(request, obj),
        )

    def has_change_permission(self, request, obj=None):
        return self._allows(
            request,
            self.change_roles,
            lambda: super(StaffRoleAdminMixin, self).has_change_permission(request, obj),
        )

    def has_add_permission(self, request, *args, **kwargs):
        roles = self.change_roles if self.add_roles is None else self.add_roles
        return self._allows(
            request,
            roles,
            lambda: super(StaffRoleAdminMixin, self).has_add_permission(request, *args, **kwargs),
        )

    def has_delete_permission(self, request, obj=None):
        return self._allows(
            request,
            self.delete_roles,
            lambda: super(StaffRoleAdminMixin, self).has_delete_permission(request, obj),
        )


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    list_display = ["owner", "key", "method", "path", "state", "response_status", "created_at"]
    list_filter = ["state", "method"]
    search_fields = ["owner", "key", "path"]
    readonly_fields = [field.name for field in IdempotencyKey._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AgeFilter(admin.SimpleListFilter):
    """How long ago the object came in (`date_field`): staff find the oldest waiting ones first."""

    title = _("age")
    parameter_name = "age"
    date_field = "created_at"
    BUCKETS = {"1": 1, "3": 3, "7": 7, "30": 30}

    def lookups(self, request, model_admin):
        return [
            (
                key,
                ngettext("older than %(days)d day", "older than %(days)d days", days)
                % {"days": days},
            )
            for key, days in self.BUCKETS.items()
        ]

    def queryset(self, request, queryset):
        days = self.BUCKETS.get(self.value() or "")
        if days is None:
            return queryset
        cutoff = timezone.now() - timedelta(days=days)
        return queryset.filter(**{f"{self.date_field}__lte": cutoff})


@dataclass(frozen=True)
class ServiceActions:
    """Admin actions that call a workflow service once per selected row: a failure on one row is an
    error message naming it, the others still go through; reasons are asked on an intermediate page
    (`reason_template`, which posts `apply` back with the selection).

    The service is called as `service(<row_argument>=row, <actor_argument>=request.user, **more)`;
    `done_messages[action](count)` says what was done.
    """

    row_argument: str
    actor_argument: str
    name_of: Callable[[object], str]
    done_messages: dict[str, Callable[[int], str]]
    reason_form: type[forms.Form]
    reason_template: str
    select_related: tuple[str, ...] = ()

    def run(self, modeladmin, request, queryset, service, action, **arguments) -> None:
        done = 0
        for row in queryset.select_related(*self.select_related):
            try:
                service(**{self.row_argument: row, self.actor_argument: request.user}, **arguments)
                done += 1
            except ApplicationError as exc:
                modeladmin.message_user(
                    request,
                    gettext("%(row)s: %(problem)s")
                    % {"row": self.name_of(row), "problem": exc.detail},
                    level=messages.ERROR,
                )
        if done:
            message = self.done_messages[action](done) % {"count": done}
            modeladmin.message_user(request, message, level=messages.SUCCESS)

    def with_reason(self, modeladmin, request, queryset, service, action, title):
        if "apply" in request.POST:
            form = self.reason_form(request.POST)
            if form.is_valid():
                reason = form.cleaned_data["reason"]
                self.run(modeladmin, request, queryset, service, action, reason=reason)
                return None
        else:
            form = self.reason_form()
        return TemplateResponse(
            request,
            self.reason_template,
            {
                **modeladmin.admin_site.each_context(request),
                "title": title,
                "queryset": queryset.select_related(*self.select_related),
                "form": form,
                "action": action,
                "opts": modeladmin.model._meta,
            },
        )
