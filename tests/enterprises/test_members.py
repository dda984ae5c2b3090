"""Members: invite by e-mail with a role, accept, change role, remove; the last owner stays."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from agri_platform.accounts.models import Membership
from agri_platform.events.models import Event
from enterprises.models import Invitation
from tests import factories
from tests.conftest import client_for

from .factories import invitation


def members_url(enterprise, pk=None):
    base = f"/api/v1/enterprises/{enterprise.pk}/members/"
    return f"{base}{pk}/" if pk else base


def invitations_url(enterprise, pk=None):
    base = f"/api/v1/enterprises/{enterprise.pk}/invitations/"
    return f"{base}{pk}/" if pk else base


ACCEPT = "/api/v1/invitations/accept/"


def test_invite_emails_a_token_that_the_invited_person_accepts(
    enterprise_client, enterprise, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = enterprise_client.post(
            invitations_url(enterprise), {"email": "New.Hire@Example.com", "role": "admin"}
        )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "new.hire@example.com"
    assert body["role"] == "admin"
    assert body["status"] == "pending"
    token = body["token"]
    invitation_row = Invitation.objects.get(pk=body["id"])
    assert token not in (invitation_row.digest, invitation_row.prefix)  # only a digest is stored
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.hire@example.com"]
    assert token in mail.outbox[0].body
    event = Event.objects.get(kind="enterprise.member_invited")
    assert token not in str(event.payload)

    invitee = factories.UserFactory(email="new.hire@example.com")
    accepted = client_for(invitee).post(ACCEPT, {"token": token})

    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["role"] == "admin"
    assert Membership.objects.get(user=invitee, enterprise=enterprise).role == "admin"
    invitation_row.refresh_from_db()
    assert invitation_row.status == "accepted"
    assert invitation_row.accepted_by == invitee
    assert Event.objects.filter(kind="enterprise.member_joined").exists()
    again = client_for(invitee).post(ACCEPT, {"token": token})
    assert again.status_code == 409


def test_someone_else_cannot_use_the_token(enterprise, enterprise_user):
    token = invitation(enterprise, enterprise_user, email="right@example.com").token
    intruder = factories.UserFactory(email="wrong@example.com")

    response = client_for(intruder).post(ACCEPT, {"token": token})

    assert response.status_code == 404
    assert not Membership.objects.filter(user=intruder).exists()


@pytest.mark.parametrize("token", ["", "garbage", "inv_deadbeef_nope"])
def test_bad_tokens_are_refused(enterprise_client, token):
    assert enterprise_client.post(ACCEPT, {"token": token}).status_code in (400, 404)


def test_expired_invitation_is_409(enterprise, enterprise_user):
    sent = invitation(enterprise, enterprise_user, email="late@example.com")
    Invitation.objects.filter(pk=sent.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    late = factories.UserFactory(email="late@example.com")

    response = client_for(late).post(ACCEPT, {"token": sent.token})

    assert response.status_code == 409
    assert response.json()["code"] == "invitation_expired"


def test_invite_to_an_enterprise_you_do_not_belong_to_is_404_and_writes_nothing(
    enterprise_client, other_enterprise
):
    response = enterprise_client.post(
        invitations_url(other_enterprise), {"email": "x@example.com", "role": "member"}
    )

    assert response.status_code == 404
    assert not Invitation.objects.exists()
    assert len(mail.outbox) == 0


def test_a_plain_member_cannot_invite(enterprise):
    member = factories.MembershipFactory(enterprise=enterprise, role="member").user

    response = client_for(member).post(
        invitations_url(enterprise), {"email": "x@example.com", "role": "member"}
    )

    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_an_admin_cannot_invite_an_owner(enterprise):
    admin = factories.MembershipFactory(enterprise=enterprise, role="admin").user

    response = client_for(admin).post(
        invitations_url(enterprise), {"email": "x@example.com", "role": "owner"}
    )

    assert response.status_code == 403


def test_inviting_an_existing_member_is_409(enterprise_client, enterprise, enterprise_user):
    response = enterprise_client.post(
        invitations_url(enterprise), {"email": enterprise_user.email, "role": "member"}
    )

    assert response.status_code == 409


def test_reinvite_replaces_the_open_invitation_and_revoke(
    enterprise_client, enterprise, enterprise_user
):
    first = invitation(enterprise, enterprise_user, email="twice@example.com")
    second = invitation(enterprise, enterprise_user, email="twice@example.com")
    first.refresh_from_db()
    assert first.status == "revoked"

    listed = enterprise_client.get(invitations_url(enterprise))
    assert {row["id"]: row["status"] for row in listed.json()["results"]} == {
        first.pk: "revoked",
        second.pk: "pending",
    }
    assert enterprise_client.delete(invitations_url(enterprise, second.pk)).status_code == 204
    second.refresh_from_db()
    assert second.status == "revoked"
    assert enterprise_client.delete(invitations_url(enterprise, second.pk)).status_code == 409
    accepted = client_for(factories.UserFactory(email="twice@example.com")).post(
        ACCEPT, {"token": second.token}
    )
    assert accepted.status_code == 404


def test_list_members_and_change_a_role(enterprise_client, enterprise):
    member = factories.MembershipFactory(enterprise=enterprise, role="member")

    listed = enterprise_client.get(members_url(enterprise))
    assert {row["email"] for row in listed.json()["results"]} == {
        member.user.email,
        enterprise.memberships.get(role="owner").user.email,
    }
    response = enterprise_client.patch(members_url(enterprise, member.pk), {"role": "admin"})

    assert response.status_code == 200, response.content
    member.refresh_from_db()
    assert member.role == "admin"
    assert Event.objects.get(kind="enterprise.member_role_changed").payload["previous_role"] == (
        "member"
    )


def test_last_owner_cannot_be_demoted_or_removed(enterprise_client, enterprise, enterprise_user):
    owner = Membership.objects.get(user=enterprise_user, enterprise=enterprise)

    demoted = enterprise_client.patch(members_url(enterprise, owner.pk), {"role": "admin"})
    removed = enterprise_client.delete(members_url(enterprise, owner.pk))

    assert demoted.status_code == 409
    assert demoted.json()["code"] == "last_owner"
    assert removed.status_code == 409
    owner.refresh_from_db()
    assert owner.role == "owner"


def test_with_a_second_owner_the_first_may_step_down(
    enterprise_client, enterprise, enterprise_user
):
    factories.MembershipFactory(enterprise=enterprise, role="owner")
    owner = Membership.objects.get(user=enterprise_user, enterprise=enterprise)

    response = enterprise_client.patch(members_url(enterprise, owner.pk), {"role": "member"})

    assert response.status_code == 200
    owner.refresh_from_db()
    assert owner.role == "member"


def test_remove_a_member_and_a_member_may_leave(enterprise_client, enterprise):
    first = factories.MembershipFactory(enterprise=enterprise, role="member")
    second = factories.MembershipFactory(enterprise=enterprise, role="member")

    assert enterprise_client.delete(members_url(enterprise, first.pk)).status_code == 204
    assert not Membership.objects.filter(pk=first.pk).exists()
    left = client_for(second.user).delete(members_url(enterprise, second.pk))
    assert left.status_code == 204
    assert Event.objects.filter(kind="enterprise.member_removed").count() == 2


def test_a_plain_member_cannot_remove_others(enterprise):
    member = factories.MembershipFactory(enterprise=enterprise, role="member")
    other = factories.MembershipFactory(enterprise=enterprise, role="member")

    response = client_for(member.user).delete(members_url(enterprise, other.pk))

    assert response.status_code == 403
    assert Membership.objects.filter(pk=other.pk).exists()


def test_invitation_history_is_kept(enterprise, enterprise_user):
    sent = invitation(enterprise, enterprise_user, email="hist@example.com")
    client_for(factories.UserFactory(email="hist@example.com")).post(ACCEPT, {"token": sent.token})

    assert sent.history.count() == 2
    assert not hasattr(sent.history.first(), "digest")
