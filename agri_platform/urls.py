from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from agri_platform.api.index import ApiIndexView
from agri_platform.health import health

api_v1 = [
    path("", ApiIndexView.as_view(), name="api-index"),
    path("", include("agri_platform.accounts.urls")),
    path("reference/", include("agri_platform.reference.urls")),
    path("", include("enterprises.urls")),
    path("certification/", include("certification.urls")),
    path("", include("logistics.urls")),
    path("finance/", include("finance.urls")),
    path("legal/", include("legal.urls")),
    path("", include("trade.urls")),
    path("", include("agri_platform.events.urls")),
    path("analytics/", include("analytics.urls")),
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="portal:home"), name="root"),
    path("portal/", include("agri_platform.portal.urls")),
    path("desk/", include("agri_platform.portal.desk_urls")),
    path("", include("agri_platform.portal.public_urls")),
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("dashboard/", include("analytics.page_urls")),
    path("api/v1/", include(api_v1)),
    path("track/", include("logistics.page_urls")),
    path("account/", include("agri_platform.accounts.page_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script from its own URL: no inline script, so
    # the Content-Security-Policy needs no 'unsafe-inline' for scripts.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
]

# Errors raised outside DRF views: problem details (application/problem+json) under /api/.
handler400 = "agri_platform.api.exceptions.bad_request"
handler403 = "agri_platform.api.exceptions.permission_denied"
handler404 = "agri_platform.api.exceptions.page_not_found"
handler500 = "agri_platform.api.exceptions.server_error"
