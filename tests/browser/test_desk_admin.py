"""The partner admin desk: a bank's person creates an API key for its core banking system with two
scopes and copies it (shown once), revokes the old key, adds a webhook endpoint, opens a failed
delivery in the log and redelivers it, then rotates the endpoint's signing secret. The platform's
delivery attempt that failed is written as the worker writes it, between the person's steps."""

import re

import pytest

from agri_platform.accounts.models import ApiKey
from agri_platform.accounts.services import api_key_create
from agri_platform.events.choices import AttemptOutcome, DeliveryStatus
from agri_platform.events.models import WebhookAttempt, WebhookEndpoint
from tests import factories
from tests.events.factories import WebhookDeliveryFactory
from tests.factories import DEFAULT_PASSWORD

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]

HOOK_URL = "https://erp.chengdu-bank.example.com/agri/hooks"


def failed_delivery(endpoint):
    """What the worker leaves after the bank's server answered 503 (no network in the test)."""
    delivery = WebhookDeliveryFactory(
        endpoint=endpoint,
        event=None,
        kind="finance.request_routed",
        body='{"type": "finance.request_routed", "data": {"request_id": 7}}',
        status=DeliveryStatus.FAILED,
        attempt_count=1,
        last_status_code=503,
    )
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=1,
        outcome=AttemptOutcome.FAILED,
        started_at=delivery.created_at,
        status_code=503,
        duration_ms=412,
        response_body="Service Unavailable",
    )
    return delivery


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_a_banks_person_manages_its_api_keys_and_webhooks(
    person, live_server, browser, screenshot_dir
):
    bank = factories.PartnerFactory(name="Bank of Chengdu", name_zh="成都银行", kind="bank")
    user = factories.PartnerUserFactory(partner=bank, full_name="Li Na")
    old_key, _ = api_key_create(partner=bank, name="Old TMS", scopes=["finance:read"])

    visit = Visit.start(browser, live_server.url, person)
    visit.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = visit.page
    visit.sign_in(user.email, DEFAULT_PASSWORD)

    # The people: read only, saying whom to ask.
    visit.go("/desk/people/")
    visit.check()
    assert user.email in page.content()

    # A new key with two scopes.
    visit.go("/desk/keys/")
    visit.check()
    page.get_by_role("link", name=visit.text("创建 API 密钥", "Create an API key")).click()
    page.wait_for_url("**/desk/keys/new/")
    visit.check()
    page.get_by_role("button", name=visit.text("创建密钥", "Create the key")).click()
    page.wait_for_load_state()
    visit.check()  # the form again, with its errors
    assert page.locator(".field-error").count() >= 2
    page.fill("#id_name", "Core banking")
    page.locator("input[value='finance:read']").check()
    page.locator("input[value='finance:write']").check()
    page.get_by_role("button", name=visit.text("创建密钥", "Create the key")).click()
    page.wait_for_url("**/desk/keys/created/**")
    visit.check()
    shown_at = page.url
    plaintext = page.locator("#new-key").inner_text()
    key = ApiKey.objects.get(partner=bank, name="Core banking")
    assert key.scopes == ["finance:read", "finance:write"]
    assert f"_{key.prefix}_" in plaintext
    page.get_by_role("button", name=visit.text("复制密钥", "Copy the key")).click()
    page.wait_for_function(
        "() => document.querySelector('[data-copy]').textContent.trim() !== "
        f"{visit.text('复制密钥', 'Copy the key')!r}"
    )
    assert page.evaluate("navigator.clipboard.readText()") == plaintext
    visit.screenshot(screenshot_dir, "desk-keys")
    visit.go(shown_at.removeprefix(live_server.url))  # again: never shown twice
    assert plaintext not in page.content()
    visit.check()

    # Revoke the old key, after reading what stops working.
    visit.go("/desk/keys/")
    page.get_by_role("link", name=re.compile(visit.text("撤销", "Revoke") + ".*Old TMS")).click()
    page.wait_for_url(f"**/desk/keys/{old_key.pk}/revoke/")
    visit.check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=visit.text("撤销密钥", "Revoke the key")).click()
    page.wait_for_url("**/desk/keys/")
    visit.check()
    old_key.refresh_from_db()
    assert old_key.revoked_at is not None

    # A webhook endpoint: a private address is refused at its field, then the real one.
    visit.go("/desk/webhooks/")
    visit.check()
    page.get_by_role("link", name=visit.text("添加 Webhook 端点", "Add a webhook endpoint")).click()
    page.wait_for_url("**/desk/webhooks/new/")
    page.fill("#id_url", "https://192.168.1.20/hooks")
    page.fill("#id_event_kinds", "finance.*")
    page.get_by_role("button", name=visit.text("添加端点", "Add the endpoint")).click()
    page.wait_for_load_state()
    visit.check()
    assert page.locator("#id_url_error").count() == 1
    page.fill("#id_url", HOOK_URL)
    page.get_by_role("button", name=visit.text("添加端点", "Add the endpoint")).click()
    page.wait_for_url("**/secret/**")
    visit.check()
    endpoint = WebhookEndpoint.objects.get(partner=bank)
    assert page.locator("#new-secret").inner_text() == endpoint.secret

    # The platform tried to deliver an event and the bank's server answered 503.
    delivery = failed_delivery(endpoint)
    page.get_by_role("link", name=visit.text("返回端点", "Back to the endpoint")).click()
    page.wait_for_url(f"**/desk/webhooks/{endpoint.pk}/")
    visit.check()
    page.get_by_role("link", name="finance.request_routed").click()
    page.wait_for_url(f"**/desk/webhooks/deliveries/{delivery.pk}/")
    visit.check()
    assert "Service Unavailable" in page.content()
    assert endpoint.secret not in page.content()
    page.get_by_role("button", name=re.compile(visit.text("重新投递", "Redeliver"))).click()
    page.wait_for_url(f"**/desk/webhooks/deliveries/{delivery.pk}/")
    visit.check()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.round_attempts == 0
    visit.go(f"/desk/webhooks/{endpoint.pk}/")
    visit.screenshot(screenshot_dir, "desk-webhook")

    # Rotate the secret: the old one keeps signing for the overlap.
    first_secret = endpoint.secret
    page.get_by_role("link", name=visit.text("轮换签名密钥", "Rotate the signing secret")).click()
    page.wait_for_url(f"**/desk/webhooks/{endpoint.pk}/rotate/")
    visit.check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=visit.text("轮换密钥", "Rotate the secret")).click()
    page.wait_for_url("**/secret/**")
    visit.check()
    endpoint.refresh_from_db()
    assert endpoint.previous_secret == first_secret
    assert page.locator("#new-secret").inner_text() == endpoint.secret
    visit.finish()
