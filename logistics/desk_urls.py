"""The carrier's desk (names in the `desk` namespace; see agri_platform/portal/desk.py)."""

from django.urls import path

from .desk_pages import (
    DeskShipmentListPage,
    DeskShipmentPage,
    MilestonePage,
    TelemetryUploadPage,
)

urlpatterns = [
    path("shipments/", DeskShipmentListPage.as_view(), name="shipments"),
    path("shipments/<int:pk>/", DeskShipmentPage.as_view(), name="shipment"),
    path("shipments/<int:pk>/milestone/", MilestonePage.as_view(), name="shipment-milestone"),
    path("shipments/<int:pk>/telemetry/", TelemetryUploadPage.as_view(), name="shipment-telemetry"),
]
