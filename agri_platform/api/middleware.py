"""Middleware of the API's shared plumbing."""

from .exceptions import PROBLEM_CONTENT_TYPE, is_api_path, page_not_found


class ApiNotFoundMiddleware:
    """A 404 under /api/ is problem details, also with DEBUG on.

    With DEBUG, Django answers an unknown URL (or an Http404 outside DRF) with its HTML debug page
    and never calls handler404; clients of the API must get the same problem+json as in production.
    Sits inside CommonMiddleware, which still redirects a path without its trailing slash.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 404
            and is_api_path(request.path)
            and not response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE)
        ):
            return page_not_found(request)
        return response
