from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("requests", views.LegalRequestViewSet, basename="legal-request")

urlpatterns = [
    *router.urls,
    path(
        "requests/<int:request_pk>/documents/<int:pk>/download/",
        views.LegalAttachmentViewSet.as_view({"get": "download"}),
        name="legal-request-document-download",
    ),
]
