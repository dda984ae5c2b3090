"""The portal's account pages (journey 1): sign up, the e-mailed links, a forgotten password,
changing it, settings; each page calls the service the API calls."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from agri_platform.accounts.models import AuthToken, User
from agri_platform.portal.views import EnterprisePage
from tests import factories
from tests.factories import DEFAULT_PASSWORD

from .mailbox import link_in_last_email

pytestmark = pytest.mark.django_db(transaction=True)  # account e-mails go out on commit

NEW_PASSWORD = "Orange-grove-2026"


@pytest.fixture(autouse=True)
def _eager_celery(eager_tasks):
    return eager_tasks


def page_text(response) -> str:
    return response.content.decode()


def main_of(response) -> str:
    """The page's main content (the layout around it carries a per-request CSRF token)."""
    text = page_text(response)
    return text[text.index("<main") : text.index("</main>")]


def field_error(response, field: str) -> str:
    """The message shown next to `field` (empty when none)."""
    form = response.context["form"]
    return " ".join(form.errors.get(field, []))


def sign_up_data(**overrides) -> dict:
    data = {
        "email": "Grower@Example.org",
        "full_name": "Li Wei",
        "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD,
        "language": "en",
    }
    return {**data, **overrides}


# --- sign up ------------------------------------------------------------------------------------


def test_sign_up_makes_the_account_through_the_service_and_sends_the_link(client):
    form = client.get("/portal/signup/")
    assert form.status_code == 200
    assert 'name="password_again"' in page_text(form)
    done = client.post("/portal/signup/", sign_up_data(), follow=True)
    assert done.redirect_chain[-1][0] == "/portal/signup/sent/"
    assert "grower@example.org" in page_text(done)
    assert "Check your e-mail" in page_text(done)  # the chosen language, at once
    user = User.objects.get(email="grower@example.org")
    assert user.full_name == "Li Wei" and user.language == "en"
    assert user.email_confirmed_at is None
    assert link_in_last_email(user.email, "confirm-email")
    assert SESSION_KEY not in client.session  # signs in after confirming


