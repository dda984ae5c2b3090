"""The buyer's desk (names in the `desk` namespace; see trade/pages/frame.py)."""

from django.urls import path

from .pages import buyer_desk, buyer_profile

urlpatterns = [
    path("inquiries/", buyer_desk.InquiryListDesk.as_view(), name="inquiries"),
    path("inquiries/new/", buyer_desk.InquiryNewDesk.as_view(), name="inquiry-new"),
    path("inquiries/<int:pk>/", buyer_desk.InquiryDesk.as_view(), name="inquiry"),
    path("buyer/", buyer_profile.BuyerProfileDesk.as_view(), name="buyer-profile"),
]
