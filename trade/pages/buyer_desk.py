"""The buyer's desk pages: inquiries, quotes, messages (the profile: trade/pages/buyer_profile.py)."""

from django.shortcuts import get_object_or_404

from ..models import Inquiry
from .frame import BuyerPage


class InquiryListDesk(BuyerPage):
    section = "desk:inquiries"


class InquiryNewDesk(InquiryListDesk):
    pass


class InquiryDesk(InquiryListDesk):
    isolation_model = Inquiry

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["inquiry"] = get_object_or_404(Inquiry, pk=self.kwargs["pk"], buyer=self.buyer)
        return context
