"""OpenAPI: component names, our authentication schemes and the problem-details responses.

`AutoSchema` names request components `<Thing>Request` without doubled suffixes
(`TokenRequestSerializer` gives `TokenRequest`, not `TokenRequestRequest`). Descriptions never come
from docstrings (`DISABLE_DOCSTRING_DESCRIPTIONS`): each operation states its summary and description
with `extend_schema`, a component its description with `extend_schema_serializer`; an operation
without both is a schema warning, so `spectacular --fail-on-warn` fails on it.

`add_problem_responses` is a drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS). It adds
reusable `application/problem+json` responses to each operation, without replacing a response a view
documents itself, and the `Idempotency-Key` header to every write that honours it.
"""

import re

from drf_spectacular.drainage import warn
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework.permissions import AllowAny

from .exceptions import PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE


def clean_component_name(name: str) -> str:
    """A serializer named for the input it reads (`ProductInput`, `TokenRequest`) gets a second
    "Request" from COMPONENT_SPLIT_REQUEST: `ProductInputRequest`, `TokenRequestRequest`."""
    name = re.sub(r"InputRequest$", "Request", name)
    return re.sub(r"RequestRequest$", "Request", name)


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is not None and not (
            operation.get("summary") and operation.get("description")
        ):
            # A warning fails `spectacular --fail-on-warn` (CI) at the operation that lacks them.
            warn(
                f"{self.method} {self.path}: give the operation a summary and a description "
                "(extend_schema or extend_schema_view on the view)."
            )
        return operation

    def _get_serializer_name(self, serializer, direction, bypass_extensions=False) -> str:
        return clean_component_name(
            super()._get_serializer_name(serializer, direction, bypass_extensions)
        )


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "agri_platform.api.authentication.BearerTokenAuthentication"
    name = "BearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "People: `Authorization: Bearer <token>` from `POST /api/v1/auth/token/`.",
        }


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "agri_platform.api.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Partner systems: `Authorization: Api-Key <key>`",
        }


FIELD_ERROR = {
    "type": "object",
    "properties": {
        "field": {
            "type": "string",
            "nullable": True,
            "description": "Dotted path of the field (`items[0].qty`); null for the whole body.",
        },
        "code": {"type": "string", "example": "required"},
        "detail": {"type": "string", "example": "This field is required."},
    },
    "required": ["field", "code", "detail"],
}

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details. Extra members (e.g. `current_status`, "
    "`allowed_actions`, `limit_bytes`) appear where the `code` says so.",
    "properties": {
        "type": {"type": "string", "format": "uri", "example": PROBLEM_TYPE_BASE + "not_found"},
        "title": {"type": "string", "example": "Not found"},
        "status": {"type": "integer", "example": 404},
        "detail": {"type": "string", "example": "Not found."},
        "code": {"type": "string", "example": "not_found"},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ProblemFieldError"}},
    },
    "required": ["type", "title", "status", "detail", "code"],
    "additionalProperties": True,
}

# status → (component name, description)
RESPONSES = {
    400: (
        "BadRequest",
        "Invalid input: malformed JSON, unknown or read-only fields, field errors.",
    ),
    401: ("Unauthorized", "No, invalid, expired or revoked credentials."),
    403: ("Forbidden", "The caller may not do this (role, tenant rule or API-key scope)."),
    404: ("NotFound", "No such object, or not one the caller may see."),
    406: ("NotAcceptable", "The Accept header asks for a format the API cannot produce."),
    409: (
        "Conflict",
        "A conflicting state: a transition the status does not allow, a duplicate, or a request "
        "with the same Idempotency-Key still in flight.",
    ),
    413: ("PayloadTooLarge", "The body is larger than the limit (`limit_bytes`)."),
    415: ("UnsupportedMediaType", "The Content-Type (or an uploaded file's type) is not accepted."),
    422: ("IdempotencyKeyReused", "The Idempotency-Key was used before with another request."),
    429: ("TooManyRequests", "Throttled; the `Retry-After` header says when to try again."),
    500: ("ServerError", "An unexpected error; nothing was written."),
    503: (
        "ServiceUnavailable",
        "The database (or the store behind `Idempotency-Key`) cannot be reached: "
        "`code` is `database_unavailable`; nothing was written; retry after `Retry-After` seconds.",
    ),
}

RETRY_AFTER = {
    "Retry-After": {
        "schema": {"type": "integer"},
        "description": "Seconds to wait before retrying.",
    }
}

IDEMPOTENCY_PARAMETER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": 255,
        "pattern": "^[\\x21-\\x7e]([\\x20-\\x7e]*[\\x21-\\x7e])?$",
    },
    "description": "Makes the request safe to retry: a replay with the same key and body returns "
    "the first response (with `Idempotent-Replayed: true`); another body with the same key is a "
    "422; a replay while the first is running is a 409. Keys are kept 24 hours.",
}

WRITE_METHODS = ("post", "put", "patch")


