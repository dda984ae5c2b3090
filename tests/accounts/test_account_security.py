"""Accounts people can rely on: password change and reset, sign out everywhere, e-mail
confirmation before registering an enterprise."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from agri_platform.accounts.models import AuthToken
from agri_platform.accounts.services import token_issue
from tests import factories
from tests.conftest import client_for

from .mailbox import confirm_email, link_in_last_email

# Account e-mails are queued on commit: these tests commit, as requests in production do.
pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/me/"
PASSWORD = "/api/v1/me/password/"
EVERYWHERE = "/api/v1/auth/logout-everywhere/"
RESET = "/api/v1/auth/password-reset/"
RESET_CONFIRM = "/api/v1/auth/password-reset/confirm/"
CONFIRM = "/api/v1/auth/email-confirmation/"
RESEND = "/api/v1/auth/email-confirmation/resend/"
NEW_PASSWORD = "Peppercorn-harvest-2027"


@pytest.fixture(autouse=True)
def _eager_celery(eager_tasks):
    """The e-mail task runs in-process even when REDIS_URL points at a broker."""


def problem_field(response) -> tuple[str, set]:
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    return body["code"], {error["field"] for error in body.get("errors", [])}


def bearer(plaintext: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    return client


def session_client(user) -> APIClient:
    client = APIClient()
    assert client.login(email=user.email, password=factories.DEFAULT_PASSWORD)
    assert client.get(ME).status_code == 200
    return client


def can_sign_in(user, password: str) -> bool:
    response = APIClient().post(TOKEN, {"email": user.email, "password": password}, format="json")
    return response.status_code == 201


# --- password change ------------------------------------------------------------------------------


def test_password_change_needs_the_current_password():
    user = factories.UserFactory()
    response = client_for(user).post(
        PASSWORD,
        {"current_password": "not-the-password", "new_password": NEW_PASSWORD},
        format="json",
    )
    assert response.status_code == 400
    assert problem_field(response) == ("wrong_password", {"current_password"})
    assert can_sign_in(user, factories.DEFAULT_PASSWORD)


def test_password_change_refuses_a_weak_password_by_name():
    user = factories.UserFactory()
    response = client_for(user).post(
        PASSWORD,
        {"current_password": factories.DEFAULT_PASSWORD, "new_password": "12345678"},
        format="json",
    )
    assert response.status_code == 400
    assert problem_field(response)[1] == {"new_password"}
    assert can_sign_in(user, factories.DEFAULT_PASSWORD)


def test_password_change_ends_every_other_token_and_session():
    user = factories.UserFactory()
    current = client_for(user)
    other = client_for(user)
    browser = session_client(user)
    response = current.post(
        PASSWORD,
        {"current_password": factories.DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
        format="json",
    )
    assert response.status_code == 204, response.content
    assert current.get(ME).status_code == 200  # the token the change was made with
    assert other.get(ME).status_code == 401
    assert browser.get(ME).status_code in (401, 403)
    assert not can_sign_in(user, factories.DEFAULT_PASSWORD)
    assert can_sign_in(user, NEW_PASSWORD)


def test_password_change_in_the_browser_keeps_this_session_only():
    user = factories.UserFactory()
    browser = session_client(user)
    elsewhere = session_client(user)
    token = client_for(user)
    response = browser.post(
        PASSWORD,
        {"current_password": factories.DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
        format="json",
    )
    assert response.status_code == 204
    assert browser.get(ME).status_code == 200
    assert elsewhere.get(ME).status_code in (401, 403)
    assert token.get(ME).status_code == 401


# --- sign out everywhere --------------------------------------------------------------------------


def test_sign_out_everywhere_revokes_every_token_and_session():
    user = factories.UserFactory()
    keep_someone_else = client_for(factories.UserFactory())
    first, second = client_for(user), client_for(user)
    browser = session_client(user)
    assert first.post(EVERYWHERE).status_code == 204
    assert first.get(ME).status_code == 401
    assert second.get(ME).status_code == 401
    assert browser.get(ME).status_code in (401, 403)
    assert not AuthToken.objects.usable().filter(user=user).exists()
    assert keep_someone_else.get(ME).status_code == 200
    assert can_sign_in(user, factories.DEFAULT_PASSWORD)  # the password stays


# --- password reset -------------------------------------------------------------------------------


def test_reset_answers_the_same_whether_or_not_the_address_exists(settings):
    settings.PUBLIC_BASE_URL = "https://agri.example.org:8443"
    user = factories.UserFactory()
    known = APIClient().post(RESET, {"email": user.email.upper()}, format="json")
    unknown = APIClient().post(RESET, {"email": "nobody@example.org"}, format="json")
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert [message.to for message in mail.outbox] == [[user.email]]
    link = link_in_last_email(user.email, "reset")
    assert link["url"].startswith("https://agri.example.org:8443/account/reset/")


def test_one_email_of_a_kind_per_account_per_interval(settings):
    settings.ACCOUNT_EMAIL_INTERVAL_SECONDS = 60
    user = factories.UserFactory()
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        response = APIClient(REMOTE_ADDR=address).post(RESET, {"email": user.email}, format="json")
        assert response.status_code == 202
    assert len(mail.outbox) == 1
    client = sign_up("another@example.org")
    assert client.post(RESEND).status_code == 202  # the sign-up e-mail went out a moment ago
    assert len([m for m in mail.outbox if m.to == ["another@example.org"]]) == 1


def test_reset_through_the_api_works_once_and_ends_every_token():
    user = factories.UserFactory()
    signed_in = client_for(user)
    APIClient().post(RESET, {"email": user.email}, format="json")
    link = link_in_last_email(user.email, "reset")
    body = {"uid": link["uid"], "token": link["token"], "new_password": NEW_PASSWORD}
    assert APIClient().post(RESET_CONFIRM, body, format="json").status_code == 204
    assert signed_in.get(ME).status_code == 401
    assert can_sign_in(user, NEW_PASSWORD)
    again = APIClient().post(
        RESET_CONFIRM, {**body, "new_password": "Another-one-2028"}, format="json"
    )
    assert again.status_code == 400
    assert problem_field(again) == ("invalid_token", {"token"})
    assert can_sign_in(user, NEW_PASSWORD)


def test_reset_link_expires(settings):
    user = factories.UserFactory()
    APIClient().post(RESET, {"email": user.email}, format="json")
    link = link_in_last_email(user.email, "reset")
    settings.PASSWORD_RESET_TIMEOUT = -1  # issued longer ago than the lifetime
    response = APIClient().post(
        RESET_CONFIRM,
        {"uid": link["uid"], "token": link["token"], "new_password": NEW_PASSWORD},
        format="json",
    )
    assert response.status_code == 400
    assert problem_field(response)[0] == "invalid_token"


@pytest.mark.parametrize(
    "uid, token",
    [
        ("!!!", "abc-def"),
        ("OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk", "c0ffee-0123456789abcdef"),  # beyond bigint
        ("LTE", "c0ffee-0123456789abcdef"),  # "-1"
        ("4pyT", "x"),  # not ASCII digits
        ("MQ", "zzzzzzzzzzzzzzzzzzzzzz-0123"),  # huge base36 timestamp
    ],
)
def test_garbage_links_are_a_400_naming_the_token(uid, token):
    factories.UserFactory()
    response = APIClient().post(
        RESET_CONFIRM, {"uid": uid, "token": token, "new_password": NEW_PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert problem_field(response) == ("invalid_token", {"token"})
    response = APIClient().post(CONFIRM, {"uid": uid, "token": token}, format="json")
    assert response.status_code == 400


def test_reset_page_from_the_email_sets_the_password_and_signs_out_everywhere(client):
    user = factories.UserFactory()
    signed_in = client_for(user)
    APIClient().post(RESET, {"email": user.email}, format="json")
    link = link_in_last_email(user.email, "reset")
    form = client.get(link["url"], follow=True)
    assert form.status_code == 200
    assert 'name="new_password1"' in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert done.status_code == 200
    assert "密码已更新" in done.content.decode()
    assert signed_in.get(ME).status_code == 401
    assert can_sign_in(user, NEW_PASSWORD)
    used_again = client.get(link["url"], follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "invalid, expired or already used" in used_again.content.decode()


# --- e-mail confirmation --------------------------------------------------------------------------


def sign_up(email: str) -> APIClient:
    client = APIClient()
    response = client.post(
        "/api/v1/auth/register/",
        {"email": email, "password": "a-long-unusual-passphrase-42"},
        format="json",
    )
    assert response.status_code == 201, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    return client


def register_enterprise(client):
    from tests.enterprises.conftest import registration

    return client.post("/api/v1/enterprises/", registration(), format="json")


@pytest.fixture
def reference_data(db):
    from agri_platform.reference.loading import load_reference_data

    load_reference_data()


def test_an_enterprise_needs_a_confirmed_address(reference_data, settings):
    settings.PUBLIC_BASE_URL = "https://agri.example.org"
    client = sign_up("founder@example.org")
    assert client.get(ME).json()["email_confirmed_at"] is None
    refused = register_enterprise(client)
    assert refused.status_code == 403
    assert problem_field(refused)[0] == "email_not_confirmed"
    link = link_in_last_email("founder@example.org", "confirm-email")
    assert link["url"].startswith("https://agri.example.org/account/confirm-email/")
    confirm_email(client, "founder@example.org")
    assert client.get(ME).json()["email_confirmed_at"] is not None
    assert register_enterprise(client).status_code == 201


def test_confirmation_link_works_once_and_resend_stops_when_confirmed(settings):
    settings.ACCOUNT_EMAIL_INTERVAL_SECONDS = 0
    client = sign_up("grower@example.org")
    assert client.post(RESEND).status_code == 202
    assert len([m for m in mail.outbox if m.to == ["grower@example.org"]]) == 2
    link = link_in_last_email("grower@example.org", "confirm-email")
    body = {"uid": link["uid"], "token": link["token"]}
    assert APIClient().post(CONFIRM, body, format="json").status_code == 204
    again = APIClient().post(CONFIRM, body, format="json")
    assert again.status_code == 400
    assert problem_field(again) == ("invalid_token", {"token"})
    resend = client.post(RESEND)
    assert resend.status_code == 409
    assert problem_field(resend)[0] == "email_already_confirmed"


def test_confirmation_link_expires(settings):
    sign_up("late@example.org")
    link = link_in_last_email("late@example.org", "confirm-email")
    settings.EMAIL_CONFIRMATION_TIMEOUT = -1
    response = APIClient().post(
        CONFIRM, {"uid": link["uid"], "token": link["token"]}, format="json"
    )
    assert response.status_code == 400


def test_confirmation_page_confirms_on_the_button_not_on_the_visit(client):
    sign_up("phone@example.org")
    link = link_in_last_email("phone@example.org", "confirm-email")
    page = client.get(link["url"])
    assert page.status_code == 200
    assert "<form" in page.content.decode()
    user = factories.User.objects.get(email="phone@example.org")
    assert user.email_confirmed_at is None  # a mail scanner's GET confirms nothing
    done = client.post(link["url"])
    assert done.status_code == 200
    user.refresh_from_db()
    assert user.email_confirmed_at is not None
    assert client.get(link["url"]).status_code == 400  # used


def test_factory_and_demo_users_are_confirmed():
    from agri_platform.accounts import demo
    from agri_platform.accounts.models import User

    assert factories.UserFactory().email_confirmed_at is not None
    demo.seed(lambda line: None)
    assert not User.objects.filter(email_confirmed_at__isnull=True).exists()


def test_tokens_issued_after_a_reset_work():
    user = factories.UserFactory()
    APIClient().post(RESET, {"email": user.email}, format="json")
    link = link_in_last_email(user.email, "reset")
    APIClient().post(
        RESET_CONFIRM,
        {"uid": link["uid"], "token": link["token"], "new_password": NEW_PASSWORD},
        format="json",
    )
    _, plaintext = token_issue(user=user)
    assert bearer(plaintext).get(ME).status_code == 200
