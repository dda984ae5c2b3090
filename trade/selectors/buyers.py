"""Who is a buyer: the organisation a person or an API key acts for."""

from ..models import Buyer


def buyer_of(user) -> Buyer | None:
    """The buyer organisation `user` acts for (a person of it, or its API keys' service account),
    else None."""
    if user is None or not user.is_authenticated:
        return None
    partner = user.partner if user.partner_id else getattr(user, "service_for_partner", None)
    if partner is None:
        return None
    return Buyer.objects.filter(partner=partner).select_related("partner").first()
