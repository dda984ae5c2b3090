"""django-axes wiring: the admin's and the portal's sign-in pages lock out after repeated failures
(settings.AXES_*)."""

from axes.backends import AxesStandaloneBackend
from django.urls import NoReverseMatch, reverse


class AdminLoginLockoutBackend(AxesStandaloneBackend):
    """Refuses locked-out logins on the admin's and the portal's sign-in pages; authentication itself is ModelBackend's, next in line.

    Django's test client and management commands authenticate without a request: no address and
    no login page, so nothing to lock (axes would raise instead).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def _guarded_paths() -> tuple[str, ...]:
    """The admin site and the portal's sign-in page: where wrong passwords count."""
    paths = []
    for name in ("admin:index", "portal:login"):
        try:
            paths.append(reverse(name))
        except NoReverseMatch:
            continue
    return tuple(paths)


def outside_admin(request, credentials) -> bool:
    """AXES_WHITELIST_CALLABLE: failures outside the admin site and the portal's sign-in page
    (the API token endpoint, which has its own throttles) are not recorded, so they never lock
    anyone out of either."""
    guarded = _guarded_paths()
    return not (guarded and getattr(request, "path", "").startswith(guarded))


def admin_username(request, credentials) -> str | None:
    """AXES_USERNAME_CALLABLE: the e-mail typed into the login form's `username` field (the
    admin's and the portal's),
    lower-cased as addresses are stored, so that case variants count against one account."""
    typed = (credentials or {}).get("username") or getattr(request, "POST", {}).get("username")
    return typed.strip().lower() if isinstance(typed, str) else None
