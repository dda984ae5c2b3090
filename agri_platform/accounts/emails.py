"""Account e-mails: the password reset link and the e-mail confirmation link.

The token is made when the e-mail is sent (in the worker), so it never travels through the broker
and is never stored. Links start with `PUBLIC_BASE_URL`, the address people reach the platform at.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from .models import User
from .tokens import email_confirmation_tokens, password_reset_tokens, uid_of

logger = logging.getLogger(__name__)

PASSWORD_RESET = "password_reset"  # noqa: S105 (an e-mail kind, not a secret)  # nosec B105
EMAIL_CONFIRMATION = "email_confirmation"


@dataclass(frozen=True)
class AccountEmail:
    route: str
    tokens: object
    subject: str
    body: str


KINDS = {
    PASSWORD_RESET: AccountEmail(
        route="account-password-reset",
        tokens=password_reset_tokens,
        subject="重设密码 / Reset your password",
        body=(
            "有人（希望是您）请求重设四川农业外贸服务平台账户 {email} 的密码。"
            "请在 {hours} 小时内打开以下链接设置新密码；链接只能使用一次：\n"
            "Someone (we hope you) asked to reset the password of {email} on the Sichuan "
            "Agri-Trade platform. Open this link within {hours} hours to set a new one; it works "
            "once:\n\n{link}\n\n"
            "如果不是您本人操作，请忽略本邮件，密码不会改变。\n"
            "If this was not you, ignore this e-mail: your password stays as it is.\n"
        ),
    ),
    EMAIL_CONFIRMATION: AccountEmail(
        route="account-email-confirmation",
        tokens=email_confirmation_tokens,
        subject="确认您的电子邮箱 / Confirm your e-mail address",
        body=(
            "欢迎使用四川农业外贸服务平台。请在 {hours} 小时内打开以下链接确认 {email} 是您的邮箱；"
            "确认后即可登记企业：\n"
            "Welcome to the Sichuan Agri-Trade platform. Open this link within {hours} hours to "
            "confirm that {email} is yours; then you can register your enterprise:\n\n{link}\n"
        ),
    ),
}


def _lifetime_hours(kind: str) -> int:
    seconds = (
        settings.PASSWORD_RESET_TIMEOUT
        if kind == PASSWORD_RESET
        else settings.EMAIL_CONFIRMATION_TIMEOUT
    )
    return max(1, round(seconds / 3600))


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
    body = email.body.format(
        email=user.email, link=link_for(user, kind), hours=_lifetime_hours(kind)
    )
    send_mail(email.subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True
