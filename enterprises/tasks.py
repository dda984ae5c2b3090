"""Celery tasks of the enterprises app: thin, idempotent, taking ids."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from .models import Invitation


@shared_task(name="enterprises.send_invitation_email", ignore_result=True)
def send_invitation_email(invitation_id: int, token: str) -> bool:
    """E-mail the invitation token to the invited address (only while the invitation is open).

    The token travels as an argument because only its digest is stored; the e-mail carries it anyway.
    """
    invitation = (
        Invitation.objects.select_related("enterprise", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.status != "pending":
        return False
    enterprise = invitation.enterprise
    inviter = invitation.invited_by.email if invitation.invited_by else "the platform"
    accept_url = f"{settings.PUBLIC_BASE_URL}/api/v1/invitations/accept/"
    send_mail(
        subject=f"Invitation to join {enterprise.name_zh} on the Sichuan Agri-Trade platform",
        message=(
            f"{inviter} invites you to join {enterprise.name_zh} ({enterprise.name_en}) as "
            f"{invitation.role}.\n\n"
            f"Sign in (or sign up) with {invitation.email}, then POST this token to {accept_url}:\n\n"
            f"    {token}\n\n"
            f"The invitation expires on {invitation.expires_at:%Y-%m-%d %H:%M} UTC.\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )
    return True
