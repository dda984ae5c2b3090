"""Filters and filter backends shared by every list.

What a list's query string may say is what its schema says, and anything else is a 400 naming the
parameter (docs/api-conventions.md "Filtering, search, ordering"; the checks were found missing by
schemathesis, tests/quality/test_fuzz_findings.py).
"""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django_filters.fields import IsoDateTimeField
from django_filters.filterset import BaseFilterSet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.drainage import set_override
from rest_framework.filters import OrderingFilter

from .errors import ValidationFailed

# An age filter (`min_age_days`, `max_age_days`) further back than this means "any age".
MAX_AGE_DAYS = 36_500


def days_ago(value) -> datetime:
    """`now - value days`, the value clamped to ±100 years: django-filter's NumberFilter accepts any
    decimal, and timedelta overflows past ~2.7 million days (a 500 found by schemathesis)."""
    days = max(-MAX_AGE_DAYS, min(float(value), MAX_AGE_DAYS))
    return timezone.now() - timedelta(days=days)


# Object ids are BigAutoFields: whole numbers from 1 to 2**63 - 1.
ID_MAX = 2**63 - 1
WHOLE_NUMBER = re.compile(r"-?[0-9]+")


def capped_int(digits: str, cap: int) -> int:
    """The value of a string of ASCII digits, at most `cap`, without handing int() a string of
    thousands of digits (it refuses over 4300)."""
    digits = digits.lstrip("0") or "0"
    return cap if len(digits) > len(str(cap)) else min(int(digits), cap)


def as_utc(value: datetime) -> datetime:
    """An aware datetime moved to UTC. RFC 3339 allows offsets up to ±23:59 but PostgreSQL refuses
    more than ±15:59 ("time zone displacement out of range", a 400 for a valid `+21:56` found by
    schemathesis); in UTC every instant can be stored. An instant that is outside Python's range
    once in UTC (year 1 with a positive offset, year 9999 with a negative one) is clamped to it."""
    try:
        return value.astimezone(UTC)
    except OverflowError:
        edge = datetime.min if value.year == datetime.min.year else datetime.max
        return edge.replace(tzinfo=UTC)


class UtcIsoDateTimeField(IsoDateTimeField):
    def to_python(self, value):
        parsed = super().to_python(value)
        return as_utc(parsed) if parsed is not None else None


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """ISO 8601 date-time filter; the value is compared in UTC (see `as_utc`)."""

    field_class = UtcIsoDateTimeField


class IdField(forms.IntegerField):
    """A whole number in ASCII digits: Django's IntegerField would also take `7.0`, ` 7` or `٧`,
    values the schema (`type: integer`) calls invalid."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, str) or not WHOLE_NUMBER.fullmatch(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        sign = -1 if value.startswith("-") else 1
        return sign * capped_int(value.lstrip("-"), ID_MAX + 1)  # past ID_MAX: out of range


class IdFilter(django_filters.Filter):
    """Filter on an object id (`?enterprise=12`): a whole number between `min_value` (1 unless
    given) and 2**63 - 1, as the schema says; anything else is a 400 naming the parameter.
    django-filter's NumberFilter takes any decimal (`1.5`, `1e49`) for an integer column."""

    field_class = IdField

    def __init__(self, *args, min_value: int = 1, **kwargs):
        super().__init__(*args, min_value=min_value, max_value=ID_MAX, **kwargs)
        set_override(self, "field", {"type": "integer", "minimum": min_value, "maximum": ID_MAX})


