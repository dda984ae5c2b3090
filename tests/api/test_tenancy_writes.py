"""The write half of the tenancy hook: `acting_enterprise` (which enterprise a create is for) and
`require_membership` (may this caller act for it, in this role). "Not yours" and "does not exist"
must answer alike, naming the field."""

import pytest
from rest_framework.exceptions import ValidationError

from agri_platform.accounts.choices import MembershipRole, StaffRole
from agri_platform.api.errors import NotFound, PermissionDenied, ValidationFailed
from agri_platform.api.serializers import unknown_id
from agri_platform.api.tenancy import (
    ADMINISTRATOR_ROLES,
    acting_enterprise,
    is_member,
    require_membership,
)
from tests import factories

pytestmark = pytest.mark.django_db

MISSING_ID = 987654


def member_of(*enterprises, role=MembershipRole.OWNER):
    user = factories.UserFactory()
    for enterprise in enterprises:
        factories.MembershipFactory(user=user, enterprise=enterprise, role=role)
    return user


class _Request:
    def __init__(self, user):
        self.user = user


# --- acting_enterprise ----------------------------------------------------------------------------


def test_a_member_of_one_enterprise_acts_for_it_without_naming_it(enterprise):
    user = member_of(enterprise)
    assert acting_enterprise(user, None) == enterprise
    assert acting_enterprise(_Request(user), None) == enterprise
    assert acting_enterprise(user, enterprise.pk) == enterprise


def test_another_tenants_id_answers_like_a_missing_one(enterprise, other_enterprise):
    user = member_of(enterprise)
    with pytest.raises(ValidationError) as foreign:
        acting_enterprise(user, other_enterprise.pk)
    with pytest.raises(ValidationError) as missing:
        acting_enterprise(user, MISSING_ID)
    assert foreign.value.detail == unknown_id("enterprise", other_enterprise.pk).detail
    assert missing.value.detail == unknown_id("enterprise", MISSING_ID).detail


def test_the_error_names_the_field_it_was_given(enterprise, other_enterprise):
    user = member_of(enterprise)
    with pytest.raises(ValidationError) as foreign:
        acting_enterprise(user, other_enterprise.pk, field="applicant")
    assert set(foreign.value.detail) == {"applicant"}
    assert foreign.value.detail["applicant"][0].code == "does_not_exist"


def test_a_member_of_several_enterprises_names_one(enterprise, other_enterprise):
    user = member_of(enterprise, other_enterprise)
    with pytest.raises(ValidationFailed) as unnamed:
        acting_enterprise(user, None)
    assert (unnamed.value.code, unnamed.value.field) == ("required", "enterprise")
    assert acting_enterprise(user, other_enterprise.pk) == other_enterprise


def test_staff_name_any_enterprise_and_must_name_one(enterprise):
    staff = factories.StaffUserFactory(staff_role=StaffRole.OFFICER)
    assert acting_enterprise(staff, enterprise.pk) == enterprise
    with pytest.raises(ValidationFailed) as unnamed:
        acting_enterprise(staff, None)
    assert unnamed.value.code == "required"
    with pytest.raises(ValidationError) as missing:
        acting_enterprise(staff, MISSING_ID)
    assert missing.value.detail == unknown_id("enterprise", MISSING_ID).detail


@pytest.mark.parametrize("named", ["existing", "missing", "none"])
def test_partners_and_users_of_no_enterprise_cannot_act(enterprise, named):
    enterprise_id = {"existing": enterprise.pk, "missing": MISSING_ID, "none": None}[named]
    for caller in (factories.PartnerUserFactory(), factories.UserFactory()):
        with pytest.raises(PermissionDenied) as refused:
            acting_enterprise(caller, enterprise_id)
        assert refused.value.code == "not_a_member"


def test_roles_are_checked_for_the_enterprise_acted_for(enterprise):
    member = member_of(enterprise, role=MembershipRole.MEMBER)
    with pytest.raises(PermissionDenied) as refused:
        acting_enterprise(member, None, roles=ADMINISTRATOR_ROLES)
    assert refused.value.code == "role_required"
    owner = member_of(enterprise)
    assert acting_enterprise(owner, None, roles=ADMINISTRATOR_ROLES) == enterprise
    staff = factories.StaffUserFactory(staff_role=StaffRole.PLATFORM_ADMIN)
    with pytest.raises(PermissionDenied) as not_member:
        acting_enterprise(staff, enterprise.pk, roles=ADMINISTRATOR_ROLES)
    assert not_member.value.code == "not_a_member"


# --- require_membership ---------------------------------------------------------------------------


def test_a_member_passes_with_its_role(enterprise):
    user = member_of(enterprise, role=MembershipRole.ADMIN)
    assert require_membership(user, enterprise.pk) == MembershipRole.ADMIN
    assert require_membership(user, enterprise.pk, roles=ADMINISTRATOR_ROLES) == "admin"
    assert is_member(user, enterprise.pk)
    assert is_member(user, enterprise.pk, roles=ADMINISTRATOR_ROLES)


def test_a_non_member_gets_the_same_answer_for_an_existing_and_a_missing_enterprise(
    enterprise, other_enterprise
):
    user = member_of(enterprise)
    with pytest.raises(NotFound) as foreign:
        require_membership(user, other_enterprise.pk)
    with pytest.raises(NotFound) as missing:
        require_membership(user, MISSING_ID)
    assert (foreign.value.code, foreign.value.detail) == (missing.value.code, missing.value.detail)
    assert not is_member(user, other_enterprise.pk)


@pytest.mark.parametrize("role", [StaffRole.PLATFORM_ADMIN, StaffRole.REVIEWER, StaffRole.OFFICER])
def test_staff_are_not_members(enterprise, role):
    staff = factories.StaffUserFactory(staff_role=role)
    with pytest.raises(PermissionDenied) as refused:
        require_membership(staff, enterprise.pk)
    assert refused.value.code == "not_a_member"


def test_partners_are_never_members(enterprise):
    partner_user = factories.PartnerUserFactory()
    with pytest.raises(PermissionDenied) as refused:
        require_membership(partner_user, enterprise.pk)
    assert refused.value.code == "not_a_member"
    assert not is_member(partner_user, enterprise.pk)


def test_anonymous_callers_find_nothing(enterprise):
    with pytest.raises(NotFound):
        require_membership(None, enterprise.pk)


def test_a_member_without_the_role_is_refused(enterprise, other_enterprise):
    user = member_of(enterprise, role=MembershipRole.MEMBER)
    factories.MembershipFactory(user=user, enterprise=other_enterprise, role=MembershipRole.OWNER)
    with pytest.raises(PermissionDenied) as refused:
        require_membership(user, enterprise.pk, roles=ADMINISTRATOR_ROLES)
    assert refused.value.code == "role_required"
    assert not is_member(user, enterprise.pk, roles=ADMINISTRATOR_ROLES)
    assert require_membership(user, other_enterprise.pk, roles=ADMINISTRATOR_ROLES) == "owner"
