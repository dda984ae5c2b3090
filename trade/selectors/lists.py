"""Rows whose JSON list field holds a value, on PostgreSQL and on the embedded SQLite."""

from django.db import connection
from django.db.models import QuerySet


def holding(queryset: QuerySet, field: str, value) -> QuerySet:
    """The rows of `queryset` whose JSON list `field` holds `value`."""
    if connection.features.supports_json_field_contains:
        return queryset.filter(**{f"{field}__contains": [value]})
    # SQLite (the embedded default) has no JSON containment: read the lists and match in Python
    held = [pk for pk, values in queryset.values_list("pk", field) if value in (values or [])]
    return queryset.filter(pk__in=held)
