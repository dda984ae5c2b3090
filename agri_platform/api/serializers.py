"""Serializer helpers shared by every app.

Writes are strict: a field the serializer does not accept (unknown, read-only or hidden) is a 400
naming the field, never silently dropped. The base views in views.py apply this to every serializer
made through `get_serializer()`; a serializer that a view instantiates itself inherits
`RejectUnknownFieldsMixin`.
"""

from collections.abc import Mapping

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
# Keys that forms of the browsable API add to every body.
IGNORED_INPUT_KEYS = frozenset({"csrfmiddlewaretoken"})


def _field_errors(serializer, data) -> dict:
    fields = getattr(serializer, "fields", None)
    if fields is None or not isinstance(data, Mapping):
        return {}
    errors = {}
    for key in data:
        if key in IGNORED_INPUT_KEYS:
            continue
        field = fields.get(key)
        if field is None:
            errors[key] = [ErrorDetail("Unknown field.", code="unknown_field")]
        elif field.read_only or isinstance(field, serializers.HiddenField):
            errors[key] = [ErrorDetail("This field is read-only.", code="read_only")]
        elif isinstance(field, serializers.CharField) and not isinstance(data[key], str | None):
            # DRF would turn 12 or true into "12" or "True"; the schema says string (schemathesis).
            errors[key] = [ErrorDetail("Not a valid string.", code="invalid")]
    return errors


def unknown_field_errors(serializer, data) -> dict | list:
    """Errors for every key of `data` that `serializer` would not write (empty when all is fine)."""
    if isinstance(serializer, serializers.ListSerializer):
        if not isinstance(data, list):
            return {}
        per_item = [_field_errors(serializer.child, item) for item in data]
        return per_item if any(per_item) else {}
    return _field_errors(serializer, data)


def check_unknown_fields(serializer, data) -> None:
    errors = unknown_field_errors(serializer, data)
    if errors:
        raise ValidationError(errors)


class RejectUnknownFieldsMixin:
    """For serializers used directly (`MySerializer(data=request.data)`): unknown fields are a 400.

    Works for nested serializers too: each level checks its own keys.
    """

    def to_internal_value(self, data):
        check_unknown_fields(self, data)
        return super().to_internal_value(data)


# --- ids in a body ---------------------------------------------------------------------------------
# One answer for an id that does not exist and for one the caller may not use (another tenant's
# product, enterprise, shipment...): a 400 naming the field, code `does_not_exist`, DRF's wording.
# Never a different message that would confirm the other tenant's object exists.

DOES_NOT_EXIST = "does_not_exist"
DOES_NOT_EXIST_MESSAGE = serializers.PrimaryKeyRelatedField.default_error_messages[DOES_NOT_EXIST]


def unknown_id(field: str, pk) -> ValidationError:
    """The error to raise when a service or view finds `pk` (sent as `field`) is not usable."""
    message = DOES_NOT_EXIST_MESSAGE.format(pk_value=pk)
    return ValidationError({field: [ErrorDetail(message, code=DOES_NOT_EXIST)]})


@extend_schema_field(OpenApiTypes.INT)
class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A body id whose choices are what the caller may use: `scope(user)` returns them (a selector).
    Another tenant's id answers exactly like a missing one. The serializer needs the request in
    its context."""

    def __init__(self, scope, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.scope(getattr(request, "user", None))
