"""The exporter's side of inquiries in the portal: the inquiries received, one inquiry with its
quotes and messages, the blocked buyers."""

from django.shortcuts import get_object_or_404

from agri_platform.portal.views import EnterprisePage

from ..models import Inquiry


class InquiryListPage(EnterprisePage):
    template_name = "portal/placeholder.html"
    extra_context = {"base_template": "portal/base.html"}
    section = "inquiries"


class InquiryPage(InquiryListPage):
    isolation_model = Inquiry

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inquiry = get_object_or_404(Inquiry, pk=self.kwargs["pk"], enterprise=self.enterprise)
        context["inquiry"] = inquiry
        return context


class BlockedBuyersPage(InquiryListPage):
    pass
