"""Hostile strings and unknown fields on the account endpoints: a 400 naming the field, never a 5xx."""

import pytest
from rest_framework.test import APIClient

from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

SURROGATE = "\\ud800"  # JSON text for a lone surrogate, which cannot be encoded to UTF-8
NUL = "\\u0000"


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("/api/v1/auth/password-reset/", f'{{"email": "a{SURROGATE}@example.org"}}', "email"),
        ("/api/v1/auth/email-confirmation/", f'{{"uid": "{SURROGATE}", "token": "a-b"}}', "uid"),
        (
            "/api/v1/auth/password-reset/confirm/",
            f'{{"uid": "MQ", "token": "a{NUL}-b", "new_password": "long-enough-password"}}',
            "token",
        ),
        (
            "/api/v1/auth/password-reset/confirm/",
            '{"uid": "MQ", "token": "a-b", "new_password": "long-enough-password", "x": 1}',
            "x",
        ),
    ],
)
def test_anonymous_account_endpoints_name_the_bad_field(path, body, field):
    response = APIClient().post(path, body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert field in {error["field"] for error in response.json()["errors"]}


@pytest.mark.parametrize(
    "body, field",
    [
        (
            f'{{"current_password": "{SURROGATE}", "new_password": "long-enough-1"}}',
            "current_password",
        ),
        (
            '{"current_password": "x", "new_password": "long-enough-1", "is_staff": true}',
            "is_staff",
        ),
        ('{"current_password": "x"}', "new_password"),
    ],
)
def test_password_change_names_the_bad_field(body, field):
    user = factories.UserFactory()
    response = client_for(user).post("/api/v1/me/password/", body, content_type="application/json")
    assert response.status_code == 400
    assert field in {error["field"] for error in response.json()["errors"]}
    user.refresh_from_db()
    assert user.check_password(factories.DEFAULT_PASSWORD)