def test_sign_up_refuses_a_weak_password_at_the_field_in_both_languages(client):
    data = sign_up_data(password="12345678", password_again="12345678")
    chinese = client.post("/portal/signup/", data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.status_code == 200
    assert "密码" in field_error(chinese, "password")
    english = client.post("/portal/signup/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert "too common" in field_error(english, "password")
    assert 'aria-invalid="true"' in page_text(english)
    assert not User.objects.filter(email="grower@example.org").exists()


def test_sign_up_refuses_passwords_that_differ_and_a_taken_address(client):
    differ = client.post(
        "/portal/signup/",
        sign_up_data(password_again="Other-grove-2026"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "not the same" in field_error(differ, "password_again")
    factories.UserFactory(email="grower@example.org")
    taken = client.post("/portal/signup/", sign_up_data(), HTTP_ACCEPT_LANGUAGE="en")
    assert "already exists" in field_error(taken, "email")
    bad = client.post("/portal/signup/", sign_up_data(email="not an address", language="xx"))
    assert field_error(bad, "email") and field_error(bad, "language")


def test_confirmation_link_page_is_in_the_portal_look_and_leads_to_sign_in(client):
    client.post("/portal/signup/", sign_up_data())
    link = link_in_last_email("grower@example.org", "confirm-email")
    path = link["url"].split("example.org", 1)[-1]
    page = client.get(path)
    assert 'href="/static/portal/portal.css"' in page_text(page) or "portal.css" in page_text(page)
    done = client.post(path)
    assert 'href="/portal/login/"' in page_text(done)
    assert User.objects.get(email="grower@example.org").email_confirmed_at is not None


def test_a_signed_up_person_signs_in_and_is_sent_to_register_an_enterprise(client, rf):
    client.post("/portal/signup/", sign_up_data())
    signed_in = client.post(
        "/portal/login/", {"username": "grower@example.org", "password": NEW_PASSWORD}
    )
    assert signed_in.url == "/portal/"
    # Every enterprise page (the home page among them) sends them on to register one.
    page = EnterprisePage.as_view(template_name="portal/under_construction.html")
    request = rf.get("/portal/")
    request.user = User.objects.get(email="grower@example.org")
    assert page(request).url == "/portal/enterprise/register/"


# --- a forgotten password -----------------------------------------------------------------------


def test_reset_request_says_the_same_whether_or_not_the_address_exists(client):
    user = factories.UserFactory()
    known = client.post("/portal/password/reset/", {"email": user.email}, follow=True)
    unknown = client.post("/portal/password/reset/", {"email": "nobody@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain == [("/portal/password/reset/sent/", 302)]
    assert main_of(known) == main_of(unknown)
    assert [message.to for message in mail.outbox] == [[user.email]]
    empty = client.post("/portal/password/reset/", {"email": ""})
    assert field_error(empty, "email")


def test_reset_link_page_sets_the_password_and_leads_to_sign_in(client):
    user = factories.UserFactory()
    client.post("/portal/password/reset/", {"email": user.email})
    link = link_in_last_email(user.email, "reset")
    form = client.get(link["url"].split("example.org", 1)[-1], follow=True)
    assert "portal.css" in page_text(form)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert 'href="/portal/login/"' in page_text(done)
    assert Client().login(email=user.email, password=NEW_PASSWORD)


# --- changing the password ----------------------------------------------------------------------


def test_password_change_ends_other_sessions_and_tokens_but_keeps_this_one(client):
    from tests.conftest import client_for

    user = factories.UserFactory()
    elsewhere = Client()
    elsewhere.force_login(user)
    api = client_for(user)
    client.force_login(user)
    wrong = client.post(
        "/portal/password/change/",
        {
            "current_password": "not it",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "current password is wrong" in field_error(wrong, "current_password")
    weak = client.post(
        "/portal/password/change/",
        {"current_password": DEFAULT_PASSWORD, "new_password1": "1234", "new_password2": "1234"},
    )
    assert field_error(weak, "new_password1")
    done = client.post(
        "/portal/password/change/",
        {
            "current_password": DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert done.url == "/portal/settings/"
    assert client.get("/portal/settings/").status_code == 200  # still signed in here
    assert elsewhere.get("/portal/settings/").status_code == 302  # not there
    assert api.get("/api/v1/me/").status_code == 401
    assert not AuthToken.objects.filter(user=user, revoked_at__isnull=True).exists()


# --- settings -----------------------------------------------------------------------------------


def test_settings_save_through_profile_update_and_the_page_follows(client):
    user = factories.UserFactory(language="zh-hans", timezone="")
    client.force_login(user)
    page = client.get("/portal/settings/")
    assert user.email in page_text(page)
    options = page_text(page)
    assert options.index("Asia/Kuala_Lumpur") < options.index("America/New_York")
    saved = client.post(
        "/portal/settings/",
        {"full_name": "Wang Fang", "language": "en", "timezone": "Europe/London"},
        follow=True,
    )
    user.refresh_from_db()
    assert (user.full_name, user.language, user.timezone) == ("Wang Fang", "en", "Europe/London")
    assert "Your settings are saved." in page_text(saved)
    assert 'lang="en"' in page_text(saved)
    assert "GMT" in page_text(saved) or "BST" in page_text(saved) or "London" in page_text(saved)


def test_settings_refuse_an_unknown_time_zone_at_the_field(client):
    user = factories.UserFactory(language="en")
    client.force_login(user)
    refused = client.post(
        "/portal/settings/", {"full_name": "", "language": "en", "timezone": "Mars/Olympus"}
    )
    assert refused.status_code == 200
    assert field_error(refused, "timezone")


def test_settings_resend_the_confirmation_until_confirmed(client):
    user = factories.UserFactory(email_confirmed_at=None, language="en")
    client.force_login(user)
    page = client.get("/portal/settings/")
    assert "Send the link again" in page_text(page)
    sent = client.post("/portal/settings/confirmation/", follow=True)
    assert "on its way" in page_text(sent)
    assert link_in_last_email(user.email, "confirm-email")
    confirmed = factories.UserFactory(language="en")
    client.force_login(confirmed)
    assert "Send the link again" not in page_text(client.get("/portal/settings/"))
    again = client.post("/portal/settings/confirmation/", follow=True)
    assert "already confirmed" in page_text(again)


def test_account_pages_need_a_sign_in():
    anonymous = Client()
    for path in ("/portal/settings/", "/portal/password/change/"):
        assert anonymous.get(path).url.startswith("/portal/login/")
    assert anonymous.post("/portal/settings/confirmation/").url.startswith("/portal/login/")


def test_the_api_patch_me_writes_through_profile_update(monkeypatch):
    from agri_platform.accounts import services
    from tests.conftest import client_for

    user = factories.UserFactory()
    calls = []
    original = services.profile_update

    def spy(**kwargs):
        calls.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(services, "profile_update", spy)
    response = client_for(user).patch("/api/v1/me/", {"timezone": "Asia/Dubai"}, format="json")
    assert response.status_code == 200
    assert calls == [{"user": user, "timezone": "Asia/Dubai"}]


# --- sign-in lockout ----------------------------------------------------------------------------


def test_portal_sign_in_failures_lock_out_like_the_admin(settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = factories.UserFactory()
    browser = Client(REMOTE_ADDR="203.0.113.8")

    def sign_in(password):
        return browser.post(
            "/portal/login/",
            {"username": user.email, "password": password},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )

    assert [sign_in("wrong").status_code for _ in range(2)] == [200, 200]
    locked = sign_in("wrong")
    assert locked.status_code == 429
    assert "登录已暂时锁定" in page_text(locked)
    assert "portal.css" in page_text(locked)  # the portal's look
    assert sign_in(DEFAULT_PASSWORD).status_code == 429
    assert AccessAttempt.objects.exists()
