import factory

from agri_platform.events import catalogue, webhooks
from agri_platform.events.models import Event, Notification, WebhookDelivery, WebhookEndpoint
from tests.factories import EnterpriseFactory, PartnerFactory, UserFactory


class EventFactory(factory.django.DjangoModelFactory):
    """An event row without dispatch (use services.record to exercise the outbox)."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    kind = "shipment.dispatched"
    enterprise = factory.SubFactory(EnterpriseFactory)
    payload = factory.LazyAttribute(lambda o: {"reference": "SH-1", "status": "in_transit"})

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if create and extracted:
            self.partners.set(extracted)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    event = factory.SubFactory(EventFactory)
    kind = factory.LazyAttribute(lambda o: o.event.kind)
    title = "Shipment SH-1 dispatched"


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookEndpoint

    partner = factory.SubFactory(PartnerFactory)
    url = "https://hooks.example.com/agri"
    event_kinds = ["*"]
    secret = factory.LazyFunction(webhooks.new_secret)


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookDelivery

    endpoint = factory.SubFactory(WebhookEndpointFactory)
    event = factory.SubFactory(EventFactory)
    msg_id = factory.LazyFunction(webhooks.new_msg_id)
    kind = factory.LazyAttribute(lambda o: o.event.kind if o.event else "webhook.ping")
    body = "{}"


def payload_for(kind: str, **values) -> dict:
    """A complete payload for `kind` (every catalogue field, each of its type), with `values`
    overriding: record() refuses anything less."""
    samples = {
        catalogue.STRING: "x",
        catalogue.INTEGER: 1,
        catalogue.NUMBER: 1.5,
        catalogue.BOOLEAN: False,
        catalogue.ARRAY: [],
    }
    payload = {name: samples[catalogue.field_type(name)] for name in catalogue.get(kind).fields}
    payload.update(values)
    return payload


def verified_payload(enterprise):
    return {
        "enterprise_id": enterprise.pk,
        "uscc": enterprise.uscc,
        "name_zh": enterprise.name_zh,
        "name_en": enterprise.name_en,
        "status": "verified",
    }
