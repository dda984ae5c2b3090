"""Base classes every API view uses, so that shared rules cannot be forgotten by a subclass.

`ApiMixin` (in every base class below) brings:
- the API-key scope check (HasRequiredScope), even when a view sets its own `permission_classes`;
- `Idempotency-Key` on POST/PUT/PATCH (agri_platform/api/idempotency.py); a view whose response
  carries a secret shown once names its fields in `shown_once_fields`: the stored copy for replays
  has them redacted;
- the request-size limit: a body larger than `DATA_UPLOAD_MAX_MEMORY_SIZE` is a 413;
- throttles also count anonymous callers and failed credentials before the 401 (DRF would check
  permissions first, leaving credential guessing unthrottled);
- ids in the path beyond the database's range are a 404, text no column can store in the path or
  the query string a 400 naming it (agri_platform/api/inputs.py);
- unknown or read-only fields on writes are a 400 naming the field, at any depth, before the handler
  runs: every write body is checked against the request body its operation declares in the schema
  (`@extend_schema(request=...)`, else the view's serializer); `request=None` means no key at all.
- a carrier (API key or person) never sees a price or a value: every response's data goes through
  `audience.for_user` (agri_platform/api/audience.py).

Querysets come from `get_queryset()`, which each view implements with a tenant-scoped selector
(see agri_platform/api/tenancy.py); the route-walking isolation test checks the result.
"""

import logging

from django.conf import settings
from django.utils.translation import gettext
from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import exceptions, generics, mixins, serializers, viewsets
from rest_framework.views import APIView

from . import audience, errors, idempotency
from .exceptions import PROBLEM_CONTENT_TYPE
from .inputs import check_url_input
from .permissions import HasRequiredScope
from .serializers import WRITE_METHODS, body_errors, check_unknown_fields
from .uploads import PayloadTooLarge

logger = logging.getLogger(__name__)


class ScopeCheckedMixin:
    def get_permissions(self):
        permissions = super().get_permissions()
        if not any(isinstance(permission, HasRequiredScope) for permission in permissions):
            permissions.append(HasRequiredScope())
        return permissions


def check_body_size(request) -> None:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if limit is not None and length > limit:
        raise PayloadTooLarge(
            gettext("The request body is %(length)d bytes; the limit is %(limit)d bytes.")
            % {"length": length, "limit": limit},
            limit_bytes=limit,
        )


def declared_request_body(view, request):
    """The serializer the schema documents as this operation's body (what `@extend_schema(request=)`
    on the handler says, else the view's own), or None for an operation that takes no body, or
    NOT_DECLARED when the body is not a serializer (text/csv)."""
    handler = getattr(view, getattr(view, "action", None) or request.method.lower(), None)
    if handler is None:
        return NOT_DECLARED  # a method the route does not serve: DRF answers 405 after initial()
    schema_class = getattr(handler, "kwargs", {}).get("schema")
    schema = schema_class() if schema_class is not None else view.schema
    schema.view = view
    schema.method = request.method
    schema.path = request.path
    declared = schema.get_request_serializer()
    if isinstance(declared, dict):  # {media type: serializer}
        declared = declared.get(request.content_type.split(";")[0].strip(), NOT_DECLARED)
    if isinstance(declared, type) and issubclass(declared, serializers.BaseSerializer):
        declared = declared()
    if isinstance(declared, PolymorphicProxySerializer):
        return NOT_DECLARED  # one of several bodies: the serializer the view picks checks its own
    if declared is None or isinstance(declared, serializers.BaseSerializer):
        return declared
    return NOT_DECLARED


NOT_DECLARED = object()


def check_declared_body(view, request) -> None:
    declared = declared_request_body(view, request)
    if declared is NOT_DECLARED:
        return
    errors = body_errors(declared, request.data)
    if errors:
        raise exceptions.ValidationError(errors)


