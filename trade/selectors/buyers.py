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


def buyers_for(user):
    """The buyers `user` may see: staff all, a buyer's people and keys their own, anyone else none
    (an enterprise sees a buyer only inside the inquiries it received)."""
    buyers = Buyer.objects.select_related("partner")
    if user is None or not user.is_authenticated:
        return buyers.none()
    if user.is_platform_staff:
        return buyers
    own = buyer_of(user)
    return buyers.filter(pk=own.pk) if own is not None else buyers.none()
