from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("requests", views.FinancingRequestViewSet, basename="financing-request")
router.register("offers", views.FinancingOfferViewSet, basename="financing-offer")

urlpatterns = [
    *router.urls,
    path(
        "requests/<int:request_pk>/documents/<int:pk>/download/",
        views.FinancingDocumentViewSet.as_view({"get": "download"}),
        name="finance-request-document-download",
    ),
]
