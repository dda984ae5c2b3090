"""One error shape everywhere: RFC 9457 problem details (application/problem+json).

{
  "type": "https://agri-trade.example/problems/validation_error",
  "title": "Invalid input",
  "status": 400,
  "detail": "One or more fields are invalid.",
  "code": "validation_error",
  "errors": [{"field": "uscc", "code": "invalid", "detail": "..."}]
}
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import DatabaseError, DataError, IntegrityError, InterfaceError, OperationalError
from django.db.models import ProtectedError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from . import errors

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://agri-trade.example/problems/"

_TITLES = {
    400: _("Invalid input"),
    401: _("Authentication required"),
    403: _("Forbidden"),
    404: _("Not found"),
    405: _("Method not allowed"),
    406: _("Not acceptable"),
    409: _("Conflict"),
    413: _("Payload too large"),
    415: _("Unsupported media type"),
    422: _("Unprocessable content"),
    429: _("Too many requests"),
    500: _("Internal server error"),
    503: _("Service unavailable"),
}


def flatten_field_errors(detail, prefix: str = "") -> list[dict]:
    """Turn DRF's nested ErrorDetail structure into a flat list of {field, code, detail}."""
    found: list[dict] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            if isinstance(key, int):  # DRF reports list items as {index: errors}
                field = f"{prefix}[{key}]"
                found.extend(flatten_field_errors(value, field))
                continue
            name = key if key != "non_field_errors" else ""
            field = f"{prefix}.{name}" if prefix and name else (prefix or name)
            found.extend(flatten_field_errors(value, field))
    elif isinstance(detail, list):
        all_scalars = all(not isinstance(item, dict | list) for item in detail)
        for index, item in enumerate(detail):
            field = prefix if all_scalars else f"{prefix}[{index}]"
            found.extend(flatten_field_errors(item, field))
    else:
        found.append(
            {
                "field": prefix or None,
                "code": getattr(detail, "code", "invalid"),
                "detail": str(detail),
            }
        )
    return found


def problem(status_code: int, detail: str, *, code: str, title: str | None = None, **extra):
    body = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": str(title or _TITLES.get(status_code) or gettext("Error")),
        "status": status_code,
        "detail": str(detail),
        "code": code,
    }
    body.update(extra)
    return body


def problem_response(status_code: int, body: dict, headers: dict | None = None) -> Response:
    response = Response(body, status=status_code, headers=headers)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _from_drf(exc: exceptions.APIException) -> tuple[int, dict, dict]:
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait) + 1)
    if isinstance(exc, exceptions.Throttled):
        return exc.status_code, problem(429, throttled_detail(exc.wait), code="throttled"), headers
    if isinstance(exc, exceptions.ValidationError):
        field_errors = flatten_field_errors(exc.detail)
        body = problem(
            400,
            gettext("One or more fields are invalid."),
            code="validation_error",
            errors=field_errors,
        )
        return 400, body, headers
    detail = exc.detail
    if isinstance(detail, list | dict):
        body = problem(
            exc.status_code,
            gettext("The request could not be processed."),
            code=exc.default_code,
            errors=flatten_field_errors(detail),
        )
    else:
        code = getattr(detail, "code", exc.default_code)
        body = problem(exc.status_code, str(detail), code=code)
    return exc.status_code, body, headers


