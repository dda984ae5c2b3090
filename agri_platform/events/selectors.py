"""Tenant-scoped reads for the events app's views and tasks."""

from django.db.models import Q

from agri_platform.api.tenancy import enterprise_ids_of

from .models import Event, Notification, WebhookDelivery, WebhookEndpoint


def events_for(user):
    """Staff: every event. Enterprise users: their enterprises' events. Partners: events routed to
    them plus public facts broadcast to all partners."""
    events = Event.objects.select_related("subject_type")
    if not user or not user.is_authenticated:
        return events.none()
    if user.is_platform_staff:
        return events
    if user.partner_id:
        routed = Event.partners.through.objects.filter(partner_id=user.partner_id).values(
            "event_id"
        )
        return events.filter(Q(for_all_partners=True) | Q(pk__in=routed))
    return events.filter(enterprise_id__in=enterprise_ids_of(user))


def notifications_for(user):
    """A user's own inbox, whoever they are (staff read only their own notifications too)."""
    if not user or not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user).select_related("event")


def inbox_for(user, *, unread_only: bool = False):
    """The portal inbox: the user's notifications, newest first, with what their titles read."""
    notifications = notifications_for(user).select_related("event__subject_type", "user")
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


def unread_count(user) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


def endpoints_for(user):
    if not user or not user.is_authenticated:
        return WebhookEndpoint.objects.none()
    if user.is_platform_staff:
        return WebhookEndpoint.objects.all()
    if user.partner_id:
        return WebhookEndpoint.objects.filter(partner_id=user.partner_id)
    return WebhookEndpoint.objects.none()


def deliveries_for(user):
    deliveries = WebhookDelivery.objects.select_related("endpoint").prefetch_related("attempts")
    if not user or not user.is_authenticated:
        return deliveries.none()
    if user.is_platform_staff:
        return deliveries
    if user.partner_id:
        return deliveries.filter(endpoint__partner_id=user.partner_id)
    return deliveries.none()
