"""The real URLconf plus two views that crash, to prove 500s are problem details too."""

from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from agri_platform.api.views import ApiView
from agri_platform.urls import *  # noqa: F403 (handler400/403/404/500 come along)
from agri_platform.urls import urlpatterns as real_urlpatterns


class CrashView(ApiView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("a bug")


class ScopedProbeView(ApiView):
    """A tiny endpoint that partner keys with `logistics:read` may call."""

    scope_prefix = "logistics"

    def get(self, request):
        return Response({"ok": True})


def crash_plain(request):
    raise RuntimeError("a bug outside DRF")


urlpatterns = [
    path("api/v1/test-crash/", CrashView.as_view()),
    path("api/v1/test-crash-plain/", crash_plain),
    path("api/v1/test-probe/", ScopedProbeView.as_view()),
    *real_urlpatterns,
]
