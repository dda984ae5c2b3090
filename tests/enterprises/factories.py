"""Factories for the enterprises app (shared ones live in tests/factories.py)."""

from agri_platform.accounts.choices import MembershipRole
from enterprises import services
from enterprises.models import Invitation


def invitation(enterprise, inviter, email="invitee@example.com", role=MembershipRole.MEMBER):
    """An open invitation made through the service (it needs an inviter who administers)."""
    invitation, token = services.member_invite(
        enterprise=enterprise, inviter=inviter, email=email, role=role
    )
    invitation.token = token
    return invitation


__all__ = ["Invitation", "invitation"]
