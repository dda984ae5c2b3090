"""Public exporter profiles under /exporters/ (names in the `public` namespace)."""

from django.urls import path

from .public_pages import ExporterListPage, ExporterProfilePage

urlpatterns = [
    path("", ExporterListPage.as_view(), name="exporters"),
    path("<int:pk>/", ExporterProfilePage.as_view(), name="enterprise"),
]
