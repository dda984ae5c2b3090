from django.urls import path

from .pages import drafts

urlpatterns = [
    path("shipments/drafts/<int:pk>/", drafts.ShipmentDraftPage.as_view(), name="shipment-draft"),
]
