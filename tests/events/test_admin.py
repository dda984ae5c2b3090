import pytest
from django.test import Client
from django.utils import timezone

from agri_platform.events.models import EmailMessage, WebhookDelivery
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
    assert "1 条已加入重新投递队列；0 条被拒绝（端点已停用）。" in response.content.decode()
    delivery = WebhookDelivery.objects.get(pk=delivery.pk)
    assert delivery.status == "pending" and delivery.attempt_count == 1


def test_staff_read_what_a_person_was_told_and_cannot_change_it(admin_client_):
    user = UserFactory(language="zh-hans")
    email = EmailMessage.objects.create(
        user=user,
        kind="shipment.exception",
        send_after=timezone.now(),
        to_address=user.email,
        language="zh-hans",
        subject="【四川农产品贸易服务平台】运单 SH-1 出现异常",
        body="王芳，您好：\n运单 SH-1 出现异常\n   说明：海关查验延误",
    )
    page = admin_client_.get(f"/admin/events/emailmessage/{email.pk}/change/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "海关查验延误" in content and "正文" in content and "收件地址" in content
    assert "<textarea" not in content and 'name="subject"' not in content  # read-only
    response = admin_client_.post(
        f"/admin/events/emailmessage/{email.pk}/change/", {"subject": "rewritten"}
    )
    assert response.status_code == 403
    email.refresh_from_db()
    assert email.subject.startswith("【四川农产品贸易服务平台】")
    assert admin_client_.get("/admin/events/emailmessage/add/").status_code == 403
