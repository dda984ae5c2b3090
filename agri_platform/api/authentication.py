"""Bearer tokens for people, `Authorization: Api-Key …` for partner systems.

Both are looked up by their clear prefix and compared by digest in constant time. A partner key
authenticates as the partner's service account; `request.auth` is the ApiKey (scopes, partner).
"""

from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions

from agri_platform.accounts import language, secrets
from agri_platform.accounts.models import ApiKey, AuthToken
from agri_platform.accounts.services import API_KEY_KIND, TOKEN_KIND, partner_service_user

# last_used_at is written at most this often per credential, to keep reads free of writes.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _touch(credential) -> None:
    now = timezone.now()
    if credential.last_used_at is None or now - credential.last_used_at > LAST_USED_RESOLUTION:
        type(credential).objects.filter(pk=credential.pk).update(last_used_at=now)
        credential.last_used_at = now


def _credential_from_header(request, keyword: str) -> str | None:
    header = authentication.get_authorization_header(request).decode("latin-1")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != keyword.lower():
        return None
    value = value.strip()
    if not value or " " in value:
        raise exceptions.AuthenticationFailed("Malformed Authorization header.")
    return value


def _find(credentials, plaintext: str, kind: str):
    prefix = secrets.split_prefix(plaintext, kind)
    if prefix is None:
        raise exceptions.AuthenticationFailed("Invalid credentials.")
    credential = credentials.usable().filter(prefix=prefix).first()
    if credential is None or not secrets.matches(plaintext, credential.digest):
        raise exceptions.AuthenticationFailed("Invalid, expired or revoked credentials.")
    return credential


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        plaintext = _credential_from_header(request, self.keyword)
        if plaintext is None:
            return None
        token = _find(AuthToken.objects.select_related("user"), plaintext, TOKEN_KIND)
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive.")
        _touch(token)
        language.activate_for(request, token.user)
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Api-Key"

    def authenticate(self, request):
        plaintext = _credential_from_header(request, self.keyword)
        if plaintext is None:
            return None
        key = _find(
            ApiKey.objects.select_related("partner", "partner__service_user"),
            plaintext,
            API_KEY_KIND,
        )
        if not key.partner.is_active:
            raise exceptions.AuthenticationFailed("Partner inactive.")
        _touch(key)
        user = partner_service_user(partner=key.partner)
        language.activate_for(request, user, key)
        return user, key

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'
