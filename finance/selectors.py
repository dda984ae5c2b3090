"""Tenant-scoped reads: an enterprise sees its own requests, a partner the requests routed to it
(through the routing table) and only its own offers, staff everything."""

from django.db.models import Prefetch

from agri_platform.accounts.models import Partner
from agri_platform.api.tenancy import scope_queryset

from .choices import OfferStatus
from .models import FinancingDocument, FinancingOffer, FinancingRequest
from .money import offer_total_cost


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


def requests_of_enterprise(user, enterprise):
    """The requests of the enterprise a person acts for in the portal (within what `user` sees)."""
    return financing_requests_for(user).filter(enterprise=enterprise)


def offers_of_enterprise(user, enterprise):
    return (
        offers_for(user).filter(request__enterprise=enterprise).select_related("request__currency")
    )


def sort_by_total_cost(offers) -> list:
    """Cheapest total cost first; ties by rate, then age (docs/finance.md)."""
    return sorted(offers, key=lambda o: (offer_total_cost(o), o.rate_percent, o.created_at, o.pk))


def cheapest_pending(offers: list):
    """The pending offer with the lowest total cost among `offers` sorted by `sort_by_total_cost`."""
    return next((offer for offer in offers if offer.status == OfferStatus.PENDING), None)


def evidence_candidates(enterprise) -> dict[str, list]:
    """The enterprise's own shipments and certificates, newest first, that a request may link
    (the evidence resolvers of finance/evidence.py decide when one is linked)."""
    return {
        "shipment": list(
            enterprise.shipments.select_related("destination").order_by("-planned_departure")
        ),
        "certificate": list(
            enterprise.certificates.select_related("scheme").order_by("-issue_date", "-id")
        ),
    }
