"""Journey 2 in the portal: register the enterprise, follow its verification, keep its profile,
invite colleagues and manage their roles. The pages call the API's services (same events)."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from agri_platform.accounts.choices import MembershipRole
from agri_platform.accounts.models import Membership
from agri_platform.events.models import Event
from enterprises import services, uscc
from enterprises.choices import VerificationStatus
from enterprises.models import Enterprise, Invitation
from tests import factories

REGISTER = "/portal/enterprise/register/"
OVERVIEW = "/portal/enterprise/"
MEMBERS = "/portal/enterprise/members/"
LICENCE = "/portal/enterprise/licence/"


@pytest.fixture
def founder(db, client):
    factories.prefecture()
    user = factories.UserFactory(email="founder@example.com")
    client.force_login(user)
    return user


@pytest.fixture
def owner_client(client, enterprise_user):
    client.force_login(enterprise_user)
    return client


def registration(**overrides) -> dict:
    body = {
        "uscc": uscc.make("915101180MA6TEXT1").lower(),
        "name_zh": "四川测试柑橘出口有限公司",
        "name_en": "Sichuan Test Citrus Export Co., Ltd.",
        "prefecture": "510100",
        "county": "新津区",
        "export_categories": ["fruits"],
    }
    body.update(overrides)
    return body


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_person_without_an_enterprise_is_sent_to_register_it(founder, client):
    response = client.get(OVERVIEW)

    assert response.status_code == 302
    assert response["Location"] == REGISTER


def test_registering_makes_the_person_owner_through_the_service(founder, client):
    response = client.post(REGISTER, registration())

    assert response.status_code == 302, page_text(response)[:3000]
    assert response["Location"] == LICENCE
    enterprise = Enterprise.objects.get(name_zh="四川测试柑橘出口有限公司")
    assert enterprise.uscc == uscc.make("915101180MA6TEXT1")
    assert enterprise.county == "新津区"
    assert Membership.objects.get(user=founder, enterprise=enterprise).role == MembershipRole.OWNER
    assert Event.objects.filter(kind="enterprise.registered").count() == 1
    page = page_text(client.get(OVERVIEW))
    assert "Pending verification" in page or "待核验" in page


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "should be"), ("zh-hans", "校验码")],
)
def test_a_wrong_check_character_is_explained_at_the_field(founder, client, language, words):
    good = uscc.make("915101180MA6TEXT1")
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    founder.language = language
    founder.save(update_fields=["language"])

    response = client.post(REGISTER, registration(uscc=wrong))

    assert response.status_code == 200
    form = response.context["form"]
    assert words in " ".join(form.errors["uscc"])
    assert good[17] in " ".join(form.errors["uscc"])
    assert 'aria-invalid="true"' in page_text(response)
    assert not Enterprise.objects.exists()


def test_a_person_with_an_enterprise_opening_register_goes_to_the_enterprise(owner_client):
    assert owner_client.get(REGISTER)["Location"] == OVERVIEW


def test_the_reviewers_reason_is_shown_and_the_owner_resubmits(owner_client, enterprise):
    enterprise.status = VerificationStatus.PENDING
    enterprise.save()
    services.enterprise_reject(
        enterprise=enterprise,
        reviewer=factories.StaffUserFactory(),
        reason="The licence scan is unreadable",
    )

    page = page_text(owner_client.get(OVERVIEW))
    assert "The licence scan is unreadable" in page
    assert 'name="resubmit"' in page

    response = owner_client.post(OVERVIEW, {"resubmit": ""})

    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.status == VerificationStatus.PENDING
    assert Event.objects.filter(kind="enterprise.resubmitted").exists()


def test_a_verified_enterprise_shows_its_identity_read_only(owner_client, enterprise):
    response = owner_client.get(reverse("portal:enterprise-edit"))

    assert response.context["form"].fields["name_zh"].disabled
    data = {
        "name_zh": "别的名字",
        "prefecture": enterprise.prefecture_id,
        "address": "新津区 1 号",
        "contact_email": "desk@example.com",
    }
    response = owner_client.post(reverse("portal:enterprise-edit"), data)

    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.name_zh != "别的名字"  # the disabled field keeps the current value
    assert enterprise.address == "新津区 1 号"
    assert Event.objects.filter(kind="enterprise.updated").exists()


def test_the_owner_invites_a_colleague_who_joins_from_the_email_link(
    owner_client, enterprise, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(MEMBERS, {"email": "colleague@example.com", "role": "admin"})

    assert response.status_code == 302
    invitation = Invitation.objects.get(email="colleague@example.com")
    assert invitation.role == MembershipRole.ADMIN
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/portal/invitations/accept/\?token=(\S+)", message.body)
    assert link, message.body

    colleague = factories.UserFactory(email="colleague@example.com")
    colleague_client = Client()
    colleague_client.force_login(colleague)
    accept = f"/portal/invitations/accept/?token={link.group(1)}"
    assert link.group(1) in colleague_client.get(accept).content.decode()
    response = colleague_client.post(accept, {"token": link.group(1)})

    assert response.status_code == 302
    assert Membership.objects.get(user=colleague).role == MembershipRole.ADMIN
    assert Event.objects.filter(kind="enterprise.member_joined").exists()


def test_a_wrong_invitation_code_is_said_at_the_field(db, client):
    client.force_login(factories.UserFactory())

    response = client.post("/portal/invitations/accept/", {"token": "inv_nothing_here"})

    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_owner_changes_a_role_and_the_last_owner_stays(
    owner_client, enterprise, enterprise_user
):
    member = factories.MembershipFactory(enterprise=enterprise, role=MembershipRole.MEMBER)
    response = owner_client.post(reverse("portal:member", args=[member.pk]), {"role": "admin"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == MembershipRole.ADMIN

    mine = Membership.objects.get(user=enterprise_user)
    response = owner_client.post(reverse("portal:member", args=[mine.pk]), {"role": "member"})
    assert response.status_code == 200
    assert response.context["form"].errors
    mine.refresh_from_db()
    assert mine.role == MembershipRole.OWNER


def test_the_owner_revokes_an_invitation(owner_client, enterprise, enterprise_user):
    invitation, _token = services.member_invite(
        enterprise=enterprise, inviter=enterprise_user, email="late@example.com"
    )
    page = page_text(owner_client.get(MEMBERS))
    assert "late@example.com" in page

    response = owner_client.post(reverse("portal:invitation-revoke", args=[invitation.pk]))

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_a_plain_member_cannot_invite(client, enterprise):
    member = factories.MembershipFactory(enterprise=enterprise, role=MembershipRole.MEMBER)
    client.force_login(member.user)

    assert "invite-title" not in page_text(client.get(MEMBERS))
    assert client.post(MEMBERS, {"email": "x@example.com", "role": "member"}).status_code == 404
    assert not Invitation.objects.exists()
