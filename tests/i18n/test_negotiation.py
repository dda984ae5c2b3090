"""The response language: ?lang=, then the saved language, then the API key's, then the
Accept-Language header, then settings.LANGUAGE_CODE (agri_platform/accounts/language.py)."""

import re

import pytest

from agri_platform.accounts.models import User
from tests import factories
from tests.conftest import client_for, client_for_key

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
REGISTER = "/api/v1/auth/register/"
CJK = re.compile(r"[\u3400-\u9fff]")


def language_of(response) -> str:
    """The language the response says it is in; its Vary header lets caches keep both."""
    assert "Accept-Language" in response.get("Vary", "")
    return response["Content-Language"]


def bad_time_zone(client, **extra):
    """A 400 whose detail reads in the response language (Chinese or not)."""
    response = client.patch(ME, {"timezone": "Mars/Olympus"}, format="json", **extra)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["field"], error["code"]) == ("timezone", "invalid_time_zone")
    return response, error["detail"]


# --- each rung beats the next ---------------------------------------------------------------------


def test_default_language_when_nothing_says(api_client):
    response = api_client.get(ME)  # a 401 problem: still a response in a language
    assert language_of(response) == "zh-hans"
    assert CJK.search(response.json()["detail"])


def test_accept_language_beats_the_default(api_client):
    response = api_client.get(ME, HTTP_ACCEPT_LANGUAGE="en")
    assert language_of(response) == "en"
    assert not CJK.search(response.json()["detail"])


def test_saved_language_beats_accept_language_for_a_token_user():
    client = client_for(factories.UserFactory(language="en"))
    response, detail = bad_time_zone(client, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert language_of(response) == "en"
    assert "IANA" in detail and not CJK.search(detail)

    client = client_for(factories.UserFactory(language="zh-hans"))
    response, detail = bad_time_zone(client, HTTP_ACCEPT_LANGUAGE="en")
    assert language_of(response) == "zh-hans"
    assert CJK.search(detail)


def test_a_token_user_who_never_chose_gets_accept_language():
    client = client_for(factories.UserFactory(language=""))
    assert language_of(client.get(ME, HTTP_ACCEPT_LANGUAGE="en")) == "en"
    assert language_of(client.get(ME)) == "zh-hans"


def test_api_key_language_beats_accept_language(partner):
    client = client_for_key(partner, ["logistics:read"])
    client.api_key.language = "en"
    client.api_key.save(update_fields=["language"])
    # me/ is closed to keys (a 403), but the key is authenticated and its language active.
    assert language_of(client.get(ME, HTTP_ACCEPT_LANGUAGE="zh-hans")) == "en"
    client.api_key.language = "zh-hans"
    client.api_key.save(update_fields=["language"])
    assert language_of(client.get(ME, HTTP_ACCEPT_LANGUAGE="en")) == "zh-hans"


def test_api_key_without_a_language_gets_accept_language(partner):
    client = client_for_key(partner, ["logistics:read"])
    assert language_of(client.get(ME, HTTP_ACCEPT_LANGUAGE="en")) == "en"
    assert language_of(client.get(ME)) == "zh-hans"


def test_saved_language_of_a_session_user_beats_accept_language(client):
    client.force_login(factories.UserFactory(language="en"))
    response = client.get(ME, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert language_of(response) == "en"


def test_query_beats_everything(partner):
    user_client = client_for(factories.UserFactory(language="en"))
    response, detail = bad_time_zone(
        user_client, QUERY_STRING="lang=zh-hans", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert language_of(response) == "zh-hans"
    assert CJK.search(detail)

    key_client = client_for_key(partner, ["logistics:read"])
    key_client.api_key.language = "zh-hans"
    key_client.api_key.save(update_fields=["language"])
    assert language_of(key_client.get(f"{ME}?lang=en", HTTP_ACCEPT_LANGUAGE="zh-hans")) == "en"


@pytest.mark.parametrize("value", ["fr", "", "zh", "klingon"])
def test_unknown_query_language_is_ignored(api_client, value):
    response = api_client.get(f"{ME}?lang={value}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401  # not a 400: the parameter is a wish, not an input
    assert language_of(response) == "en"


def test_query_language_is_case_insensitive(api_client):
    assert language_of(api_client.get(f"{ME}?lang=ZH-Hans", HTTP_ACCEPT_LANGUAGE="en")) == (
        "zh-hans"
    )


# --- pages and the admin follow the same rules --------------------------------------------------


def test_pages_follow_query_then_accept_language(client):
    page = "/account/reset/done/"
    assert "密码已更新" in client.get(page).content.decode()
    english = client.get(page, HTTP_ACCEPT_LANGUAGE="en")
    assert language_of(english) == "en" and "Password changed" in english.content.decode()
    assert 'lang="en"' in english.content.decode()
    chinese = client.get(f"{page}?lang=zh-hans", HTTP_ACCEPT_LANGUAGE="en")
    assert "密码已更新" in chinese.content.decode()
    assert 'lang="zh-Hans"' in chinese.content.decode()


def test_admin_speaks_the_staff_members_saved_language(client):
    staff = factories.StaffUserFactory(language="en", is_superuser=True)
    client.force_login(staff)
    assert "Partners" in client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    staff.language = "zh-hans"
    staff.save(update_fields=["language"])
    assert "合作机构" in client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


# --- where the languages are saved ---------------------------------------------------------------


def test_sign_up_leaves_the_language_empty(api_client):
    response = api_client.post(
        REGISTER, {"email": "wang@example.org", "password": "Mandarin-orchard-2026"}, format="json"
    )
    assert response.status_code == 201, response.content
    user = User.objects.get(email="wang@example.org")
    assert (user.language, user.timezone) == ("", "")
    assert user.reading_language == "zh-hans"  # e-mails go out in the platform's default


def test_sign_up_may_choose_language_and_time_zone(api_client):
    response = api_client.post(
        REGISTER,
        {
            "email": "li@example.org",
            "password": "Mandarin-orchard-2026",
            "language": "en",
            "timezone": "Europe/London",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    user = User.objects.get(email="li@example.org")
    assert (user.language, user.timezone) == ("en", "Europe/London")


def test_profile_saves_language_and_time_zone():
    user = factories.UserFactory(language="")
    client = client_for(user)
    response = client.patch(ME, {"language": "en", "timezone": "Asia/Kuala_Lumpur"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["language"], response.json()["timezone"]) == (
        "en",
        "Asia/Kuala_Lumpur",
    )
    user.refresh_from_db()
    assert (user.language, user.timezone) == ("en", "Asia/Kuala_Lumpur")
    # Blank again: "let each request decide".
    assert client.patch(ME, {"language": "", "timezone": ""}, format="json").status_code == 200
    user.refresh_from_db()
    assert (user.language, user.timezone) == ("", "")


def test_invalid_time_zone_is_a_400_naming_the_field_in_the_requests_language():
    client = client_for(factories.UserFactory(language=""))
    _response, english = bad_time_zone(client, HTTP_ACCEPT_LANGUAGE="en")
    assert "Mars/Olympus" in english and not CJK.search(english)
    _response, chinese = bad_time_zone(client, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "Mars/Olympus" in chinese and CJK.search(chinese)
