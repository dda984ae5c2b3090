from django.urls import path

from agri_platform.portal.views import UnderConstructionPage

urlpatterns = [
    path("shipments/new/", UnderConstructionPage.as_view(section="shipments"), name="shipment-new"),
]
