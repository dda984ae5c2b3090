from django.urls import include, path

urlpatterns = [
    path("", include("logistics.booking_urls")),
    path("", include("logistics.shipment_urls")),
    path("", include("logistics.draft_urls")),
]
