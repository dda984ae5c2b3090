"""Registering an enterprise: USCC rules, outside-Sichuan flag, duplicates, bad input."""

import pytest

from agri_platform.accounts.models import Membership
from agri_platform.events.models import Event
from enterprises import uscc
from enterprises.models import Enterprise
from tests import factories
from tests.conftest import client_for

from .conftest import registration

URL = "/api/v1/enterprises/"
VALID = uscc.make("915101180MA6TEXT1")
WRONG_CHECK = VALID[:17] + uscc.ALPHABET[(uscc.ALPHABET.index(VALID[17]) + 1) % 31]


def field_errors(response) -> dict:
    return {error["field"]: error for error in response.json()["errors"]}


def test_register_makes_the_caller_owner_of_a_pending_enterprise(signed_up_client, reference_data):
    response = signed_up_client.post(URL, registration(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert body["uscc"] == uscc.make("915101180MA6TEXT1")  # normalised to upper case
    assert body["registered_outside_sichuan"] is False
    assert body["export_markets"] == ["MY", "TH"]
    assert body["customs_code"] == "5101960ABC"
    assert body["allowed_actions"] == []  # reviewers verify or reject; the owner waits
    enterprise = Enterprise.objects.get(pk=body["id"])
    membership = Membership.objects.get(enterprise=enterprise)
    assert membership.user.email == "founder@example.com"
    assert membership.role == "owner"
    event = Event.objects.get(kind="enterprise.registered")
    assert event.enterprise == enterprise
    assert event.payload["enterprise_id"] == enterprise.pk
    assert event.payload["uscc"] == enterprise.uscc
    assert event.payload["name_zh"] == enterprise.name_zh
    assert event.payload["name_en"] == enterprise.name_en
    assert event.payload["status"] == "pending"
    assert enterprise.history.count() == 1


def test_uscc_outside_sichuan_is_accepted_with_a_flag(signed_up_client, reference_data):
    beijing = uscc.make("91110000600037341")  # the GB 32100 example, region 110000

    response = signed_up_client.post(URL, registration(uscc=beijing), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["registered_outside_sichuan"] is True
    assert Enterprise.objects.get(uscc=beijing).registered_outside_sichuan


def test_staff_filter_on_the_outside_sichuan_flag(reviewer_client, reference_data):
    outside = factories.EnterpriseFactory(
        uscc=uscc.make("91110000600037341"), registered_outside_sichuan=True
    )
    factories.EnterpriseFactory()

    response = reviewer_client.get(URL, {"registered_outside_sichuan": "true"})

    assert [row["id"] for row in response.json()["results"]] == [outside.pk]


@pytest.mark.parametrize(
    ("value", "code", "words"),
    [
        ("91510118MA6T", "uscc_length", "18 characters"),
        ("91510118OMA6TEST1X", "uscc_characters", "O"),
        (WRONG_CHECK, "uscc_check_character", "check character"),
    ],
)
def test_invalid_uscc_is_400_naming_the_field_and_the_problem(
    signed_up_client, reference_data, value, code, words
):
    response = signed_up_client.post(
        URL, registration(uscc=value), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    error = field_errors(response)["uscc"]
    assert error["code"] == code
    assert words in error["detail"]
    assert not Enterprise.objects.exists()
    assert not Membership.objects.exists()


def test_unknown_prefecture_is_400(signed_up_client, reference_data):
    response = signed_up_client.post(URL, registration(prefecture="999999"), format="json")

    assert response.status_code == 400
    assert "prefecture" in field_errors(response)
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"customs_code": "12345"}, "customs_code"),
        ({"customs_code": "51019-0ABC"}, "customs_code"),
        ({"export_categories": ["jewellery"]}, "export_categories[0]"),
        ({"export_markets": ["XX"]}, "export_markets"),
        ({"name_zh": ""}, "name_zh"),
    ],
)
def test_bad_profile_fields_are_400(signed_up_client, reference_data, override, field):
    response = signed_up_client.post(URL, registration(**override), format="json")

    assert response.status_code == 400, response.content
    assert field in field_errors(response)
    assert not Enterprise.objects.exists()


def test_duplicate_uscc_is_409_naming_the_registration_but_not_its_owner(
    signed_up_client, reference_data
):
    owner = factories.UserFactory(email="secret-owner@example.com", full_name="Hidden Owner")
    existing = factories.EnterpriseFactory(
        uscc=uscc.make("915101180MA6TEXT1"),
        name_zh="已注册企业",
        contact_email="private@example.com",
        contact_phone="+86 123",
    )
    factories.MembershipFactory(user=owner, enterprise=existing)

    response = signed_up_client.post(URL, registration(), format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "uscc_already_registered"
    assert body["existing_registration"]["name_zh"] == "已注册企业"
    assert "已注册企业" in body["detail"]
    text = response.content.decode()
    for secret in ("secret-owner", "Hidden Owner", "private@example.com", "+86 123"):
        assert secret not in text
    assert Enterprise.objects.count() == 1
    assert not Membership.objects.filter(user__email="founder@example.com").exists()


def test_partner_users_cannot_register(reference_data):
    client = client_for(factories.PartnerUserFactory())

    response = client.post(URL, registration(), format="json")

    assert response.status_code == 403
    assert not Enterprise.objects.exists()


def test_profile_update_by_owner_and_identity_locked_once_verified(
    enterprise_client, enterprise, reference_data
):
    response = enterprise_client.patch(
        f"{URL}{enterprise.pk}/",
        {"address": "2 Packhouse Lane", "export_markets": ["SG"], "publish_contact": True},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["address"] == "2 Packhouse Lane"
    assert response.json()["export_markets"] == ["SG"]

    renamed = enterprise_client.patch(
        f"{URL}{enterprise.pk}/", {"name_zh": "新名字"}, format="json"
    )
    assert renamed.status_code == 400
    assert field_errors(renamed)["name_zh"]["code"] == "identity_locked"

    no_uscc = enterprise_client.patch(f"{URL}{enterprise.pk}/", {"uscc": "X"}, format="json")
    assert no_uscc.status_code == 400  # fixed at registration: refused, not silently dropped
    assert field_errors(no_uscc)["uscc"]["code"] == "unknown_field"
    enterprise.refresh_from_db()
    assert enterprise.uscc != "X"


def test_a_plain_member_cannot_edit_the_profile(enterprise, reference_data):
    member = factories.MembershipFactory(enterprise=enterprise, role="member").user

    response = client_for(member).patch(
        f"{URL}{enterprise.pk}/", {"address": "elsewhere"}, format="json"
    )

    assert response.status_code == 403
