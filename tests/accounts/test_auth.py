"""People's identity: register, tokens, logout, credentials stored as digests, me/, sessions."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from agri_platform.accounts import secrets
from agri_platform.accounts.models import AuthToken, User
from agri_platform.accounts.services import api_key_create, token_issue
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
LOGOUT = "/api/v1/auth/logout/"
ME = "/api/v1/me/"
GOOD_PASSWORD = "Mandarin-orchard-2026"


def bearer(plaintext: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    return client


def errors_of(response) -> dict:
    return {e["field"]: e["code"] for e in response.json().get("errors", [])}


# --- register -----------------------------------------------------------------------------------


def test_register_creates_the_user_and_returns_a_working_token(api_client):
    response = api_client.post(
        REGISTER,
        {"email": " Zhang@Example.ORG ", "password": GOOD_PASSWORD, "language": "en"},
        format="json",
    )
    assert response.status_code == 201
    user = User.objects.get(email="zhang@example.org")
    assert user.language == "en"
    assert user.check_password(GOOD_PASSWORD)
    assert not user.is_platform_staff
    me = bearer(response.json()["token"]).get(ME)
    assert me.status_code == 200
    assert me.json()["email"] == "zhang@example.org"


@pytest.mark.parametrize(
    "password, reason",
    [("short1", "too short"), ("password123", "too common"), ("83749182736451", "numeric")],
)
def test_register_applies_djangos_password_validators(api_client, password, reason):
    response = api_client.post(
        REGISTER, {"email": "li@example.org", "password": password}, format="json"
    )
    assert response.status_code == 400, reason
    assert "password" in errors_of(response)
    assert not User.objects.filter(email="li@example.org").exists()


def test_password_similar_to_the_email_is_refused(api_client):
    response = api_client.post(
        REGISTER, {"email": "wangxiaoming@example.org", "password": "wangxiaoming"}, format="json"
    )
    assert response.status_code == 400
    assert "password" in errors_of(response)


def test_register_with_a_taken_email_is_409(api_client, enterprise_user):
    response = api_client.post(
        REGISTER, {"email": enterprise_user.email.upper(), "password": GOOD_PASSWORD}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"
    assert User.objects.filter(email=enterprise_user.email).count() == 1


def test_register_cannot_make_staff(api_client):
    response = api_client.post(
        REGISTER,
        {"email": "sneaky@example.org", "password": GOOD_PASSWORD, "staff_role": "platform_admin"},
        format="json",
    )
    assert response.status_code == 400
    assert errors_of(response) == {"staff_role": "unknown_field"}
    assert not User.objects.filter(email="sneaky@example.org").exists()


# --- tokens ---------------------------------------------------------------------------------------


def test_token_issue_with_the_right_password(api_client, enterprise_user):
    response = api_client.post(
        TOKEN,
        {"email": enterprise_user.email, "password": factories.DEFAULT_PASSWORD, "name": "laptop"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith(f"agt_{body['prefix']}_")
    token = AuthToken.objects.get(prefix=body["prefix"])
    assert token.name == "laptop"
    assert token.expires_at > timezone.now() + timedelta(days=29)


def test_wrong_password_is_401(api_client, enterprise_user):
    response = api_client.post(
        TOKEN, {"email": enterprise_user.email, "password": "not-it"}, format="json"
    )
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert not AuthToken.objects.filter(user=enterprise_user).exists()


def test_unknown_email_answers_like_a_wrong_password(api_client, enterprise_user):
    wrong = api_client.post(TOKEN, {"email": enterprise_user.email, "password": "x"}, format="json")
    unknown = api_client.post(TOKEN, {"email": "ghost@example.org", "password": "x"}, format="json")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_service_accounts_cannot_log_in(api_client, partner):
    from agri_platform.accounts.services import partner_service_user

    service = partner_service_user(partner=partner)
    service.set_password(GOOD_PASSWORD)  # even if someone gave it one
    service.save()
    response = api_client.post(
        TOKEN, {"email": service.email, "password": GOOD_PASSWORD}, format="json"
    )
    assert response.status_code == 401


def test_inactive_users_cannot_log_in_or_use_tokens(api_client, enterprise_user):
    _, plaintext = token_issue(user=enterprise_user)
    enterprise_user.is_active = False
    enterprise_user.save()
    response = api_client.post(
        TOKEN,
        {"email": enterprise_user.email, "password": factories.DEFAULT_PASSWORD},
        format="json",
    )
    assert response.status_code == 401
    assert bearer(plaintext).get(ME).status_code == 401


def test_logout_revokes_the_token(enterprise_user):
    token, plaintext = token_issue(user=enterprise_user)
    client = bearer(plaintext)
    assert client.post(LOGOUT).status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(ME).status_code == 401


def test_logout_revokes_only_that_token(enterprise_user):
    _, kept = token_issue(user=enterprise_user)
    _, gone = token_issue(user=enterprise_user)
    bearer(gone).post(LOGOUT)
    assert bearer(kept).get(ME).status_code == 200


def test_expired_token_is_rejected(enterprise_user):
    token, plaintext = token_issue(user=enterprise_user)
    AuthToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = bearer(plaintext).get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_revoked_and_expired_api_keys_are_rejected(partner):
    revoked, revoked_plain = api_key_create(partner=partner, name="r", scopes=["logistics:read"])
    expired, expired_plain = api_key_create(partner=partner, name="e", scopes=["logistics:read"])
    type(revoked).objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    type(expired).objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(1))
    for plaintext in (revoked_plain, expired_plain):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {plaintext}")
        assert client.get(ME).status_code == 401


def test_only_the_sha256_digest_is_stored(enterprise_user, partner):
    token, token_plain = token_issue(user=enterprise_user)
    key, key_plain = api_key_create(partner=partner, name="k", scopes=["logistics:read"])
    for row, plaintext in ((token, token_plain), (key, key_plain)):
        values = type(row).objects.filter(pk=row.pk).values().get()
        secret_part = plaintext.split("_", 2)[2]
        for value in values.values():
            assert plaintext not in str(value)
            assert secret_part not in str(value)
        assert values["digest"] == hashlib.sha256(plaintext.encode()).hexdigest()
        assert values["prefix"] == plaintext.split("_")[1]
    for history in key.history.values():
        assert key_plain.split("_", 2)[2] not in str(history)


def test_a_key_differing_in_the_last_character_is_rejected(enterprise_user, partner):
    _, token_plain = token_issue(user=enterprise_user)
    _, key_plain = api_key_create(partner=partner, name="k", scopes=["logistics:read"])
    last = token_plain[-1]
    forged = token_plain[:-1] + ("A" if last != "A" else "B")
    assert bearer(forged).get(ME).status_code == 401
    assert bearer(token_plain).get(ME).status_code == 200
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Api-Key {key_plain[:-1]}{'A' if key_plain[-1] != 'A' else 'B'}"
    )
    assert client.get(ME).status_code == 401


def test_digests_are_compared_in_constant_time(enterprise_user, monkeypatch):
    calls = []
    real = secrets.hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(secrets.hmac, "compare_digest", spy)
    _, plaintext = token_issue(user=enterprise_user)
    assert bearer(plaintext).get(ME).status_code == 200
    assert calls, "the credential was not compared with hmac.compare_digest"


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer a b", "Bearer agt_short_x", "Bearer apk_12345678_x", "Basic abc"]
)
def test_malformed_credentials_are_401(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get(ME).status_code == 401


def test_last_used_at_is_recorded(enterprise_user, partner):
    token, plaintext = token_issue(user=enterprise_user)
    assert token.last_used_at is None
    bearer(plaintext).get(ME)
    token.refresh_from_db()
    assert token.last_used_at is not None
    key, key_plain = api_key_create(partner=partner, name="k", scopes=["logistics:read"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key_plain}")
    client.get(ME)
    key.refresh_from_db()
    assert key.last_used_at is not None


# --- me/ ------------------------------------------------------------------------------------------


def test_me_shows_roles_and_memberships(enterprise_client, enterprise_user, enterprise):
    body = enterprise_client.get(ME).json()
    assert body["email"] == enterprise_user.email
    assert body["is_platform_staff"] is False
    assert body["memberships"] == [
        {"enterprise": enterprise.pk, "enterprise_name": enterprise.name_zh, "role": "owner"}
    ]


def test_me_patch_changes_name_and_language(enterprise_client, enterprise_user):
    response = enterprise_client.patch(ME, {"full_name": "张三", "language": "en"}, format="json")
    assert response.status_code == 200
    enterprise_user.refresh_from_db()
    assert (enterprise_user.full_name, enterprise_user.language) == ("张三", "en")


@pytest.mark.parametrize(
    "field, value",
    [("email", "new@example.org"), ("staff_role", "platform_admin"), ("partner", 1)],
)
def test_me_cannot_change_email_role_or_partner(enterprise_client, enterprise_user, field, value):
    before = User.objects.filter(pk=enterprise_user.pk).values().get()
    response = enterprise_client.patch(ME, {field: value}, format="json")
    assert response.status_code == 400
    assert errors_of(response) == {field: "read_only"}
    assert User.objects.filter(pk=enterprise_user.pk).values().get() == before


def test_me_rejects_put_and_bad_language(enterprise_client):
    assert enterprise_client.put(ME, {"full_name": "x"}, format="json").status_code == 405
    response = enterprise_client.patch(ME, {"language": "fr"}, format="json")
    assert errors_of(response) == {"language": "invalid_choice"}


# --- staff roles and sessions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, may_create_partners",
    [("reviewer", False), ("officer", True), ("platform_admin", True)],
)
def test_staff_roles(role, may_create_partners):
    staff = factories.StaffUserFactory(staff_role=role)
    client = client_for(staff)
    assert client.get("/api/v1/partners/").status_code == 200
    response = client.post(
        "/api/v1/partners/", {"name": f"P {role}", "kind": "bank"}, format="json"
    )
    assert response.status_code == (201 if may_create_partners else 403)
    assert staff.is_platform_staff
    assert staff.has_staff_role("reviewer") == (role in ("reviewer", "platform_admin"))


def test_session_login_works_for_the_admin_and_the_browsable_api():
    staff = factories.StaffUserFactory(staff_role="platform_admin", is_superuser=True)
    client = APIClient()
    assert client.login(email=staff.email, password=factories.DEFAULT_PASSWORD)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/partner/").status_code == 200
    page = client.get(ME, HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert staff.email in page.content.decode()
    assert client.get(ME).json()["email"] == staff.email


def test_session_writes_need_the_csrf_token():
    user = factories.UserFactory()
    client = APIClient(enforce_csrf_checks=True)
    client.login(email=user.email, password=factories.DEFAULT_PASSWORD)
    response = client.patch(ME, {"full_name": "x"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_session_logout_ends_the_session():
    user = factories.UserFactory()
    client = APIClient()
    client.login(email=user.email, password=factories.DEFAULT_PASSWORD)
    assert client.post(LOGOUT).status_code == 204
    assert client.get(ME).status_code in (401, 403)
