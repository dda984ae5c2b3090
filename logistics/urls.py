from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

# drafts first: shipments/{id}/ would otherwise take "drafts" for an id
router = SimpleRouter()
router.register("shipments/drafts", views.ShipmentDraftViewSet, basename="shipment-draft")
router.register("shipments", views.ShipmentViewSet, basename="shipment")

documents = views.ShipmentDocumentViewSet.as_view({"get": "list", "post": "create"})
document_download = views.ShipmentDocumentViewSet.as_view({"get": "download"})
events = views.TrackingEventViewSet.as_view({"get": "list", "post": "create"})
telemetry = views.TelemetryViewSet.as_view({"get": "list", "post": "create"})
excursions = views.ExcursionViewSet.as_view({"get": "list"})
excursion = views.ExcursionViewSet.as_view({"get": "retrieve"})
acknowledge = views.ExcursionViewSet.as_view({"post": "acknowledge"})

urlpatterns = [
    *router.urls,
    path("shipments/<int:shipment_pk>/documents/", documents, name="shipment-documents"),
    path(
        "shipments/<int:shipment_pk>/documents/<int:pk>/download/",
        document_download,
        name="shipment-document-download",
    ),
    path("shipments/<int:shipment_pk>/events/", events, name="shipment-events"),
    path("shipments/<int:shipment_pk>/telemetry/", telemetry, name="shipment-telemetry"),
    path("shipments/<int:shipment_pk>/excursions/", excursions, name="shipment-excursions"),
    path(
        "shipments/<int:shipment_pk>/excursions/<int:pk>/",
        excursion,
        name="shipment-excursion-detail",
    ),
    path(
        "shipments/<int:shipment_pk>/excursions/<int:pk>/acknowledge/",
        acknowledge,
        name="shipment-excursion-acknowledge",
    ),
    path("tracking/<str:token>/", views.TrackingView.as_view(), name="tracking"),
]
