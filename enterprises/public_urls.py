"""Public exporter profiles under /exporters/ (names in the `public` namespace)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.public import PublicPage

urlpatterns = [
    path("", PublicPage.as_view(title=_("Verified exporters")), name="exporters"),
    path("<int:pk>/", PublicPage.as_view(title=_("Exporter")), name="enterprise"),
]
