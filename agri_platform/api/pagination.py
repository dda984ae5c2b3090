from rest_framework import exceptions, pagination

from .errors import ValidationFailed


class PageNumberPagination(pagination.PageNumberPagination):
    """Default for small collections: ?page=N&page_size=M, page size capped.

    A page that is not a positive number or lies past the last page is a 400 naming `page`
    (DRF answers 404 "Invalid page", which reads like a missing collection and which the schema
    does not document: found by schemathesis).
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound as exc:
            raise ValidationFailed(str(exc.detail), field=self.page_query_param) from exc


class CursorPagination(pagination.CursorPagination):
    """For large, append-mostly collections (shipments, readings, events): stable under inserts."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = "-id"
