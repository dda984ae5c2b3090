from django.urls import path

from .pages import booking

urlpatterns = [
    path("shipments/new/", booking.BookingPage.as_view(), name="shipment-new"),
    path("shipments/new/band/", booking.BandPartial.as_view(), name="shipment-new-band"),
    path("shipments/new/places/", booking.PlacesPartial.as_view(), name="shipment-new-places"),
    path(
        "shipments/<int:pk>/documents/",
        booking.DocumentsPage.as_view(),
        name="shipment-documents",
    ),
    path("shipments/<int:pk>/dispatch/", booking.DispatchPage.as_view(), name="shipment-dispatch"),
    path("shipments/<int:pk>/cancel/", booking.CancelPage.as_view(), name="shipment-cancel"),
]
