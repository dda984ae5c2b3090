"""Enterprise verification → inbox notification, e-mail and a signed webhook, with a real worker.

A reviewer verifies the enterprise through the API (`POST enterprises/{id}/verify/`); the service
records `enterprise.verified` in its transaction and the worker fans it out.
"""

import pytest
from standardwebhooks.webhooks import Webhook

from agri_platform.accounts.choices import MembershipRole, StaffRole
from agri_platform.events.choices import DeliveryStatus, EmailStatus
from agri_platform.events.models import EmailMessage, Event, Notification, WebhookDelivery
from tests.conftest import client_for
from tests.events.factories import WebhookEndpointFactory
from tests.events.receiver import Receiver
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    PartnerFactory,
    StaffUserFactory,
    UserFactory,
)

from .conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_enterprise_verification_reaches_inbox_mailbox_and_partner_webhook(make_worker):
    make_worker(
        extra_env={"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    ).start()
    enterprise = EnterpriseFactory(status="pending")
    owner = MembershipFactory(
        enterprise=enterprise, role=MembershipRole.OWNER, user=UserFactory(language="zh-hans")
    ).user
    reviewer = StaffUserFactory(staff_role=StaffRole.REVIEWER)
    bank = PartnerFactory(name="Bank of Chengdu")
    endpoint = WebhookEndpointFactory(partner=bank, event_kinds=["enterprise.verified"])

    with Receiver(secret=endpoint.secret) as rx:
        endpoint.url = rx.url
        endpoint.save(update_fields=["url"])
        response = client_for(reviewer).post(f"/api/v1/enterprises/{enterprise.pk}/verify/")
        assert response.status_code == 200, response.content
        event = Event.objects.get(kind="enterprise.verified", enterprise=enterprise)
        wait_for(
            lambda: WebhookDelivery.objects.filter(
                event=event, endpoint=endpoint, status=DeliveryStatus.SUCCEEDED
            ).exists(),
            timeout=30,
            message="the signed webhook",
        )
        body = Webhook(endpoint.secret).verify(rx.requests[0]["body"], rx.requests[0]["headers"])
    assert body["type"] == "enterprise.verified"
    assert body["data"]["uscc"] == enterprise.uscc and body["data"]["event_id"] == event.pk

    notification = Notification.objects.get(event=event, user=owner)
    assert notification.title == f"企业已通过审核：{enterprise.name_zh}"
    assert not Notification.objects.filter(event=event, user=reviewer).exists()
    wait_for(
        lambda: EmailMessage.objects.filter(
            user=owner, kind="enterprise.verified", status=EmailStatus.SENT
        ).exists(),
        timeout=30,
        message="the e-mail",
    )
    email = EmailMessage.objects.get(user=owner)
    assert email.to_address == owner.email and enterprise.name_zh in email.subject
