"""Serializer integer fields refuse values the database cannot hold, with a 400 naming the field.

DRF lets an integer field take any size (`"shelf_life_days": 18446744073709551616` reached the
database: an OverflowError, a 500). `install()` (run once by ApiConfig.ready) bounds the integer
fields of every serializer, declared, generated or nested, because DRF offers no hook that reaches
declared fields in all of them:

- every `IntegerField` gets `min_value`/`max_value` within the database column's range: the model
  field's when the field writes to one (PositiveIntegerField: 0..2147483647), else a 64-bit
  integer's; the OpenAPI schema shows them as `minimum`/`maximum`. The model is the serializer's
  `Meta.model`; a plain input serializer whose fields are a model's columns names it the same way;
- ids taken by `PrimaryKeyRelatedField` show 1..2**63 - 1 in the schema (`PrimaryKeyBounds`; a
  larger one is DRF's "does not exist" 400).

The ranges are PostgreSQL's (Django's standard ones), on SQLite too, so both databases and the
schema agree. Date-times need nothing here: with TIME_ZONE = "UTC", DRF's conversion to the field's
time zone is the conversion to UTC, and DRF answers its overflow with a 400.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.text import format_lazy
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from .filtering import ID_MAX

DB_INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges
BIGINT_RANGE = DB_INTEGER_RANGES["BigIntegerField"]


def db_integer_range(model_field) -> tuple[int | None, int | None]:
    """The range the column of `model_field` stores; (None, None) for a non-integer column."""
    if model_field.many_to_one or model_field.one_to_one:
        model_field = model_field.target_field
    return DB_INTEGER_RANGES.get(model_field.get_internal_type(), (None, None))


def _model_field_of(field):
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or len(getattr(field, "source_attrs", ())) != 1:
        return None
    try:
        return model._meta.get_field(field.source_attrs[0])
    except Exception:  # a property or a method, not a column
        return None


def _column_range(field) -> tuple[int, int]:
    model_field = _model_field_of(field)
    low, high = db_integer_range(model_field) if model_field is not None else (None, None)
    return (low, high) if low is not None else BIGINT_RANGE


def bound_integer_field(field: serializers.IntegerField) -> None:
    """Narrow `field`'s min/max to its column's range (keeping tighter bounds it already has)."""
    low, high = _column_range(field)
    if field.min_value is None or field.min_value < low:
        field.min_value = low
        message = format_lazy(field.error_messages["min_value"], min_value=low)
        field.validators.append(MinValueValidator(low, message=message))
    if field.max_value is None or field.max_value > high:
        field.max_value = high
        message = format_lazy(field.error_messages["max_value"], max_value=high)
        field.validators.append(MaxValueValidator(high, message=message))


def _bind_with_bounds(bind):
    def bind_and_bound(self, field_name, parent):
        bind(self, field_name, parent)
        bound_integer_field(self)

    return bind_and_bound


class PrimaryKeyBounds(OpenApiSerializerFieldExtension):
    target_class = serializers.PrimaryKeyRelatedField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if schema.get("type") == "integer":
            schema.setdefault("minimum", 1)
            schema.setdefault("maximum", ID_MAX)
        return schema


def install() -> None:
    if getattr(serializers.IntegerField, "_db_bounded", False):
        return
    serializers.IntegerField.bind = _bind_with_bounds(serializers.IntegerField.bind)
    serializers.IntegerField._db_bounded = True
