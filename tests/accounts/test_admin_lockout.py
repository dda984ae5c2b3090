"""The admin login locks out after repeated wrong passwords, per account and per address
(django-axes, settings.AXES_*); staff unlock; API logins and test-client logins are unaffected."""

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 3


def admin_login(email: str, password: str, address: str = "203.0.113.7", **headers):
    return Client().post(
        LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address, **headers
    )


def is_lockout(response) -> bool:
    return response.status_code == 429 and "登录已暂时锁定" in response.content.decode()


def fail(email: str, times: int, address: str = "203.0.113.7", **headers) -> list[int]:
    return [
        admin_login(email, "wrong-password", address, **headers).status_code for _ in range(times)
    ]


def test_wrong_passwords_lock_the_account_even_with_the_right_password_after():
    staff = factories.StaffUserFactory(is_superuser=True)
    assert fail(staff.email, 2) == [200, 200]  # the form again, with an error
    assert is_lockout(admin_login(staff.email, "wrong-password"))
    locked = admin_login(staff.email, factories.DEFAULT_PASSWORD)
    assert is_lockout(locked)
    assert locked.has_header("Content-Security-Policy")


def test_lockout_is_per_account_from_any_address():
    staff = factories.StaffUserFactory()
    fail(staff.email, 3, address="203.0.113.7")
    assert is_lockout(admin_login(staff.email, factories.DEFAULT_PASSWORD, "198.51.100.9"))


def test_lockout_is_per_address_across_accounts():
    first, second = factories.StaffUserFactory(), factories.StaffUserFactory()
    fail(first.email, 1)
    fail(second.email, 1)
    fail("nobody@example.org", 1)
    assert is_lockout(admin_login(first.email, factories.DEFAULT_PASSWORD))
    # Another address is not locked for an account that was not guessed at.
    third = factories.StaffUserFactory()
    assert admin_login(third.email, factories.DEFAULT_PASSWORD, "198.51.100.9").status_code == 302


def test_rotating_x_forwarded_for_does_not_escape_the_lockout():
    staff = factories.StaffUserFactory()
    for n in range(3):
        admin_login("x@example.org", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = admin_login(staff.email, factories.DEFAULT_PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert is_lockout(response)


def test_staff_unlock_with_the_command_or_reset():
    staff = factories.StaffUserFactory()
    fail(staff.email, 3)
    assert is_lockout(admin_login(staff.email, factories.DEFAULT_PASSWORD))
    call_command("axes_reset_username", staff.email)
    reset(ip="203.0.113.7")
    assert admin_login(staff.email, factories.DEFAULT_PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()  # a success clears what is left


def test_staff_see_and_delete_access_attempts_in_the_admin(client):
    fail("someone@example.org", 3)
    admin = factories.StaffUserFactory(is_superuser=True, staff_role="platform_admin")
    client.force_login(admin)
    page = client.get("/admin/axes/accessattempt/")
    assert page.status_code == 200
    assert "someone@example.org" in page.content.decode()


def test_api_token_failures_neither_lock_the_admin_nor_get_locked():
    staff = factories.StaffUserFactory()
    api = APIClient(REMOTE_ADDR="203.0.113.7")
    for _ in range(4):
        response = api.post(
            "/api/v1/auth/token/", {"email": staff.email, "password": "wrong"}, format="json"
        )
        assert response.status_code == 401
    assert not AccessAttempt.objects.exists()
    assert admin_login(staff.email, factories.DEFAULT_PASSWORD).status_code == 302
    ok = api.post(
        "/api/v1/auth/token/",
        {"email": staff.email, "password": factories.DEFAULT_PASSWORD},
        format="json",
    )
    assert ok.status_code == 201


def test_test_client_login_still_works():
    user = factories.UserFactory()
    assert Client().login(email=user.email, password=factories.DEFAULT_PASSWORD)
