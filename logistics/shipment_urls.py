from django.urls import path

from .pages import shipment as pages

urlpatterns = [
    path("shipments/", pages.ShipmentListPage.as_view(), name="shipments"),
    path("shipments/<int:pk>/", pages.ShipmentPage.as_view(), name="shipment"),
    path("shipments/<int:pk>/epcis/", pages.EpcisDownload.as_view(), name="shipment-epcis"),
    path(
        "shipments/<int:pk>/tracking-link/",
        pages.TrackingLinkPage.as_view(),
        name="shipment-tracking-link",
    ),
    path(
        "shipments/<int:shipment_pk>/excursions/<int:pk>/acknowledge/",
        pages.ExcursionAcknowledgePage.as_view(),
        name="shipment-excursion-acknowledge",
    ),
]
