"""Shipment drafts in the portal: one draft with its readiness, booked from the booking page."""

from django.shortcuts import get_object_or_404

from agri_platform.portal.views import EnterprisePage

from ..models import ShipmentDraft


class ShipmentDraftPage(EnterprisePage):
    template_name = "portal/placeholder.html"
    extra_context = {"base_template": "portal/base.html"}
    section = "shipments"
    isolation_model = ShipmentDraft

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["draft"] = get_object_or_404(
            ShipmentDraft, pk=self.kwargs["pk"], enterprise=self.enterprise
        )
        return context
