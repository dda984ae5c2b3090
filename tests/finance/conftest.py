import pytest

from agri_platform.accounts.choices import StaffRole
from tests import factories
from tests.conftest import client_for, client_for_key
from tests.finance.factories import BankFactory, InsurerFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cny(db):
    return factories.currency("CNY", 2)


@pytest.fixture
def bank_a(db):
    return BankFactory(name="Bank A")


@pytest.fixture
def bank_b(db):
    return BankFactory(name="Bank B")


@pytest.fixture
def insurer(db):
    return InsurerFactory(name="Insurer A")


@pytest.fixture
def bank_a_client(bank_a):
    """Bank A's system with an API key."""
    return client_for_key(bank_a, ["finance:write"])


@pytest.fixture
def bank_b_client(bank_b):
    """A person at bank B, logged in with a bearer token."""
    return client_for(factories.PartnerUserFactory(partner=bank_b))


@pytest.fixture
def officer_client(db):
    return client_for(factories.StaffUserFactory(staff_role=StaffRole.OFFICER))
