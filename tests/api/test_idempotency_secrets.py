"""A secret shown once (invitation token, webhook secret, API key) is never kept in the idempotency
store: a retry with the same key replays the first answer with the secret redacted and says so, and
runs nothing twice. A convention test finds every write whose response carries such a field."""

import re

import pytest
from django.urls import resolve

from agri_platform.accounts.models import ApiKey
from agri_platform.api.idempotency import REDACTED_HEADER
from agri_platform.api.models import IdempotencyKey
from agri_platform.events.models import WebhookEndpoint
from enterprises.models import Invitation
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

SECRET_FIELD_NAMES = frozenset({"token", "key", "secret", "password", "api_key", "plaintext"})


def _post_twice(client, path, body, key="retry-1"):
    first = client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    return first, again


def _assert_redacted_replay(first, again, field, status=201):
    assert first.status_code == status, first.content
    secret = first.json()[field]
    assert secret
    assert REDACTED_HEADER not in first
    assert again.status_code == status
    assert again["Idempotent-Replayed"] == "true"
    assert again[REDACTED_HEADER] == field
    assert again.json()[field] is None
    assert again.json()["id"] == first.json()["id"]
    for row in IdempotencyKey.objects.all():
        assert secret.encode() not in bytes(row.response_body)


def test_invitation_token_is_not_stored_for_replay(enterprise_client, enterprise):
    path = f"/api/v1/enterprises/{enterprise.pk}/invitations/"
    first, again = _post_twice(
        enterprise_client, path, {"email": "a@example.com", "role": "member"}
    )

    _assert_redacted_replay(first, again, "token")
    assert Invitation.objects.count() == 1


def test_webhook_secret_is_not_stored_for_replay(make_partner_client):
    client = make_partner_client(PartnerFactory(), ["webhooks:manage"])
    body = {"url": "https://erp.example.com/hooks", "event_kinds": ["finance.*"]}
    first, again = _post_twice(client, "/api/v1/webhooks/endpoints/", body)

    _assert_redacted_replay(first, again, "secret")
    assert WebhookEndpoint.objects.count() == 1

    rotate = f"/api/v1/webhooks/endpoints/{first.json()['id']}/rotate-secret/"
    first, again = _post_twice(client, rotate, {}, key="rotate-1")
    _assert_redacted_replay(first, again, "secret", status=200)


def test_api_key_is_not_stored_for_replay_and_a_retry_makes_no_second_key(staff_client):
    partner = PartnerFactory()
    path = f"/api/v1/partners/{partner.pk}/api-keys/"
    first, again = _post_twice(staff_client, path, {"name": "erp", "scopes": ["logistics:read"]})

    _assert_redacted_replay(first, again, "key")
    assert ApiKey.objects.filter(partner=partner).count() == 1


def _secret_properties(schema, node, seen=()) -> set[str]:
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name in seen:
                return set()
            return _secret_properties(schema, schema["components"]["schemas"][name], (*seen, name))
        found = {key for key in node.get("properties", {}) if key in SECRET_FIELD_NAMES}
        for value in node.values():
            found |= _secret_properties(schema, value, seen)
        return found
    if isinstance(node, list):
        return set().union(*(_secret_properties(schema, item, seen) for item in node))
    return set()


@pytest.fixture(scope="module")
def api_schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def test_every_write_answering_a_secret_keeps_it_out_of_the_store(api_schema):
    checked = 0
    for path, operations in api_schema["paths"].items():
        for method, operation in operations.items():
            if method not in {"post", "put", "patch"}:
                continue
            success = {c: r for c, r in operation["responses"].items() if c.startswith("2")}
            secrets = _secret_properties(api_schema, success)
            if not secrets:
                continue
            checked += 1
            match = resolve(re.sub(r"\{[^}]+\}", "1", path))
            view = match.func.cls
            kept_out = set(getattr(view, "shown_once_fields", ())) | (
                secrets if getattr(view, "idempotency_exempt", False) else set()
            )
            assert secrets <= kept_out, (
                f"{method.upper()} {path} answers {sorted(secrets)}: name them in "
                f"{view.__name__}.shown_once_fields"
            )
    assert checked >= 5  # token, register, API key, invitation, webhook create and rotate
