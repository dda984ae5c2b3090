"""The exporter's pages for inquiries and promotion events (names in the `portal` namespace)."""

from django.urls import path

from .pages import inbox, promotions

urlpatterns = [
    path("inquiries/", inbox.InquiryListPage.as_view(), name="inquiries"),
    path("inquiries/<int:pk>/", inbox.InquiryPage.as_view(), name="inquiry"),
    path("inquiries/<int:pk>/quote/", inbox.QuotePage.as_view(), name="inquiry-quote"),
    path("inquiries/<int:pk>/decline/", inbox.DeclinePage.as_view(), name="inquiry-decline"),
    path("inquiries/<int:pk>/messages/", inbox.MessagePage.as_view(), name="inquiry-message"),
    path("inquiries/<int:pk>/block-buyer/", inbox.BlockPage.as_view(), name="buyer-block"),
    path(
        "inquiries/quotes/<int:pk>/withdraw/",
        inbox.QuoteWithdrawPage.as_view(),
        name="quote-withdraw",
    ),
    path("inquiries/blocked-buyers/", inbox.BlockedBuyersPage.as_view(), name="blocked-buyers"),
    path(
        "inquiries/blocked-buyers/<int:pk>/unblock/",
        inbox.UnblockPage.as_view(),
        name="buyer-unblock",
    ),
    path("promotions/", promotions.PromotionSignupListPage.as_view(), name="promotions"),
    path("promotions/<int:pk>/", promotions.PromotionSignupPage.as_view(), name="promotion-signup"),
]
