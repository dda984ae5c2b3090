"""What every portal and desk page's layout shows: the enterprise acted for (or, for a partner's
people, the partner and its desk's entries) and the unread inbox count."""

from django.apps import apps

from .desk import sections_for
from .enterprise import current_enterprise, enterprises_of

PORTAL_PREFIXES = ("/portal/", "/desk/")


def portal(request) -> dict:
    if not request.path.startswith(PORTAL_PREFIXES) or not request.user.is_authenticated:
        return {}
    notification = apps.get_model("events", "Notification")
    unread_count = notification.objects.filter(user=request.user, read_at__isnull=True).count()
    partner = request.user.partner if request.user.partner_id else None
    if partner is not None:
        return {
            "desk_partner": partner,
            "desk_sections": sections_for(partner),
            "unread_count": unread_count,
        }
    return {
        "portal_enterprise": current_enterprise(request),
        "portal_enterprises": enterprises_of(request.user),
        "unread_count": unread_count,
    }
