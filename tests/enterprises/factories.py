"""Factories for the enterprises app (shared ones live in tests/factories.py)."""

import hashlib

import factory

from agri_platform.accounts.choices import MembershipRole
from enterprises import services
from enterprises.choices import EnterpriseDocumentKind
from enterprises.models import EnterpriseDocument, Invitation


def invitation(enterprise, inviter, email="invitee@example.com", role=MembershipRole.MEMBER):
    """An open invitation made through the service (it needs an inviter who administers)."""
    invitation, token = services.member_invite(
        enterprise=enterprise, inviter=inviter, email=email, role=role
    )
    invitation.token = token
    return invitation


__all__ = ["EnterpriseDocumentFactory", "Invitation", "invitation"]


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF"


class EnterpriseDocumentFactory(factory.django.DjangoModelFactory):
    """A business licence already stored (uploads go through the service in the tests of it)."""

    class Meta:
        model = EnterpriseDocument

    kind = EnterpriseDocumentKind.BUSINESS_LICENCE
    original_name = "营业执照.pdf"
    file = factory.django.FileField(filename="licence.pdf", data=PDF)
    content_type = "application/pdf"
    size = len(PDF)
    sha256 = hashlib.sha256(PDF).hexdigest()
