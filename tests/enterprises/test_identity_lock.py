"""Identity fields (every name in every language, legal representative, prefecture, county, customs
code) are locked once an enterprise is verified or suspended: a change is a 400 `identity_locked`
naming the field, and nothing is written. Before verification they can be corrected freely."""

import pytest
from django.forms.models import model_to_dict

from agri_platform.reference.models import Prefecture
from enterprises.services.registration import IDENTITY_FIELDS
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/enterprises/"


def _new_value(enterprise, field):
    if field == "prefecture":
        other = Prefecture.objects.exclude(pk=enterprise.prefecture_id).first()
        return other.pk
    if field == "customs_code":
        return "5101234567"
    return "Sichuan Rival Exporter Co., Ltd."  # e.g. another exporter's name


def test_every_identity_field_is_covered():
    assert set(IDENTITY_FIELDS) >= {"name_zh", "name_en", "legal_representative", "prefecture"}


@pytest.mark.parametrize("status", ["verified", "suspended"])
@pytest.mark.parametrize("field", IDENTITY_FIELDS)
def test_identity_field_of_a_verified_enterprise_is_locked(field, status, reference_data):
    enterprise = factories.EnterpriseFactory(
        status=status, status_reason="x" if status == "suspended" else ""
    )
    owner = factories.MembershipFactory(enterprise=enterprise, role="owner").user
    before = model_to_dict(enterprise)

    response = client_for(owner).patch(
        f"{URL}{enterprise.pk}/",
        {field: _new_value(enterprise, field), "address": "moved too"},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == field
    assert response.json()["errors"][0]["code"] == "identity_locked"
    enterprise.refresh_from_db()
    assert model_to_dict(enterprise) == before  # nothing half-written


def test_sending_the_same_identity_value_and_other_fields_is_fine(reference_data):
    enterprise = factories.EnterpriseFactory()
    owner = factories.MembershipFactory(enterprise=enterprise, role="owner").user

    response = client_for(owner).patch(
        f"{URL}{enterprise.pk}/",
        {"name_en": enterprise.name_en, "address": "2 Packhouse Lane", "contact_name": "Li"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["address"] == "2 Packhouse Lane"


@pytest.mark.parametrize("field", IDENTITY_FIELDS)
def test_identity_fields_can_be_corrected_before_verification(field, reference_data):
    enterprise = factories.EnterpriseFactory(status="pending")
    owner = factories.MembershipFactory(enterprise=enterprise, role="owner").user
    value = _new_value(enterprise, field)

    response = client_for(owner).patch(f"{URL}{enterprise.pk}/", {field: value}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()[field] == value
