"""django-axes wiring: the admin login locks out after repeated failures (settings.AXES_*)."""

from axes.backends import AxesStandaloneBackend
from django.urls import NoReverseMatch, reverse


class AdminLoginLockoutBackend(AxesStandaloneBackend):
    """Refuses locked-out admin logins; authentication itself is ModelBackend's, next in line.

    Django's test client and management commands authenticate without a request: no address and
    no login page, so nothing to lock (axes would raise instead).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def outside_admin(request, credentials) -> bool:
    """AXES_WHITELIST_CALLABLE: failures outside the admin site (the API token endpoint, which
    has its own throttles) are not recorded, so they never lock anyone out of the admin."""
    try:
        admin_root = reverse("admin:index")
    except NoReverseMatch:
        return True
    return not getattr(request, "path", "").startswith(admin_root)


def admin_username(request, credentials) -> str | None:
    """AXES_USERNAME_CALLABLE: the e-mail typed into the admin login form's `username` field,
    lower-cased as addresses are stored, so that case variants count against one account."""
    typed = (credentials or {}).get("username") or getattr(request, "POST", {}).get("username")
    return typed.strip().lower() if isinstance(typed, str) else None
