"""Serializer helpers shared by every app.

Writes are strict: a field the serializer does not accept (unknown, read-only or hidden) is a 400
naming the field, never silently dropped, at every level of nesting. The base views in views.py
check every write body against the request serializer its operation declares in the schema, before
the handler runs (so a view that builds its serializer itself, a multipart upload or an action
without a body cannot bypass it); `get_serializer()` and `RejectUnknownFieldsMixin` check the
serializer actually used as well.
"""

import copy
import decimal
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import ISO_8601, api_settings

from .filtering import ID_MAX

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
# Keys that forms of the browsable API add to every body.
IGNORED_INPUT_KEYS = frozenset({"csrfmiddlewaretoken"})


def _field_errors(serializer, data, deep: bool) -> dict:
    fields = getattr(serializer, "fields", None)
    if fields is None or not isinstance(data, Mapping):
        return {}
    errors = {}
    for key in data:
        if key in IGNORED_INPUT_KEYS:
            continue
        field = fields.get(key)
        if field is None:
            errors[key] = [ErrorDetail(gettext("Unknown field."), code="unknown_field")]
        elif field.read_only or isinstance(field, serializers.HiddenField):
            errors[key] = [ErrorDetail(gettext("This field is read-only."), code="read_only")]
        elif isinstance(field, serializers.CharField) and not isinstance(data[key], str | None):
            # DRF would turn 12 or true into "12" or "True"; the schema says string (schemathesis).
            errors[key] = [ErrorDetail(gettext("Not a valid string."), code="invalid")]
        elif deep and (nested := _nested_errors(field, data[key])):
            errors[key] = nested
    return errors


def _nested_errors(field, value) -> dict | list:
    if isinstance(field, serializers.ListSerializer | serializers.ListField):
        return _per_item_errors(field.child, value, deep=True)
    if isinstance(field, serializers.Serializer):
        return _field_errors(field, value, deep=True)
    return {}


def _per_item_errors(child, items, deep: bool) -> list | dict:
    if not isinstance(child, serializers.Serializer) or not isinstance(items, list):
        return {}
    per_item = [_field_errors(child, item, deep) for item in items]
    return per_item if any(per_item) else {}


def unknown_field_errors(serializer, data, *, deep: bool = False) -> dict | list:
    """Errors for every key of `data` that `serializer` would not write (empty when all is fine).

    `deep` checks nested serializers too; without it a serializer checks its own level only (each
    nested RejectUnknownFieldsMixin checks its own when DRF validates it)."""
    if isinstance(serializer, serializers.ListSerializer):
        return _per_item_errors(serializer.child, data, deep)
    return _field_errors(serializer, data, deep)


def body_errors(serializer, data) -> dict | list:
    """Errors for a whole write body; `serializer` None means the operation takes no body at all,
    so every key is unknown."""
    if serializer is None:
        if not isinstance(data, Mapping):
            return {}
        unknown = [
            ErrorDetail(
                gettext("Unknown field: this operation takes no body."), code="unknown_field"
            )
        ]
        return {key: unknown for key in data if key not in IGNORED_INPUT_KEYS}
    return unknown_field_errors(serializer, data, deep=True)


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
    message = str(DOES_NOT_EXIST_MESSAGE).format(pk_value=pk)
    return ValidationError({field: [ErrorDetail(message, code=DOES_NOT_EXIST)]})


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": ID_MAX})
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


# --- nested objects rendered by a method field -----------------------------------------------------


def render_nested(parent, serializer_class, instance, *, many: bool = False):
    """`serializer_class(instance, many=many).data` for a method field of `parent`, with one
    serializer built per parent serializer, not per row: building one (its fields, each bound and
    bounded) cost more than rendering the row; a 50-row list built 50 (issue 18). Like the plain
    call, the nested serializer has no context."""
    key = (serializer_class, many)
    built = parent.__dict__.setdefault("_nested_serializers", {})
    if key not in built:
        built[key] = serializer_class(many=many)
    return built[key].to_representation(instance)


# --- fields built once per class -------------------------------------------------------------------


class StaticFieldsMixin:
    """For an output serializer whose fields do not depend on the instance or the context: the
    fields are built once per class (ModelSerializer maps every model field and deep-copies the
    declared ones for each serializer: a third of a 50-row list's serializing, issue 18), and
    each serializer gets its own copies, since binding sets a field's parent and name.

    Plain fields are copied shallowly with their own validator list (binding an integer field
    appends its column's bounds, agri_platform/api/bounds.py); nested serializers deeply, as DRF
    does, so that none shares the fields it binds."""

    def get_fields(self):
        cls = type(self)
        prototypes = cls.__dict__.get("_field_prototypes")
        if prototypes is None:
            prototypes = super().get_fields()
            cls._field_prototypes = prototypes
        return {name: copy_of_field(field) for name, field in prototypes.items()}

    def to_representation(self, instance):
        # DRF's loop, with the readable fields and their bound methods looked up once per
        # serializer instead of once per row (a list serializer renders every row with one child)
        readable = self.__dict__.get("_readable")
        if readable is None:
            self._moments = Moments()
            readable = self._readable = [
                (field.field_name, attribute_getter(field), representer(field, self._moments))
                for field in self._readable_fields
            ]
        self._moments.start_row()
        row = {}
        for name, get_attribute, represent in readable:
            try:
                attribute = get_attribute(instance)
            except SkipField:
                continue
            value = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            row[name] = None if value is None else represent(attribute)
        return row


