"""Promotion events: the public list and event page; the exporter's sign-up in the portal."""

from django.shortcuts import get_object_or_404

from agri_platform.portal.public import PublicPage
from agri_platform.portal.views import EnterprisePage

from ..choices import PromotionStatus
from ..models import PromotionEvent


class PromotionListPage(PublicPage):
    pass


class PromotionPage(PublicPage):
    pass


class PromotionSignupListPage(EnterprisePage):
    template_name = "portal/placeholder.html"
    extra_context = {"base_template": "portal/base.html"}
    section = "promotions"


class PromotionSignupPage(PromotionSignupListPage):
    isolation_model = PromotionEvent

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["event"] = get_object_or_404(
            PromotionEvent, pk=self.kwargs["pk"], status=PromotionStatus.PUBLISHED
        )
        return context