def _component_responses() -> dict:
    components = {}
    for status_code, (name, description) in RESPONSES.items():
        response = {
            "description": description,
            "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        if status_code in (429, 503):
            response["headers"] = RETRY_AFTER
        components[name] = response
    return components


def _views_by_operation(generator) -> dict:
    views = {}
    for path, _regex, method, callback in generator.endpoints or []:
        view = generator.create_view(callback, method)
        views[generator.coerce_path(path, method, view), method.lower()] = view
    return views


def _is_public(view) -> bool:
    try:
        permissions = view.get_permissions()
    except Exception:  # a view whose permissions depend on a real request: treat as protected
        return False
    return any(
        isinstance(permission, AllowAny) or getattr(permission, "public", False)
        for permission in permissions
    )


def _takes_idempotency_key(method: str, view) -> bool:
    return (
        method in WRITE_METHODS
        and view is not None
        and not getattr(view, "idempotency_exempt", False)
        and not _is_public(view)
    )


def _statuses_for(path: str, method: str, operation: dict, view) -> list[int]:
    public = view is not None and _is_public(view)
    has_body = "requestBody" in operation
    # An invalid Idempotency-Key header is a 400 too, even on a write without body or parameters.
    takes_input = has_body or operation.get("parameters") or _takes_idempotency_key(method, view)
    statuses = [400] if takes_input else []
    if not public:
        statuses += [401, 403]
    parameter_names = {
        p.get("name") for p in operation.get("parameters", []) if p.get("in") == "query"
    }
    # Paginated lists answer 404 for a page past the last one (a cursor the API did not issue is a
    # 400 naming `cursor`, agri_platform/api/pagination.py).
    if "{" in path or parameter_names & {"page", "cursor"}:
        statuses.append(404)
    statuses.append(406)
    if method in WRITE_METHODS or method == "delete":  # deleting a referenced object is a 409
        statuses.append(409)
    if has_body:
        statuses += [413, 415]
    if method in WRITE_METHODS and not public and not getattr(view, "idempotency_exempt", False):
        statuses.append(422)
    # Every operation reads the database (credentials, objects, the Idempotency-Key row); when it
    # cannot be reached the exception handler answers 503 (agri_platform/api/exceptions.py).
    statuses += [429, 500, 503]
    # Problems a view answers beyond the usual ones, e.g. the public token view's 401 for a wrong
    # password (schemathesis found it undocumented).
    statuses += [s for s in getattr(view, "extra_problem_statuses", ()) if s not in statuses]
    return sorted(statuses)


def _close_request_bodies(result: dict, views: dict) -> None:
    """Unknown fields in a write are a 400 (views.ApiMixin.reject_unknown_fields): say so in the
    schema with `additionalProperties: false` on the request bodies (found by schemathesis)."""
    schemas = result.get("components", {}).get("schemas", {})
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            view = views.get((path, method))
            if view is None or not getattr(view, "reject_unknown_fields", False):
                continue
            for media in operation.get("requestBody", {}).get("content", {}).values():
                ref = media.get("schema", {}).get("$ref", "")
                component = schemas.get(ref.rsplit("/", 1)[-1]) if ref else None
                if component and component.get("type") == "object":
                    component.setdefault("additionalProperties", False)


def add_problem_responses(result, generator, request, public):
    components = result.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.setdefault("Problem", PROBLEM)
    schemas.setdefault("ProblemFieldError", FIELD_ERROR)
    components.setdefault("responses", {}).update(_component_responses())
    views = _views_by_operation(generator)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete", "head", "options"):
                continue
            view = views.get((path, method))
            responses = operation.setdefault("responses", {})
            for status_code in _statuses_for(path, method, operation, view):
                responses.setdefault(
                    str(status_code),
                    {"$ref": f"#/components/responses/{RESPONSES[status_code][0]}"},
                )
            if _takes_idempotency_key(method, view):
                parameters = operation.setdefault("parameters", [])
                if not any(p.get("name") == "Idempotency-Key" for p in parameters):
                    parameters.append(IDEMPOTENCY_PARAMETER)
    _close_request_bodies(result, views)
    _bound_number_parameters(result)
    _require_a_digit_in_decimals(result.get("components", {}).get("schemas", {}))
    return result


# drf-spectacular's pattern for a decimal string, e.g. ^-?\d{0,10}(?:\.\d{0,2})?$
SPECTACULAR_DECIMAL = re.compile(r"\^-\?\\d\{0,(\d+)\}\(\?:\\\.\\d\{0,(\d+)\}\)\?\$")


def _decimal_pattern(whole: int, places: int) -> str:
    """At least one digit: DRF's DecimalField refuses "", "-" and "." (schemathesis generated them
    from drf-spectacular's pattern, whose digits are all optional)."""
    if places == 0:
        return rf"^-?\d{{1,{whole}}}\.?$"
    return rf"^-?(?:\d{{1,{whole}}}(?:\.\d{{0,{places}}})?|\.\d{{1,{places}}})$"


def _require_a_digit_in_decimals(schemas: dict) -> None:
    for component in schemas.values():
        for field in component.get("properties", {}).values():
            match = SPECTACULAR_DECIMAL.fullmatch(field.get("pattern", ""))
            if field.get("format") == "decimal" and match:
                field["pattern"] = _decimal_pattern(int(match[1]), int(match[2]))


def _bound_number_parameters(result: dict) -> None:
    """django-filter's NumberFilter refuses values beyond ±1e50: say so (found by schemathesis)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") != "query":
                    continue
                if schema.get("type") == "number":
                    schema.setdefault("maximum", 1e50)
                    schema.setdefault("minimum", -1e50)
                _forbid_nul(schema)
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            for field in component.get("properties", {}).values():
                _forbid_nul(field)


def _forbid_nul(schema: dict) -> None:
    """Django refuses NUL characters in any text input (400): say so on free-text strings."""
    if schema.get("type") == "string" and not ({"enum", "pattern", "format"} & schema.keys()):
        schema["pattern"] = "^[^\\x00]*$"
    elif schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        _forbid_nul(schema["items"])