def attribute_getter(field):
    """`field.get_attribute`, with shortcuts for the common cases: a field reading one attribute of
    a model instance or one key of a dict, and a related key read as its id column. Whatever DRF
    treats specially (a method to call, a missing attribute or key and the field's default) goes
    through DRF's own `get_attribute`."""
    if _reads_a_related_id(field):
        return _related_id_getter(field)
    if type(field).get_attribute is not serializers.Field.get_attribute:
        return field.get_attribute  # relations, method fields and the like read their own way
    if len(field.source_attrs) != 1:
        return field.get_attribute
    name = field.source_attrs[0]
    drf_get_attribute = field.get_attribute

    def get_attribute(instance):
        try:
            if isinstance(instance, Model):
                value = getattr(instance, name)
            elif isinstance(instance, Mapping):
                value = instance[name]
            else:
                return drf_get_attribute(instance)
        except ObjectDoesNotExist:
            return None  # as DRF: an absent reverse one-to-one reads as null
        except (AttributeError, KeyError):
            return drf_get_attribute(instance)
        return drf_get_attribute(instance) if callable(value) else value

    return get_attribute


def _reads_a_related_id(field) -> bool:
    """A primary-key relation rendered as the bare id (DRF reads `<name>_id` for it, then wraps it
    in a PKOnlyObject)."""
    return (
        isinstance(field, serializers.PrimaryKeyRelatedField)
        and type(field).get_attribute is serializers.PrimaryKeyRelatedField.get_attribute
        and type(field).to_representation is serializers.PrimaryKeyRelatedField.to_representation
        and field.pk_field is None
        and len(field.source_attrs) == 1
    )


def _related_id_getter(field):
    """The id column of a forward foreign key or one-to-one (`shipment.enterprise_id`), read
    without DRF's per-row look-up of the model field; anything else goes through DRF."""
    name = field.source_attrs[0]
    drf_get_attribute = field.get_attribute
    id_columns: dict[type, str | None] = {}

    def get_attribute(instance):
        model = type(instance)
        if model not in id_columns:
            id_columns[model] = _id_column(model, name)
        column = id_columns[model]
        return drf_get_attribute(instance) if column is None else getattr(instance, column)

    return get_attribute


def _id_column(model, name: str) -> str | None:
    if not (isinstance(model, type) and issubclass(model, Model)):
        return None
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    forward = model_field.concrete and (model_field.many_to_one or model_field.one_to_one)
    return model_field.attname if forward else None


def _pk_of(value):
    return value.pk if isinstance(value, PKOnlyObject) else value


# DRF's own to_representation of these fields is exactly the builtin (int(value), and so on).
_BUILTIN_REPRESENTATION = {
    serializers.IntegerField.to_representation: int,
    serializers.CharField.to_representation: str,
    serializers.FloatField.to_representation: float,
}


def representer(field, moments: "Moments"):
    """`field.to_representation`, or a quicker function giving the same: the builtin it amounts to,
    the id itself for a related id, and for datetimes and decimals DRF's own steps with what does
    not change between values worked out once."""
    if _reads_a_related_id(field):
        return _pk_of
    if moments.can_render(field):
        return moments.representer(field)
    if _plain_decimal(field):
        return _decimal_representer(field)
    if type(field).to_representation is serializers.BigIntegerField.to_representation and not (
        getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING)
    ):
        return int
    return _BUILTIN_REPRESENTATION.get(type(field).to_representation, field.to_representation)


class Moments:
    """DRF's DateTimeField output (ISO 8601 in the current time zone, `Z` for UTC) for the
    datetime fields of one serializer, with the zone looked up once per row instead of once per
    value: the look-up goes through asgiref's Local, and was half the cost of a datetime."""

    def __init__(self):
        self.zone = None
        self.used = False

    def start_row(self) -> None:
        if self.used:
            self.zone = timezone.get_current_timezone()

    @staticmethod
    def can_render(field) -> bool:
        kind = type(field)
        output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
        return (
            settings.USE_TZ
            and isinstance(field, serializers.DateTimeField)
            and kind.to_representation is serializers.DateTimeField.to_representation
            and kind.enforce_timezone is serializers.DateTimeField.enforce_timezone
            and kind.default_timezone is serializers.DateTimeField.default_timezone
            and not hasattr(field, "timezone")
            and isinstance(output_format, str)
            and output_format.lower() == ISO_8601
        )

    def representer(self, field):
        self.used = True
        drf_representation = field.to_representation

        def represent(value):
            if not isinstance(value, datetime) or value.utcoffset() is None:
                return drf_representation(value)
            try:
                text = value.astimezone(self.zone).isoformat()
            except OverflowError:
                return drf_representation(value)  # DRF's "overflow" error
            return text[:-6] + "Z" if text.endswith("+00:00") else text

        return represent


def _plain_decimal(field) -> bool:
    kind = type(field)
    return (
        isinstance(field, serializers.DecimalField)
        and kind.to_representation is serializers.DecimalField.to_representation
        and kind.quantize is serializers.DecimalField.quantize
        and getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
        and not field.localize
        and field.decimal_places is not None
    )


def _decimal_representer(field):
    """DRF's DecimalField output as a string, its exponent and context built once, not per value."""
    exponent = Decimal(".1") ** field.decimal_places
    context = decimal.getcontext().copy()
    if field.max_digits is not None:
        context.prec = field.max_digits
    drf_representation = field.to_representation

    def represent(value):
        if not isinstance(value, Decimal):
            return drf_representation(value)
        return f"{value.quantize(exponent, rounding=field.rounding, context=context):f}"

    return represent


def copy_of_field(field):
    if isinstance(field, serializers.BaseSerializer):
        return copy.deepcopy(field)
    clone = copy.copy(field)
    if "_validators" in field.__dict__:
        clone._validators = list(field._validators)
    return clone
