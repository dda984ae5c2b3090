"""Permissions shared by every app.

Scopes apply to partner API keys only: a request made with an API key must carry the scope that the
view asks for. Views declare `scope_prefix = "logistics"` (reads need `logistics:read`, writes need
`logistics:write`, and a write scope grants the read) or `required_scopes = {"action": "scope"}` for
finer control. A view that declares neither is closed to API keys: secure by default.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from agri_platform.accounts.choices import StaffRole

from .errors import alternatives

SAFE_METHODS = permissions.SAFE_METHODS

SCOPES = {
    "enterprises:read": _("Read enterprise profiles routed to the partner"),
    "certification:read": _("Read certificates and applications routed to the partner"),
    "certification:write": _("Act on certification applications (certification bodies)"),
    "logistics:read": _("Read assigned shipments"),
    "logistics:write": _("Post tracking events for assigned shipments"),
    "telemetry:write": _("Post sensor readings for assigned shipments"),
    "finance:read": _("Read financing requests routed to the partner"),
    "finance:write": _("Post offers on routed financing requests"),
    "legal:read": _("Read legal cases assigned to the law firm"),
    "legal:write": _("Act on and message in assigned legal cases"),
    "trade:read": _("Read the buyer's inquiries, quotes and messages"),
    "trade:write": _("Send inquiries, write messages, accept or decline quotes (buyers)"),
    "events:read": _("Read the event log of what is routed to the partner"),
    "webhooks:manage": _("Manage webhook endpoints and deliveries"),
}


def scope_granted(granted: list[str] | set[str], needed: str) -> bool:
    if needed in granted:
        return True
    area, _, level = needed.partition(":")
    return level == "read" and f"{area}:write" in granted


def required_scope(request, view) -> str | None:
    explicit = getattr(view, "required_scopes", None) or {}
    action = getattr(view, "action", None)
    if action in explicit:
        return explicit[action]
    if "*" in explicit:
        return explicit["*"]
    prefix = getattr(view, "scope_prefix", None)
    if not prefix:
        return None
    return f"{prefix}:read" if request.method in SAFE_METHODS else f"{prefix}:write"


def is_public(view) -> bool:
    """A view open to everyone (AllowAny): API keys may call it like anyone else."""
    return any(
        permission is permissions.AllowAny or getattr(permission, "public", False)
        for permission in getattr(view, "permission_classes", [])
    )


class HasRequiredScope(permissions.BasePermission):
    """API keys need the view's scope; people (token or session) are judged by role checks."""

    message = _("This API key lacks the scope this operation needs.")

    def has_permission(self, request, view):
        key = getattr(request, "auth", None)
        if not getattr(key, "is_api_key", False) or is_public(view):
            return True
        needed = required_scope(request, view)
        if needed is None:
            self.message = gettext("API keys cannot use this operation.")
            return False
        if not scope_granted(key.scopes, needed):
            self.message = gettext("This API key lacks the '%(scope)s' scope.") % {"scope": needed}
            return False
        return True


class IsPlatformStaff(permissions.BasePermission):
    message = _("Only platform staff may do this.")

    def has_permission(self, request, view):
        return bool(
            request.user and request.user.is_authenticated and request.user.is_platform_staff
        )


def staff_role_permission(*roles: str) -> type[permissions.BasePermission]:
    """Permission class allowing staff whose role is one of `roles` (platform admins always)."""

    class HasStaffRole(permissions.BasePermission):
        @property
        def message(self):
            return gettext("Only platform staff with role %(roles)s may do this.") % {
                "roles": alternatives(StaffRole, roles)
            }

        def has_permission(self, request, view):
            user = request.user
            return bool(user and user.is_authenticated and user.has_staff_role(*roles))

    HasStaffRole.__name__ = f"HasStaffRole_{'_'.join(roles)}"
    return HasStaffRole


class IsPartner(permissions.BasePermission):
    message = _("Only partner organisations may do this.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.partner_id)