def throttled_detail(wait: float | None) -> str:
    """ "Too many requests, retry in N seconds" in the request's language (DRF's own sentence is
    only half translated)."""
    if wait is None:
        return gettext("Too many requests; retry later.")
    seconds = int(wait) + 1
    return ngettext(
        "Too many requests; retry in %(seconds)d second.",
        "Too many requests; retry in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}


def _from_application_error(exc: errors.ApplicationError) -> tuple[int, dict, dict]:
    extra = dict(exc.extra)
    if exc.field:
        extra.setdefault(
            "errors", [{"field": exc.field, "code": exc.code, "detail": str(exc.detail)}]
        )
    body = problem(exc.status_code, exc.detail, code=exc.code, title=exc.title, **extra)
    retry_after = getattr(exc, "retry_after", None)
    return exc.status_code, body, ({"Retry-After": str(retry_after)} if retry_after else {})


def problem_details_handler(exc, context):
    """DRF exception handler: every error becomes problem details and rolls back the request."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    if isinstance(exc, RequestDataTooBig | SuspiciousOperation):
        status_code, body = _suspicious(exc)
        headers = {}
    elif isinstance(exc, exceptions.APIException):
        status_code, body, headers = _from_drf(exc)
    elif isinstance(exc, errors.ApplicationError):
        status_code, body, headers = _from_application_error(exc)
    elif isinstance(exc, ProtectedError):
        status_code, headers = status.HTTP_409_CONFLICT, {}
        body = problem(
            409,
            gettext("The object is still referenced and cannot be deleted."),
            code="protected",
        )
    elif isinstance(exc, IntegrityError):
        status_code, headers = status.HTTP_409_CONFLICT, {}
        body = problem(
            409, gettext("The change conflicts with existing data."), code="integrity_conflict"
        )
    elif isinstance(exc, OperationalError | InterfaceError):
        logger.warning("database unavailable: %s", exc)
        status_code, headers = status.HTTP_503_SERVICE_UNAVAILABLE, {"Retry-After": "5"}
        body = problem(
            503,
            gettext("The database is unavailable; retry shortly."),
            code="database_unavailable",
        )
    elif isinstance(exc, DataError):
        # A value that passed validation but the database cannot store: a NUL character, a number
        # beyond the column's precision, a date out of range (schemathesis found each). The
        # transaction is rolled back, so nothing is half-written; it is the caller's input: 400.
        logger.warning("database refused a value: %s", exc)
        status_code, headers = status.HTTP_400_BAD_REQUEST, {}
        body = problem(
            400,
            gettext("A value is out of range or contains characters that cannot be stored."),
            code="invalid_value",
        )
    elif isinstance(exc, DatabaseError):
        logger.exception("database error")
        status_code, headers = 500, {}
        body = problem(500, gettext("An unexpected error occurred."), code="server_error")
    else:
        return None  # let Django's 500 handler (also problem details) take it

    set_rollback()
    return problem_response(status_code, body, headers)


def _suspicious(exc) -> tuple[int, dict]:
    """Django's refusals of a request (body too big, too many fields, bad host ...)."""
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return 413, problem(
            413,
            gettext("The request body exceeds the limit of %(limit)d bytes.") % {"limit": limit},
            code="payload_too_large",
            limit_bytes=limit,
        )
    # Django's own reason (a bad Host header, too many fields) is English only: the operators' log
    # has it, the caller gets one sentence in its language.
    if str(exc):
        logger.info("request refused: %s", exc)
    return 400, problem(400, gettext("The request was refused."), code="bad_request")


# --- Django's error views: problem details under /api/, Django's HTML pages elsewhere -------------
# Wired in agri_platform/urls.py as handler400/403/404/500; they answer errors raised outside DRF
# (unknown URLs, middleware refusals, crashes).


def is_api_path(path: str) -> bool:
    return path.startswith("/api/")


def _is_api(request) -> bool:
    return is_api_path(request.path)


def _json_problem(status_code: int, body: dict) -> JsonResponse:
    return JsonResponse(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig) or _is_api(request):
        status_code, body = _suspicious(exception or SuspiciousOperation())
        if _is_api(request):
            return _json_problem(status_code, body)
        response = defaults.bad_request(request, exception)
        response.status_code = status_code
        return response
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if _is_api(request):
        return _json_problem(
            403,
            problem(
                403, gettext("You do not have permission to do this."), code="permission_denied"
            ),
        )
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if _is_api(request):
        return _json_problem(
            404,
            problem(
                404,
                gettext("No resource at %(path)s.") % {"path": request.path},
                code="not_found",
            ),
        )
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return _json_problem(
            500, problem(500, gettext("An unexpected error occurred."), code="server_error")
        )
    return defaults.server_error(request)
