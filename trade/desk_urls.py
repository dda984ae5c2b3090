"""The buyer's desk (names in the `desk` namespace; see trade/pages/frame.py)."""

from django.urls import path

from .pages import buyer_desk, buyer_profile

urlpatterns = [
    path("inquiries/", buyer_desk.InquiryListDesk.as_view(), name="inquiries"),
    path("inquiries/new/", buyer_desk.InquiryNewDesk.as_view(), name="inquiry-new"),
    path("inquiries/new/places/", buyer_desk.PlacesDesk.as_view(), name="inquiry-new-places"),
    path("inquiries/<int:pk>/", buyer_desk.InquiryDesk.as_view(), name="inquiry"),
    path("inquiries/<int:pk>/messages/", buyer_desk.MessageDesk.as_view(), name="inquiry-message"),
    path(
        "inquiries/<int:pk>/withdraw/", buyer_desk.WithdrawDesk.as_view(), name="inquiry-withdraw"
    ),
    path("inquiries/<int:pk>/accept/", buyer_desk.AcceptDesk.as_view(), name="inquiry-accept"),
    path(
        "inquiries/<int:pk>/decline/",
        buyer_desk.DeclineQuoteDesk.as_view(),
        name="inquiry-decline-quote",
    ),
    path("buyer/", buyer_profile.BuyerProfileDesk.as_view(), name="buyer-profile"),
]
