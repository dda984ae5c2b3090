"""Tenant-scoped reads: an enterprise sees its own requests, a partner the requests routed to it
(through the routing table) and only its own offers, staff everything."""

from django.db.models import Prefetch

from agri_platform.accounts.models import Partner
from agri_platform.api.tenancy import scope_queryset

from .models import FinancingDocument, FinancingOffer, FinancingRequest


def financing_requests_for(user):
    queryset = FinancingRequest.objects.select_related("enterprise", "currency").prefetch_related(
        "evidence", Prefetch("partners", queryset=Partner.objects.order_by("name"))
    )
    return scope_queryset(queryset, user, partner_field="routings__partner")


def offers_for(user):
    queryset = FinancingOffer.objects.select_related("request", "currency", "partner")
    return scope_queryset(
        queryset, user, enterprise_field="request__enterprise", partner_field="partner"
    )


def documents_of(financing_request):
    return FinancingDocument.objects.filter(request=financing_request)


def documents_for(user, request_id):
    """Documents of one request the caller may see: its enterprise, the partners it is routed to,
    staff."""
    return FinancingDocument.objects.filter(
        request_id=request_id, request__in=financing_requests_for(user).values("pk")
    )
