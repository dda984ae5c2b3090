"""Every route under /api/v1/ is served by one of the base views, so that the scope check,
idempotency, the body limit and strict writes apply to it (agri_platform/api/views.py)."""

import pytest

from agri_platform.api.views import ApiMixin
from tests.security.test_isolation import ROUTES


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_uses_the_api_base_views(route):
    assert issubclass(route.view_class, ApiMixin), (
        f"{route} is served by {route.view_class.__name__}, which does not inherit from "
        "ApiView/ApiGenericView/ApiViewSet/ApiReadOnlyViewSet/ApiModelViewSet"
    )
