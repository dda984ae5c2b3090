from django.urls import path

from agri_platform.portal.views import UnderConstructionPage

urlpatterns = [
    path("shipments/", UnderConstructionPage.as_view(section="shipments"), name="shipments"),
    path("shipments/new/", UnderConstructionPage.as_view(section="shipments"), name="shipment-new"),
    path(
        "shipments/<int:pk>/", UnderConstructionPage.as_view(section="shipments"), name="shipment"
    ),
]
