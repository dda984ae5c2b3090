"""Domain errors raised by services; the exception handler turns each into problem details.

Services raise these instead of DRF exceptions so that they stay usable from tasks, the admin and
management commands. Each carries an HTTP status, a stable `code` and optional extra members.
"""

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def alternatives(choices, values) -> str:
    """The labels of `values` (members of the TextChoices `choices`, in the request's language)
    as one phrase: "Owner or Admin", "所有者或管理员". A value that is not a member reads as is."""
    labels = [str(choices(value).label) if value in choices.values else value for value in values]
    return gettext(" or ").join(labels)


class ApplicationError(Exception):
    status_code = 400
    code = "invalid"
    title = _("Invalid request")

    def __init__(
        self, detail: str, *, code: str | None = None, field: str | None = None, **extra: Any
    ):
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        self.field = field
        self.extra = extra


class ValidationFailed(ApplicationError):
    """Input that is well-formed but breaks a rule; `field` names the offending field."""


def check_length(text: str, limit: int, *, field: str) -> None:
    """A text a service stores: at most `limit` characters, else a 400 naming `field`."""
    if len(text) > limit:
        raise ValidationFailed(
            gettext("At most %(limit)d characters (this one has %(length)d).")
            % {"limit": limit, "length": len(text)},
            field=field,
        )


class PermissionDenied(ApplicationError):
    status_code = 403
    code = "permission_denied"
    title = _("Forbidden")


class NotFound(ApplicationError):
    status_code = 404
    code = "not_found"
    title = _("Not found")


class Conflict(ApplicationError):
    status_code = 409
    code = "conflict"
    title = _("Conflict")


class TransitionNotAllowed(Conflict):
    """A workflow action that the object's current status does not allow."""

    code = "transition_not_allowed"
    title = _("Transition not allowed")

    def __init__(
        self,
        *,
        action: str,
        current_status: str,
        allowed_actions: list[str],
        status_label: str | None = None,
    ):
        """`status_label` is what a person calls the state (the choice's label, in the request's
        language); `current_status` stays the machine value in the answer."""
        super().__init__(
            gettext("Cannot %(action)s while status is '%(status)s'.")
            % {"action": action, "status": status_label or current_status},
            current_status=current_status,
            allowed_actions=allowed_actions,
        )


class TooManyRequests(ApplicationError):
    """A rate a service counts itself (not a DRF throttle): `retry_after` seconds become the
    Retry-After header."""

    status_code = 429
    code = "throttled"
    title = _("Too many requests")

    def __init__(self, detail: str, *, retry_after: int, **extra: Any):
        super().__init__(detail, retry_after=retry_after, **extra)
        self.retry_after = retry_after


class ServiceUnavailable(ApplicationError):
    status_code = 503
    code = "service_unavailable"
    title = _("Service unavailable")
