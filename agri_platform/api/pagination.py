import re
from datetime import UTC, datetime

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from rest_framework import pagination
from rest_framework.exceptions import NotFound

from .bounds import db_integer_range
from .errors import ValidationFailed
from .filtering import capped_int

DIGITS = re.compile(r"[0-9]+")
BEYOND_ANY_PAGE = 10**18


def _whole_number(raw: str) -> int | None:
    """The value of a string of ASCII digits (capped at 10**18), or None for anything else."""
    return capped_int(raw, BEYOND_ANY_PAGE) if DIGITS.fullmatch(raw) else None


def _page_size(paginator, request) -> int:
    """`page_size` must be a whole number of at least 1 (a 400 naming the field otherwise); above
    the cap it is capped. DRF would silently fall back to the default for `page_size=Inf` or
    `page_size=0`, accepting input the schema calls invalid (found by schemathesis)."""
    raw = request.query_params.get(paginator.page_size_query_param)
    if raw is None:
        return paginator.page_size
    size = _whole_number(raw) or 0
    if size < 1:
        raise ValidationFailed(
            gettext("%(parameter)s must be a whole number of at least 1.")
            % {"parameter": paginator.page_size_query_param},
            field=paginator.page_size_query_param,
        )
    return min(size, paginator.max_page_size)


def _document_size(parameters: list[dict], paginator) -> list[dict]:
    for parameter in parameters:
        if parameter["name"] == paginator.page_size_query_param:
            parameter["schema"] = {**parameter["schema"], "minimum": 1}
            parameter["description"] = (
                f"Results per page, at least 1; more than {paginator.max_page_size} gives "
                f"{paginator.max_page_size}."
            )
    return parameters


class PageNumberPagination(pagination.PageNumberPagination):
    """Default for small collections: ?page=N&page_size=M, page size capped.

    `page` is a whole number of at least 1, or a 400 naming it (DRF would read `?page=` as page 1
    and take `?page=last`, input the schema calls invalid; found by schemathesis). A page past the
    last one is DRF's 404 "Invalid page"; the schema documents it (agri_platform/api/schema.py).
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        return _page_size(self, request)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        number = _whole_number(raw)
        if not number:
            raise ValidationFailed(
                gettext("%(parameter)s must be a whole number of at least 1.")
                % {"parameter": self.page_query_param},
                field=self.page_query_param,
            )
        return number

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {**parameter["schema"], "minimum": 1}
                parameter["description"] = "Page number, from 1; past the last page is a 404."
        return _document_size(parameters, self)


def _invalid_cursor() -> ValidationFailed:
    return ValidationFailed(
        gettext("cursor is not one this list issued; start again without it."), field="cursor"
    )


def _check_position(model, field_name: str, position: str) -> None:
    """A cursor's position must be a value of the ordering field that the database can compare:
    DRF hands it to the query as it is, and `p=abc` for an integer id was a 500 (outside review)."""
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return
    try:
        value = field.get_prep_value(field.to_python(position))
        if isinstance(value, datetime) and value.tzinfo is not None:
            value.astimezone(UTC)  # an instant beyond Python's range once in UTC
    except (DjangoValidationError, ValueError, TypeError, OverflowError):
        raise _invalid_cursor() from None
    low, high = db_integer_range(field)
    if isinstance(value, int) and low is not None and not low <= value <= high:
        raise _invalid_cursor()
    if isinstance(value, str) and "\x00" in value:
        raise _invalid_cursor()


class CursorPagination(pagination.CursorPagination):
    """For large, append-mostly collections (shipments, readings, events): stable under inserts.

    A cursor that was not issued by the API (undecodable, or decoding to a position the ordering
    field cannot hold) is a 400 naming `cursor`."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = "-id"

    def get_page_size(self, request):
        return _page_size(self, request)

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model  # decode_cursor checks the position against its fields
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise _invalid_cursor() from None
        if cursor is not None and cursor.position is not None:
            _check_position(self._model, self.ordering[0].lstrip("-"), cursor.position)
        return cursor

    def get_schema_operation_parameters(self, view):
        parameters = _document_size(super().get_schema_operation_parameters(view), self)
        for parameter in parameters:
            if parameter["name"] == self.cursor_query_param:
                parameter["description"] = (
                    "The `next` or `previous` link's cursor; any other value is a 400."
                )
        return parameters
