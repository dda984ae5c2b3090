"""Desk pages (names in the `desk` namespace; see agri_platform/portal/desk.py)."""

from django.urls import path

from . import desk_pages

urlpatterns = [
    path("people/", desk_pages.PeoplePage.as_view(), name="people"),
    path("keys/", desk_pages.KeysPage.as_view(), name="keys"),
    path("keys/new/", desk_pages.NewKeyPage.as_view(), name="key-new"),
    path("keys/created/", desk_pages.KeyCreatedPage.as_view(), name="key-created"),
    path("keys/<int:pk>/revoke/", desk_pages.RevokeKeyPage.as_view(), name="key-revoke"),
]
