"""Desk pages (names in the `desk` namespace; see agri_platform/portal/desk.py)."""

from django.urls import path

from . import desk_pages

urlpatterns = [
    path("financing/", desk_pages.RequestListPage.as_view(), name="financing"),
    path("financing/offers/", desk_pages.OfferListPage.as_view(), name="financing-offers"),
    path("financing/<int:pk>/", desk_pages.RequestPage.as_view(), name="financing-request"),
    path(
        "financing/<int:pk>/total/",
        desk_pages.OfferTotalPartial.as_view(),
        name="financing-offer-total",
    ),
]