BOOLEAN_VALUES = {"true", "false"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}:?\d{2})?$"
)


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, but a filter value the schema calls invalid is a 400 naming the parameter.

    django-filter silently ignores an empty value (`?enterprise=`), a boolean it does not know
    (`?unassigned=maybe`) and accepts dates in locale formats (`?expires_before=10/25/2006`);
    schemathesis (negative data) showed each as "invalid request accepted". Text filters are
    unchanged; everything else must be non-empty, booleans `true`/`false`, dates ISO 8601.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not asks_to_filter(
            filterset_class, request.query_params
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            _check_strict(filterset, request.query_params)
        return filterset


# Query parameters that are never a filter's: pagination, search, ordering, the renderer.
NOT_FILTER_PARAMS = frozenset({"page", "page_size", "cursor", "search", "ordering", "format"})


def asks_to_filter(filterset_class, params) -> bool:
    """Whether the filter set has anything to do: a parameter that may be a filter's (a range
    filter reads `<name>_after`, so any parameter not known to be another's counts), or a filter
    set that filters by default (its own `qs` or `filter_queryset`, like the review queue).
    Otherwise django-filter would build and validate a form only to filter nothing (issue 18)."""
    filters_by_default = (
        filterset_class.qs is not BaseFilterSet.qs
        or filterset_class.filter_queryset is not BaseFilterSet.filter_queryset
    )
    return filters_by_default or any(
        name not in NOT_FILTER_PARAMS or name in filterset_class.base_filters for name in params
    )


MULTIPLE_VALUE_FILTERS = (
    django_filters.MultipleChoiceFilter,
    django_filters.ModelMultipleChoiceFilter,
)
NUMBER_LIMIT = Decimal("1e50")  # django-filter's NumberFilter maximum; the schema says ±1e50
DECIMAL_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def _is_number_in_range(value: str) -> bool:
    """A decimal number within ±1e50 (no `NaN`, `Inf`, spaces or `_` that Decimal() would take)."""
    if not DECIMAL_NUMBER.fullmatch(value):
        return False
    try:
        return Decimal(value).copy_abs() <= NUMBER_LIMIT
    except ArithmeticError:  # an exponent beyond Decimal's range
        return False


def _check_strict(filterset, params) -> None:
    for name, filter_ in filterset.filters.items():
        if name not in params:
            continue
        values = params.getlist(name)
        if len(values) > 1 and not isinstance(filter_, MULTIPLE_VALUE_FILTERS):
            raise ValidationFailed(gettext("Give %(name)s once.") % {"name": name}, field=name)
        for value in values:
            if isinstance(filter_, django_filters.NumberFilter):
                ok = _is_number_in_range(value)
            elif isinstance(filter_, django_filters.BooleanFilter):
                ok = value.lower() in BOOLEAN_VALUES
            elif isinstance(filter_, django_filters.IsoDateTimeFilter):
                ok = bool(ISO_DATETIME.match(value))
            elif isinstance(filter_, django_filters.DateFilter):
                ok = bool(ISO_DATE.match(value))
            elif isinstance(
                filter_,
                django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter,
            ) or (
                isinstance(filter_, django_filters.CharFilter)
                and not isinstance(filter_, django_filters.ChoiceFilter)
            ):
                ok = True  # text (the schema says any string, "" included)
            else:
                ok = value != ""
            if not ok:
                raise ValidationFailed(
                    gettext("Invalid value for %(name)s: %(value)s.")
                    % {"name": name, "value": repr(value)},
                    field=name,
                )


def ordering_choices(view) -> list[str]:
    """What `?ordering=` may name on this list: each of `ordering_fields`, ascending or `-`."""
    fields = getattr(view, "ordering_fields", None) or []
    return [choice for field in fields for choice in (field, f"-{field}")]


def unknown_ordering_message(term: str, allowed: list[str]) -> str:
    if not allowed:
        return gettext("Cannot order by %(term)s; this list has a fixed order.") % {
            "term": repr(term)
        }
    return gettext("Cannot order by %(term)s; use %(allowed)s.") % {
        "term": repr(term),
        "allowed": ", ".join(allowed),
    }


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=a,-b` takes only the fields a list names in `ordering_fields`; anything else is a
    400 naming `ordering`, and the schema lists the choices. DRF drops unknown fields silently (a
    schema-violating request accepted, found by schemathesis) and, on a list without
    `ordering_fields`, orders by any serializer field: here such a list takes no ordering at all."""

    def get_valid_fields(self, queryset, view, context=None):
        return [(field, field) for field in getattr(view, "ordering_fields", None) or []]

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is not None:  # an empty `ordering=` is a term too, and names no field
            allowed = ordering_choices(view)
            unknown = [term for term in raw.split(",") if term not in allowed]
            if unknown:
                raise ValidationFailed(
                    unknown_ordering_message(unknown[0], allowed), field=self.ordering_param
                )
        return super().get_ordering(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        choices = ordering_choices(view)
        if not choices:
            return []
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Comma-separated fields to order by; `-` for descending.",
                "schema": {"type": "array", "items": {"type": "string", "enum": choices}},
                "style": "form",
                "explode": False,
            }
        ]
