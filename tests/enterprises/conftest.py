import pytest

from agri_platform.reference.loading import load_reference_data
from enterprises import uscc
from tests.accounts.mailbox import confirm_email


@pytest.fixture(autouse=True)
def _eager_celery(eager_tasks):
    """The invitation e-mail lands in mail.outbox, also in the PostgreSQL + Redis pass."""


@pytest.fixture
def reference_data(db):
    load_reference_data()


@pytest.fixture
def signed_up_client(api_client, db, django_capture_on_commit_callbacks):
    """A person who just signed up through auth/register/ (bearer token set) and confirmed their
    e-mail address with the link we sent."""
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            "/api/v1/auth/register/",
            {"email": "founder@example.com", "password": "a-long-unusual-passphrase-42"},
            format="json",
        )
    assert response.status_code == 201, response.content
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    confirm_email(api_client, "founder@example.com")
    return api_client


def registration(**overrides) -> dict:
    body = {
        "uscc": uscc.make("915101180MA6TEXT1").lower(),
        "name_zh": "四川测试柑橘出口有限公司",
        "name_en": "Sichuan Test Citrus Export Co., Ltd.",
        "prefecture": "510100",
        "county": "Xinjin District",
        "address": "1 Orchard Road",
        "legal_representative": "Chen Fa",
        "contact_name": "Export desk",
        "contact_phone": "+86 28 0000 0000",
        "contact_email": "export@test-citrus.example",
        "customs_code": "5101960ABC",
        "export_categories": ["fruits"],
        "export_markets": ["MY", "TH"],
    }
    body.update(overrides)
    return body
