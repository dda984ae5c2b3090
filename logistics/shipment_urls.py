from django.urls import path

from agri_platform.portal.views import UnderConstructionPage

urlpatterns = [
    path("shipments/", UnderConstructionPage.as_view(section="shipments"), name="shipments"),
    path(
        "shipments/<int:pk>/", UnderConstructionPage.as_view(section="shipments"), name="shipment"
    ),
]
