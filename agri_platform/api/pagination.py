import re

from rest_framework import pagination

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
            "page_size must be a whole number of at least 1.", field=paginator.page_size_query_param
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
                "page must be a whole number of at least 1.", field=self.page_query_param
            )
        return number

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {**parameter["schema"], "minimum": 1}
                parameter["description"] = "Page number, from 1; past the last page is a 404."
        return _document_size(parameters, self)


class CursorPagination(pagination.CursorPagination):
    """For large, append-mostly collections (shipments, readings, events): stable under inserts.

    A cursor that was not issued by the API is DRF's 404 "Invalid cursor" (documented)."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = "-id"

    def get_page_size(self, request):
        return _page_size(self, request)

    def get_schema_operation_parameters(self, view):
        return _document_size(super().get_schema_operation_parameters(view), self)