class ApiMixin(ScopeCheckedMixin):
    # Problem statuses a view (or an @action, as a keyword) answers beyond the usual ones; the
    # schema documents them (agri_platform/api/schema.py).
    extra_problem_statuses: tuple[int, ...] = ()
    idempotency_exempt = False
    # Response fields holding a secret shown once (token, key, secret): never kept for a replay.
    shown_once_fields: tuple[str, ...] = ()
    reject_unknown_fields = True
    _idempotency_record = None

    _throttled_already = False

    def initial(self, request, *args, **kwargs):
        self._idempotency_record = None
        self._throttled_already = False
        check_body_size(request)
        # negotiation, authentication, permissions, throttles; then claim the Idempotency-Key
        super().initial(request, *args, **kwargs)
        if self.reject_unknown_fields and request.method in WRITE_METHODS:
            check_declared_body(self, request)
        self._idempotency_record = idempotency.begin(request, self)

    def perform_authentication(self, request):
        try:
            super().perform_authentication(request)
        except (exceptions.AuthenticationFailed, exceptions.NotAuthenticated):
            self._throttle_once(request)  # wrong credentials count against the anonymous rate
            raise

    def check_permissions(self, request):
        if not request.user.is_authenticated:
            self._throttle_once(request)  # before the 401, so guessing is throttled too
        super().check_permissions(request)
        # After the 401/403 (a caller without access learns nothing), before any lookup.
        check_url_input(request, self.kwargs)

    def check_throttles(self, request):
        self._throttle_once(request)

    def _throttle_once(self, request):
        if not self._throttled_already:
            self._throttled_already = True
            super().check_throttles(request)

    def handle_exception(self, exc):
        if isinstance(exc, idempotency.Replay):
            return exc.response
        if isinstance(exc, errors.TransitionNotAllowed):
            self._callers_allowed_actions(exc)
        try:
            return super().handle_exception(exc)
        except Exception:
            record, self._idempotency_record = self._idempotency_record, None
            idempotency.release(record)
            raise

    def _callers_allowed_actions(self, exc) -> None:
        """A 409 `transition_not_allowed` lists what the caller may do, like the object's own
        `allowed_actions` (agri_platform/api/workflow.py); the status' list stays when the view
        cannot tell (no object, or a serializer without the field)."""
        lookup = getattr(self, "lookup_url_kwarg", None) or getattr(self, "lookup_field", "pk")
        if not self.kwargs.get(lookup):
            return
        try:
            data = self.get_serializer(self.get_object()).data
        except Exception:  # an error path: keep the status' list rather than a second error
            logger.debug("no caller-specific allowed_actions for %r", exc, exc_info=True)
            return
        if "allowed_actions" in data:
            exc.extra["allowed_actions"] = list(data["allowed_actions"])

    def finalize_response(self, request, response, *args, **kwargs):
        if getattr(response, "data", None) is not None and audience.user_is_value_blind(
            getattr(request, "user", None)
        ):
            response.data = audience.without_values(response.data)
        response = super().finalize_response(request, response, *args, **kwargs)
        renderer = getattr(response, "accepted_renderer", None)
        if (
            getattr(response, "content_type", None) == PROBLEM_CONTENT_TYPE
            and renderer is not None
            and renderer.format == "api"
        ):
            response.content_type = None  # the browsable API renders problems as HTML, honestly
        record, self._idempotency_record = self._idempotency_record, None
        idempotency.finish(record, response, shown_once_fields=self.shown_once_fields)
        return response


class RejectUnknownFieldsViewMixin:
    """Generic views only: a plain APIView has no get_serializer, and DRF's OPTIONS metadata calls
    it whenever it exists (schemathesis found the resulting 500 on OPTIONS)."""

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if (
            self.reject_unknown_fields
            and "data" in kwargs
            and getattr(self, "request", None) is not None
            and self.request.method in WRITE_METHODS
        ):
            check_unknown_fields(serializer, kwargs["data"])
        return serializer


class ApiView(ApiMixin, APIView):
    pass


class ApiGenericView(ApiMixin, RejectUnknownFieldsViewMixin, generics.GenericAPIView):
    pass


class ApiViewSet(ApiMixin, RejectUnknownFieldsViewMixin, viewsets.GenericViewSet):
    pass


class ApiReadOnlyViewSet(ApiMixin, RejectUnknownFieldsViewMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ApiModelViewSet(ApiMixin, RejectUnknownFieldsViewMixin, viewsets.ModelViewSet):
    """Create, read, update, delete. Subclasses usually route writes through services."""


__all__ = [
    "ApiGenericView",
    "ApiMixin",
    "ApiModelViewSet",
    "ApiReadOnlyViewSet",
    "ApiView",
    "ApiViewSet",
    "RejectUnknownFieldsViewMixin",
    "ScopeCheckedMixin",
    "mixins",
]
