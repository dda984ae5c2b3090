"""Fixtures for every kind of caller: anonymous, enterprise user, staff, partner key.

`enterprise_client` belongs to a verified enterprise; `other_enterprise_client` to a second tenant
so that tests can prove isolation. Partner clients authenticate with a real API key.
"""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from agri_platform.accounts.choices import MembershipRole, PartnerKind, StaffRole
from agri_platform.accounts.services import api_key_create, token_issue

from . import factories


def client_for(user) -> APIClient:
    client = APIClient()
    _, plaintext = token_issue(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    client.user = user
    return client


def client_for_key(partner, scopes) -> APIClient:
    key, plaintext = api_key_create(partner=partner, name="test key", scopes=list(scopes))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {plaintext}")
    client.partner = partner
    client.api_key = key
    return client


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Throttle counters and cached reads must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def eager_tasks():
    """Tasks run in-process and raise their errors, whatever REDIS_URL says (the integration tests
    use a real worker): for tests that read what a task wrote, or the e-mail it sent."""
    from agri_platform.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def enterprise(db):
    return factories.EnterpriseFactory()


@pytest.fixture
def enterprise_user(enterprise):
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, enterprise=enterprise, role=MembershipRole.OWNER)
    return user


@pytest.fixture
def enterprise_client(enterprise_user) -> APIClient:
    return client_for(enterprise_user)


@pytest.fixture
def other_enterprise(db):
    return factories.EnterpriseFactory()


@pytest.fixture
def other_enterprise_user(other_enterprise):
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, enterprise=other_enterprise, role=MembershipRole.OWNER)
    return user


@pytest.fixture
def other_enterprise_client(other_enterprise_user) -> APIClient:
    return client_for(other_enterprise_user)


@pytest.fixture
def staff_user(db):
    return factories.StaffUserFactory(staff_role=StaffRole.PLATFORM_ADMIN)


@pytest.fixture
def staff_client(staff_user) -> APIClient:
    return client_for(staff_user)


@pytest.fixture
def reviewer(db):
    return factories.StaffUserFactory(staff_role=StaffRole.REVIEWER)


@pytest.fixture
def admin_reviewer_client(reviewer) -> Client:
    """The reviewer in the Django admin, in English (the reviewer's saved language too): tests read
    the admin's messages."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(reviewer)
    return client


@pytest.fixture
def reviewer_client(reviewer) -> APIClient:
    return client_for(reviewer)


@pytest.fixture
def officer(db):
    return factories.StaffUserFactory(staff_role=StaffRole.OFFICER)


@pytest.fixture
def officer_client(officer) -> APIClient:
    return client_for(officer)


@pytest.fixture
def partner(db):
    return factories.PartnerFactory(kind=PartnerKind.CARRIER)


@pytest.fixture
def make_partner_client(db):
    """make_partner_client(partner, scopes=[...]) -> APIClient authenticated with a fresh API key."""
    return client_for_key
