"""Promotion events under /promotions/ (names in the `public` namespace)."""

from django.urls import path

from .pages import promotions

urlpatterns = [
    path("", promotions.PromotionListPage.as_view(), name="promotions"),
    path("<int:pk>/", promotions.PromotionPage.as_view(), name="promotion"),
]
