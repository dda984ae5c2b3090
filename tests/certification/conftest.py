import pytest

from tests import factories
from tests.certification.factories import SchemeFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def scheme(db):
    return SchemeFactory(
        code="ISO9001T",
        certificate_prefix="QMS",
        validity_months=36,
        required_documents=["business_licence", "quality_manual"],
        review_sla_days=30,
    )


@pytest.fixture
def product(enterprise):
    return factories.ProductFactory(enterprise=enterprise)


@pytest.fixture
def base(enterprise):
    return factories.ProductionBaseFactory(enterprise=enterprise)
