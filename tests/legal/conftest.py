import pytest

from agri_platform.accounts.choices import StaffRole
from tests import factories
from tests.conftest import client_for, client_for_key
from tests.legal.factories import LawFirmFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def countries(db):
    return {
        code: factories.country(code, name, groups)
        for code, name, groups in [
            ("VN", "Viet Nam", ["ASEAN"]),
            ("MX", "Mexico", []),
            ("MY", "Malaysia", ["ASEAN"]),
        ]
    }


@pytest.fixture
def firm(db):
    return LawFirmFactory(name="Firm A")


@pytest.fixture
def other_firm(db):
    return LawFirmFactory(name="Firm B")


@pytest.fixture
def firm_client(firm):
    return client_for_key(firm, ["legal:write"])


@pytest.fixture
def officer_client(db):
    return client_for(factories.StaffUserFactory(staff_role=StaffRole.OFFICER))
