"""Desk pages (names in the `desk` namespace; see agri_platform/portal/desk.py)."""

from django.urls import path

from . import desk_pages

urlpatterns = [
    path("webhooks/", desk_pages.WebhooksPage.as_view(), name="webhooks"),
    path("webhooks/new/", desk_pages.NewWebhookPage.as_view(), name="webhook-new"),
    path("webhooks/<int:pk>/", desk_pages.WebhookPage.as_view(), name="webhook"),
    path("webhooks/<int:pk>/edit/", desk_pages.EditWebhookPage.as_view(), name="webhook-edit"),
    path("webhooks/<int:pk>/rotate/", desk_pages.RotateSecretPage.as_view(), name="webhook-rotate"),
    path("webhooks/<int:pk>/secret/", desk_pages.SecretPage.as_view(), name="webhook-secret"),
    path(
        "webhooks/deliveries/<int:pk>/",
        desk_pages.WebhookDeliveryPage.as_view(),
        name="webhook-delivery",
    ),
    path(
        "webhooks/deliveries/<int:pk>/redeliver/",
        desk_pages.RedeliverPage.as_view(),
        name="webhook-redeliver",
    ),
]
