"""Account e-mails: the password reset link and the e-mail confirmation link.

The token is made when the e-mail is sent (in the worker), so it never travels through the broker
and is never stored. Links start with `PUBLIC_BASE_URL`, the address people reach the platform at. Each e-mail is in the
person's saved language, else the platform's default (settings.LANGUAGE_CODE).
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from agri_platform.reference import l10n

from . import language
from .models import User
from .tokens import email_confirmation_tokens, password_reset_tokens, uid_of

logger = logging.getLogger(__name__)

PASSWORD_RESET = "password_reset"  # noqa: S105 (an e-mail kind, not a secret)  # nosec B105
EMAIL_CONFIRMATION = "email_confirmation"


@dataclass(frozen=True)
class AccountEmail:
    route: str
    tokens: object
    subject: str  # lazy: rendered in the recipient's language
    body: str  # with %(email)s, %(deadline)s and %(link)s


KINDS = {
    PASSWORD_RESET: AccountEmail(
        route="account-password-reset",
        tokens=password_reset_tokens,
        subject=_("Reset your password"),
        body=_(
            "Someone (we hope you) asked to reset the password of %(email)s on the Sichuan "
            "Agri-Trade Service Platform. Open this link by %(deadline)s to set a new one; "
            "it works once:\n\n%(link)s\n\n"
            "If this was not you, ignore this e-mail: your password stays as it is.\n"
        ),
    ),
    EMAIL_CONFIRMATION: AccountEmail(
        route="account-email-confirmation",
        tokens=email_confirmation_tokens,
        subject=_("Confirm your e-mail address"),
        body=_(
            "Welcome to the Sichuan Agri-Trade Service Platform. Open this link by %(deadline)s to "
            "confirm that %(email)s is yours; then you can register your enterprise:"
            "\n\n%(link)s\n"
        ),
    ),
}


def _lifetime(kind: str) -> timedelta:
    seconds = (
        settings.PASSWORD_RESET_TIMEOUT
        if kind == PASSWORD_RESET
        else settings.EMAIL_CONFIRMATION_TIMEOUT
    )
    return timedelta(seconds=seconds)


def _deadline(user: User, kind: str) -> str:
    """When the link stops working, in the reader's time zone, named."""
    zone = language.time_zone_for(user, translation.get_language())
    return l10n.format_time(timezone.now() + _lifetime(kind), zone=zone)


def link_for(user: User, kind: str) -> str:
    email = KINDS[kind]
    path = reverse(
        email.route, kwargs={"uidb64": uid_of(user), "token": email.tokens.make_token(user)}
    )
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def account_email_send(*, user_id: int, kind: str) -> bool:
    """Send one account e-mail to an active person; False when there is nobody to send it to."""
    user = User.objects.filter(pk=user_id, is_active=True, is_service_account=False).first()
    if user is None:
        return False
    email = KINDS[kind]
    with translation.override(user.reading_language):
        subject = str(email.subject)
        body = str(email.body) % {
            "email": user.email,
            "link": link_for(user, kind),
            "deadline": _deadline(user, kind),
        }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True
