from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

api_v1 = [
    path("", include("agri_platform.accounts.urls")),
    path("reference/", include("agri_platform.reference.urls")),
    path("", include("enterprises.urls")),
    path("certification/", include("certification.urls")),
    path("", include("logistics.urls")),
    path("finance/", include("finance.urls")),
    path("legal/", include("legal.urls")),
    path("", include("agri_platform.events.urls")),
    path("analytics/", include("agri_platform.analytics.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("track/", include("logistics.page_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
]
