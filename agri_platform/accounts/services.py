"""State changes for identity: tokens, API keys, partner service accounts."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agri_platform.api.errors import ValidationFailed
from agri_platform.api.permissions import SCOPES

from . import secrets
from .models import ApiKey, AuthToken, Partner, User

TOKEN_KIND = "agt"  # noqa: S105 (a credential prefix, not a secret)
API_KEY_KIND = "apk"


def token_issue(*, user: User, name: str = "") -> tuple[AuthToken, str]:
    """A new bearer token for `user`; returns the row and the plaintext (shown once)."""
    issued = secrets.issue(TOKEN_KIND)
    token = AuthToken.objects.create(
        user=user,
        name=name,
        prefix=issued.prefix,
        digest=issued.digest,
        expires_at=timezone.now() + settings.AUTH_TOKEN_TTL,
    )
    return token, issued.plaintext


def token_revoke(*, token: AuthToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def partner_service_user(*, partner: Partner) -> User:
    """The identity that the partner's API keys act as (created on first use)."""
    if partner.service_user_id:
        return partner.service_user
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if partner.service_user_id is None:
            user = User.objects.create_user(
                email=f"partner-{partner.pk}@service.agri-trade.invalid",
                full_name=f"{partner.name} (API)",
                partner=partner,
                is_service_account=True,
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
            partner.service_user = user
            partner.save(update_fields=["service_user"])
        return partner.service_user


def api_key_create(
    *,
    partner: Partner,
    name: str,
    scopes: list[str],
    created_by: User | None = None,
    expires_at=None,
) -> tuple[ApiKey, str]:
    """A new partner API key; returns the row and the plaintext (shown once)."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise ValidationFailed(f"Unknown scopes: {', '.join(unknown)}.", field="scopes")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationFailed("The expiry must be in the future.", field="expires_at")
    partner_service_user(partner=partner)
    issued = secrets.issue(API_KEY_KIND)
    key = ApiKey.objects.create(
        partner=partner,
        name=name,
        prefix=issued.prefix,
        digest=issued.digest,
        scopes=sorted(set(scopes)),
        created_by=created_by,
        expires_at=expires_at,
    )
    return key, issued.plaintext


def api_key_revoke(*, key: ApiKey) -> None:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
