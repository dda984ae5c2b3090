"""The exporter's pages for inquiries and promotion events (names in the `portal` namespace)."""

from django.urls import path

from .pages import inbox, promotions

urlpatterns = [
    path("inquiries/", inbox.InquiryListPage.as_view(), name="inquiries"),
    path("inquiries/<int:pk>/", inbox.InquiryPage.as_view(), name="inquiry"),
    path("inquiries/blocked-buyers/", inbox.BlockedBuyersPage.as_view(), name="blocked-buyers"),
    path("promotions/", promotions.PromotionSignupListPage.as_view(), name="promotions"),
    path("promotions/<int:pk>/", promotions.PromotionSignupPage.as_view(), name="promotion-signup"),
]
