from agri_platform.events.models import NotificationPreference
from tests.isolation import builder

from .factories import (
    EventFactory,
    NotificationFactory,
    WebhookDeliveryFactory,
    WebhookEndpointFactory,
)


@builder
def events(world):
    # Routed kinds only: a public fact (all_partners) is meant to be seen by every partner.
    event_a = EventFactory(enterprise=world.enterprise_a, partners=[world.partner_a])
    event_b = EventFactory(enterprise=world.enterprise_b, partners=[world.partner_b])
    world.add(event_a, event_b)
    world.add(
        NotificationFactory(user=world.user_a, event=event_a),
        NotificationFactory(user=world.user_b, event=event_b),
    )
    world.add(
        NotificationPreference.objects.create(user=world.user_a),
        NotificationPreference.objects.create(user=world.user_b),
    )
    endpoint_a = WebhookEndpointFactory(partner=world.partner_a)
    endpoint_b = WebhookEndpointFactory(partner=world.partner_b)
    world.add(endpoint_a, endpoint_b)
    world.add(
        WebhookDeliveryFactory(endpoint=endpoint_a, event=event_a),
        WebhookDeliveryFactory(endpoint=endpoint_b, event=event_b),
    )
