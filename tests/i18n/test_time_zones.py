"""Times: pages, the admin and e-mails in the reader's zone; the API always in UTC."""

import re
from datetime import UTC, datetime

import pytest
from django.core import mail
from rest_framework.test import APIClient

from agri_platform.accounts import language
from agri_platform.accounts.emails import EMAIL_CONFIRMATION, account_email_send
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
NOON_UTC = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


# --- which zone ------------------------------------------------------------------------------------


def test_saved_zone_first_then_china_for_chinese_readers_then_the_setting(settings):
    settings.DISPLAY_TIME_ZONE = "UTC"
    user = factories.UserFactory.build(timezone="Europe/London")
    assert language.time_zone_for(user, "zh-hans").key == "Europe/London"
    user.timezone = ""
    assert language.time_zone_for(user, "zh-hans").key == "Asia/Shanghai"
    assert language.time_zone_for(user, "en").key == "UTC"
    assert language.time_zone_for(None, "en").key == "UTC"


def test_display_time_zone_defaults_to_china(settings):
    assert settings.DISPLAY_TIME_ZONE == "Asia/Shanghai"
    assert language.time_zone_for(None, "en").key == "Asia/Shanghai"


# --- the API stays UTC --------------------------------------------------------------------------


def test_api_datetimes_stay_utc_for_a_token_user_with_a_zone():
    user = factories.UserFactory(timezone="Asia/Shanghai", date_joined=NOON_UTC)
    body = client_for(user).get(ME).json()
    assert body["date_joined"] == "2026-03-01T12:00:00Z"


def test_api_datetimes_stay_utc_for_a_session_user_with_a_zone(client):
    user = factories.UserFactory(timezone="Asia/Shanghai", language="zh-hans", date_joined=NOON_UTC)
    client.force_login(user)
    assert client.get(ME).json()["date_joined"] == "2026-03-01T12:00:00Z"


def test_api_datetimes_stay_utc_after_a_page_activated_a_zone(client):
    """A thread serves one request after another: the admin's zone must not reach the API."""
    staff = factories.StaffUserFactory(
        is_superuser=True, timezone="America/New_York", date_joined=NOON_UTC
    )
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    assert client.get(ME).json()["date_joined"] == "2026-03-01T12:00:00Z"
    assert APIClient().get(ME).status_code == 401


# --- pages and the admin ------------------------------------------------------------------------


def _admin_date_joined(client, user) -> str:
    page = client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()
    return re.search(r'name="date_joined_1"[^>]*value="([^"]+)"', page)[1][:5]  # HH:MM


def test_admin_shows_times_in_the_saved_zone(client):
    staff = factories.StaffUserFactory(
        is_superuser=True, timezone="America/New_York", date_joined=NOON_UTC
    )
    client.force_login(staff)
    assert _admin_date_joined(client, staff) == "07:00"


def test_admin_shows_china_time_to_a_chinese_reader_without_a_zone(client, settings):
    settings.DISPLAY_TIME_ZONE = "UTC"
    staff = factories.StaffUserFactory(
        is_superuser=True, language="zh-hans", timezone="", date_joined=NOON_UTC
    )
    client.force_login(staff)
    assert _admin_date_joined(client, staff) == "20:00"
    staff.language = "en"
    staff.save(update_fields=["language"])
    assert _admin_date_joined(client, staff) == "12:00"


# --- e-mails ------------------------------------------------------------------------------------


def test_account_email_in_the_readers_language_with_the_deadline_in_their_zone():
    english = factories.UserFactory(language="en", timezone="Europe/London")
    assert account_email_send(user_id=english.pk, kind=EMAIL_CONFIRMATION)
    message = mail.outbox[-1]
    assert message.subject == "Confirm your e-mail address"
    assert "(United Kingdom Time)" in message.body and "Open this link by" in message.body

    chinese = factories.UserFactory(language="", timezone="")
    assert account_email_send(user_id=chinese.pk, kind=EMAIL_CONFIRMATION)
    message = mail.outbox[-1]
    assert message.subject == "确认电子邮箱"
    assert "（中国（上海）时间）" in message.body and "之前打开以下链接" in message.body
