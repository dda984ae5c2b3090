from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """Default for small collections: ?page=N&page_size=M, page size capped."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CursorPagination(pagination.CursorPagination):
    """For large, append-mostly collections (shipments, readings, events): stable under inserts."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = "-id"
