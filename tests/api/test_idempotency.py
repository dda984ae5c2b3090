"""Idempotency-Key on writes: replay, reuse with another body, in flight, 5xx release, expiry."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agri_platform.accounts import services as account_services
from agri_platform.accounts.models import ApiKey, Partner
from agri_platform.api import idempotency
from agri_platform.api.models import IdempotencyKey
from agri_platform.api.tasks import purge_idempotency_keys
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PARTNERS = "/api/v1/partners/"
BODY = {"name": "Shudao Cold Chain", "kind": "carrier", "country": "CN"}


def post(client, body=BODY, key="key-1", path=PARTNERS):
    return client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_replay_returns_the_first_response_and_runs_once(staff_client):
    first = post(staff_client)
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first

    again = post(staff_client)
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert again["Content-Type"] == first["Content-Type"]
    assert Partner.objects.filter(name=BODY["name"]).count() == 1


def test_json_key_order_does_not_change_the_fingerprint(staff_client):
    assert post(staff_client).status_code == 201
    reordered = dict(reversed(list(BODY.items())))
    again = post(staff_client, body=reordered)
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"


def test_same_key_other_body_is_422(staff_client):
    assert post(staff_client).status_code == 201
    other = post(staff_client, body={**BODY, "name": "Another carrier"})
    assert other.status_code == 422
    assert other["Content-Type"] == "application/problem+json"
    assert other.json()["code"] == "idempotency_key_reused"
    assert not Partner.objects.filter(name="Another carrier").exists()


def test_same_key_other_path_is_422(staff_client, partner):
    assert post(staff_client).status_code == 201
    other = staff_client.patch(
        f"{PARTNERS}{partner.pk}/", {"name": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="key-1"
    )
    assert other.status_code == 422
    partner.refresh_from_db()
    assert partner.name != "x"


def test_replay_while_the_first_is_in_flight_is_409(staff_client):
    assert post(staff_client).status_code == 201
    IdempotencyKey.objects.update(state=IdempotencyKey.State.IN_FLIGHT)
    again = post(staff_client)
    assert again.status_code == 409
    assert again.json()["code"] == "idempotency_key_in_flight"
    assert Partner.objects.filter(name=BODY["name"]).count() == 1


def test_a_stale_in_flight_key_is_taken_over(staff_client, settings):
    assert post(staff_client, body={**BODY, "name": "Stale"}).status_code == 201
    Partner.objects.filter(name="Stale").delete()
    IdempotencyKey.objects.update(
        state=IdempotencyKey.State.IN_FLIGHT,
        created_at=timezone.now() - settings.IDEMPOTENCY_IN_FLIGHT_TIMEOUT - timedelta(seconds=1),
    )
    again = post(staff_client, body={**BODY, "name": "Stale"})
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again


def test_4xx_responses_are_stored_and_replayed(staff_client):
    bad = {**BODY, "kind": "spaceship"}
    first = post(staff_client, body=bad)
    assert first.status_code == 400
    again = post(staff_client, body=bad)
    assert again.status_code == 400
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()


def test_a_5xx_is_not_stored_and_the_key_is_released(staff_client, monkeypatch):
    real = account_services.partner_create

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(account_services, "partner_create", broken)
    staff_client.raise_request_exception = False
    failed = post(staff_client)
    assert failed.status_code == 500
    assert failed["Content-Type"] == "application/problem+json"
    assert not IdempotencyKey.objects.exists()

    monkeypatch.setattr(account_services, "partner_create", real)
    retried = post(staff_client)
    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried
    assert Partner.objects.filter(name=BODY["name"]).count() == 1


def test_keys_are_per_caller(staff_user, staff_client):
    other_staff = client_for(
        type(staff_user).objects.create_user(
            email="officer2@example.org", staff_role="officer", password="x"
        )
    )
    assert post(staff_client).status_code == 201
    theirs = post(other_staff, body={**BODY, "name": "Other"})
    assert theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs
    assert IdempotencyKey.objects.filter(key="key-1").count() == 2


def test_expired_keys_no_longer_replay_and_are_purged(staff_client):
    assert post(staff_client).status_code == 201
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    again = post(staff_client)
    assert "Idempotent-Replayed" not in again
    assert again.status_code == 409  # ran again: the partner name is taken now
    assert again.json()["code"] == "partner_exists"

    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    IdempotencyKey.objects.create(
        owner="user:0",
        key="live",
        method="POST",
        path="/",
        fingerprint="x",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    assert purge_idempotency_keys() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["live"]


def test_keys_live_for_the_configured_ttl(staff_client, settings):
    before = timezone.now()
    post(staff_client)
    record = IdempotencyKey.objects.get()
    assert record.expires_at - before >= settings.IDEMPOTENCY_KEY_TTL - timedelta(seconds=5)
    assert record.expires_at - before <= settings.IDEMPOTENCY_KEY_TTL + timedelta(seconds=5)
    assert timedelta(hours=24) == settings.IDEMPOTENCY_KEY_TTL
    assert "api.purge_idempotency_keys" in settings.CELERY_BEAT_SCHEDULE


def test_patch_is_idempotent_too(enterprise_client):
    first = enterprise_client.patch(
        "/api/v1/me/", {"full_name": "Zhang"}, format="json", HTTP_IDEMPOTENCY_KEY="p1"
    )
    assert first.status_code == 200
    again = enterprise_client.patch(
        "/api/v1/me/", {"full_name": "Zhang"}, format="json", HTTP_IDEMPOTENCY_KEY="p1"
    )
    assert again["Idempotent-Replayed"] == "true"
    other = enterprise_client.patch(
        "/api/v1/me/", {"full_name": "Li"}, format="json", HTTP_IDEMPOTENCY_KEY="p1"
    )
    assert other.status_code == 422


def test_without_the_header_nothing_is_recorded(staff_client):
    assert staff_client.post(PARTNERS, BODY, format="json").status_code == 201
    assert not IdempotencyKey.objects.exists()


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "naïve"])
def test_malformed_keys_are_400_naming_the_header(staff_client, key):
    response = post(staff_client, key=key)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert not Partner.objects.exists()


def test_multipart_boundaries_do_not_change_the_fingerprint(rf):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.parsers import MultiPartParser
    from rest_framework.request import Request

    def fingerprint_with(boundary):
        from django.test.client import encode_multipart

        data = {"name": "doc", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.7 test")}
        body = encode_multipart(boundary, data)
        django_request = rf.post(
            "/api/v1/x/", body, content_type=f"multipart/form-data; boundary={boundary}"
        )
        return idempotency.fingerprint(Request(django_request, parsers=[MultiPartParser()]))

    assert fingerprint_with("AAAA") == fingerprint_with("BBBB")


def test_api_key_creation_replays_without_the_plaintext_which_is_never_stored(
    staff_client, partner
):
    path = f"{PARTNERS}{partner.pk}/api-keys/"
    body = {"name": "TMS", "scopes": ["logistics:write"]}
    first = post(staff_client, body=body, path=path, key="k")
    second = post(staff_client, body=body, path=path, key="k")
    assert first.status_code == second.status_code == 201
    assert second.json()["key"] is None
    assert second["Idempotent-Replayed"] == "true"
    assert ApiKey.objects.filter(partner=partner).count() == 1
    stored = bytes(IdempotencyKey.objects.get().response_body)
    assert first.json()["key"].encode() not in stored
