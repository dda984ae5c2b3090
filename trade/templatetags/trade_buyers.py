"""`{% buyer_status_banner partner %}`: what a buyer's verification means for it now (the desk home
and the profile show it)."""

from django import template

from ..choices import BuyerStatus
from ..models import Buyer
from ..services.buyers import open_inquiries, pending_cap

register = template.Library()


@register.inclusion_tag("trade/buyers/status_banner.html")
def buyer_status_banner(buyer_or_partner):
    buyer = buyer_or_partner
    if not isinstance(buyer, Buyer):
        buyer = Buyer.objects.filter(partner=buyer_or_partner).first()
    if buyer is None:
        return {"buyer": None}
    context = {"buyer": buyer, "statuses": BuyerStatus}
    if buyer.status == BuyerStatus.PENDING:
        context.update(cap=pending_cap(), open_count=open_inquiries(buyer))
    return context
