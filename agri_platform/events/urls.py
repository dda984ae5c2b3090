from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("events", views.EventViewSet, basename="event")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("webhooks/endpoints", views.WebhookEndpointViewSet, basename="webhook-endpoint")
router.register("webhooks/deliveries", views.WebhookDeliveryViewSet, basename="webhook-delivery")

urlpatterns = [
    path(
        "notifications/preferences/",
        views.NotificationPreferenceView.as_view(),
        name="notification-preferences",
    ),
    *router.urls,
]
