"""Domain errors raised by services; the exception handler turns each into problem details.

Services raise these instead of DRF exceptions so that they stay usable from tasks, the admin and
management commands. Each carries an HTTP status, a stable `code` and optional extra members.
"""

from typing import Any


class ApplicationError(Exception):
    status_code = 400
    code = "invalid"
    title = "Invalid request"

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


class PermissionDenied(ApplicationError):
    status_code = 403
    code = "permission_denied"
    title = "Forbidden"


class NotFound(ApplicationError):
    status_code = 404
    code = "not_found"
    title = "Not found"


class Conflict(ApplicationError):
    status_code = 409
    code = "conflict"
    title = "Conflict"


class TransitionNotAllowed(Conflict):
    """A workflow action that the object's current status does not allow."""

    code = "transition_not_allowed"
    title = "Transition not allowed"

    def __init__(self, *, action: str, current_status: str, allowed_actions: list[str]):
        super().__init__(
            f"Cannot {action} while status is '{current_status}'.",
            current_status=current_status,
            allowed_actions=allowed_actions,
        )


class ServiceUnavailable(ApplicationError):
    status_code = 503
    code = "service_unavailable"
    title = "Service unavailable"
