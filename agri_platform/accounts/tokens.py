"""Links sent by e-mail: password reset and e-mail confirmation.

Both are Django's signed, timestamped tokens (nothing stored): a token names the user by `uid`
(the primary key, base64) and is bound to state that its use changes, so it works once. A password
reset token is bound to the password hash (Django's `default_token_generator`, valid
`PASSWORD_RESET_TIMEOUT` seconds); a confirmation token to the address and the confirmation time
(valid `EMAIL_CONFIRMATION_TIMEOUT` seconds).
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode

from .models import User


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "agri_platform.accounts.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}|{user.email}|{user.email_confirmed_at}|{timestamp}"

    def check_token(self, user, token):
        """As Django's check, with this generator's own lifetime."""
        if not (user and token) or token.count("-") != 1:
            return False
        try:
            issued = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - issued > settings.EMAIL_CONFIRMATION_TIMEOUT:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, issued, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


password_reset_tokens = default_token_generator
email_confirmation_tokens = EmailConfirmationTokenGenerator()


def uid_of(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def user_of(uid: str) -> User | None:
    """The active person a `uid` names, or None for anything else (garbage included)."""
    try:
        pk = int(urlsafe_base64_decode(uid).decode("ascii"))
    except (ValueError, TypeError, UnicodeDecodeError, OverflowError):
        return None
    if not 0 < pk < 2**63:
        return None
    return User.objects.filter(pk=pk, is_active=True, is_service_account=False).first()
