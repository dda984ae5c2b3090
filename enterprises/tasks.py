"""Celery tasks of the enterprises app: thin, idempotent, taking ids."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from agri_platform.accounts.models import User

from .choices import InvitationStatus
from .models import Invitation


def _language_of(email: str) -> str:
    """The language the invited person chose, if they have an account and chose one."""
    user = User.objects.filter(email__iexact=email).only("language").first()
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


@shared_task(name="enterprises.send_invitation_email", ignore_result=True)
def send_invitation_email(invitation_id: int, token: str) -> bool:
    """E-mail the invitation token to the invited address (only while the invitation is open).

    The token travels as an argument because only its digest is stored; the e-mail carries it anyway.
    Written in the invited person's language when they have an account, else the platform's.
    """
    invitation = (
        Invitation.objects.select_related("enterprise", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.status != InvitationStatus.PENDING:
        return False
    with translation.override(_language_of(invitation.email)):
        subject, message = _invitation_email(invitation, token)
    send_mail(
        subject=subject,
        message=message,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )
    return True


def _invitation_email(invitation: Invitation, token: str) -> tuple[str, str]:
    enterprise = invitation.enterprise
    name = (
        f"{enterprise.name_zh} ({enterprise.name_en})" if enterprise.name_en else enterprise.name_zh
    )
    inviter = invitation.invited_by.email if invitation.invited_by else _("The platform")
    subject = _("Invitation to join %(enterprise)s on the Sichuan Agri-Trade platform") % {
        "enterprise": enterprise.name_zh
    }
    message = _(
        "%(inviter)s invites you to join %(enterprise)s as %(role)s.\n\n"
        "Open this link, signed in (or signed up) with %(email)s, and press Join:\n\n"
        "    %(url)s\n\n"
        "A program can instead POST the token %(token)s to %(api_url)s.\n\n"
        "The invitation expires on %(expires)s UTC.\n"
    ) % {
        "inviter": inviter,
        "enterprise": name,
        "role": invitation.get_role_display(),
        "email": invitation.email,
        "url": f"{settings.PUBLIC_BASE_URL}{reverse('portal:invitation-accept')}?"
        + urlencode({"token": token}),
        "api_url": f"{settings.PUBLIC_BASE_URL}/api/v1/invitations/accept/",
        "token": token,
        "expires": f"{invitation.expires_at:%Y-%m-%d %H:%M}",
    }
    return subject, message
