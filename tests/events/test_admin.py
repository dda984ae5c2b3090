import pytest
from django.test import Client

from agri_platform.events.models import WebhookDelivery
from tests.factories import UserFactory

from .factories import EventFactory, NotificationFactory, WebhookDeliveryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True, staff_role="platform_admin"))
    return client


def test_changelists_render(admin_client_):
    event = EventFactory()
    NotificationFactory(event=event)
    delivery = WebhookDeliveryFactory(event=event)
    for name in (
        "event",
        "notification",
        "notificationpreference",
        "emailmessage",
        "webhookendpoint",
        "webhookdelivery",
    ):
        assert admin_client_.get(f"/admin/events/{name}/").status_code == 200, name
    assert (
        admin_client_.get(f"/admin/events/webhookdelivery/{delivery.pk}/change/").status_code == 200
    )
    page = admin_client_.get(f"/admin/events/webhookendpoint/{delivery.endpoint_id}/change/")
    assert page.status_code == 200
    assert delivery.endpoint.secret not in page.content.decode()  # never shown again


def test_redeliver_admin_action(admin_client_, django_capture_on_commit_callbacks):
    delivery = WebhookDeliveryFactory(status="failed", endpoint__url="https://127.0.0.1/")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(
            "/admin/events/webhookdelivery/",
            {"action": "redeliver", "_selected_action": [delivery.pk]},
            follow=True,
        )
    assert "1 queued for redelivery" in response.content.decode()
    delivery = WebhookDelivery.objects.get(pk=delivery.pk)
    assert delivery.status == "pending" and delivery.attempt_count == 1
