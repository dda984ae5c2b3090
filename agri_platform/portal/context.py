"""What every portal page's layout shows: the enterprise acted for and the unread inbox count."""

from django.apps import apps

from .enterprise import current_enterprise, enterprises_of

PORTAL_PREFIX = "/portal/"


def portal(request) -> dict:
    if not request.path.startswith(PORTAL_PREFIX) or not request.user.is_authenticated:
        return {}
    notification = apps.get_model("events", "Notification")
    return {
        "portal_enterprise": current_enterprise(request),
        "portal_enterprises": enterprises_of(request.user),
        "unread_count": notification.objects.filter(
            user=request.user, read_at__isnull=True
        ).count(),
    }
