"""State changes for identity: tokens, API keys, partner service accounts."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agri_platform.api.errors import Conflict, ValidationFailed
from agri_platform.api.permissions import SCOPES
from agri_platform.events import services as events

from . import secrets
from .choices import Language
from .models import ApiKey, AuthToken, Partner, User

TOKEN_KIND = "agt"  # noqa: S105 (a credential prefix, not a secret)  # nosec B105
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
    with transaction.atomic():
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
        events.record(
            "partner.api_key_created",
            payload={
                "partner": partner.pk,
                "api_key": key.pk,
                "prefix": key.prefix,
                "scopes": key.scopes,
            },
            actor=created_by,
            subject=key,
            partners=[partner],
        )
    return key, issued.plaintext


def api_key_revoke(*, key: ApiKey, actor: User | None = None) -> ApiKey:
    """Revoke `key` (idempotent: revoking a revoked key changes nothing)."""
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().get(pk=key.pk)
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at"])
            events.record(
                "partner.api_key_revoked",
                payload={"partner": key.partner_id, "api_key": key.pk, "prefix": key.prefix},
                actor=actor,
                subject=key,
                partners=[key.partner],
            )
    return key


# --- Partners and their people (platform staff) ------------------------------------------------

PARTNER_FIELDS = ("name", "name_zh", "kind", "country", "contact_email", "is_active")


def partner_create(*, actor: User, **fields) -> Partner:
    """A new partner organisation; its service account is made when its first key is."""
    with transaction.atomic():
        if Partner.objects.filter(name=fields["name"]).exists():
            raise Conflict("A partner with this name already exists.", code="partner_exists")
        partner = Partner.objects.create(**{k: v for k, v in fields.items() if k in PARTNER_FIELDS})
        events.record(
            "partner.created",
            payload={"partner": partner.pk, "kind": partner.kind},
            actor=actor,
            subject=partner,
        )
    return partner


def partner_update(*, partner: Partner, actor: User, **fields) -> Partner:
    changed = [name for name in PARTNER_FIELDS if name in fields]
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if (
            "name" in fields
            and Partner.objects.exclude(pk=partner.pk).filter(name=fields["name"]).exists()
        ):
            raise Conflict("A partner with this name already exists.", code="partner_exists")
        for name in changed:
            setattr(partner, name, fields[name])
        if changed:
            partner.save(update_fields=changed)
            events.record(
                "partner.updated",
                payload={"partner": partner.pk, "fields": changed},
                actor=actor,
                subject=partner,
            )
    return partner


def partner_user_create(
    *,
    partner: Partner,
    actor: User,
    email: str,
    password: str,
    full_name: str = "",
    language: str = Language.EN,
) -> User:
    """A person who acts for `partner` (signs in with e-mail and password, manages its keys)."""
    email = email.strip().lower()
    with transaction.atomic():
        if User.objects.filter(email=email).exists():
            raise Conflict("An account with this e-mail already exists.", code="email_taken")
        user = User.objects.create_user(
            email=email, password=password, full_name=full_name, language=language, partner=partner
        )
        events.record(
            "partner.user_created",
            payload={"partner": partner.pk, "user": user.pk},
            actor=actor,
            subject=user,
            partners=[partner],
        )
    return user


def partner_user_update(*, user: User, actor: User, **fields) -> User:
    changed = [name for name in ("full_name", "language", "is_active") if name in fields]
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        for name in changed:
            setattr(user, name, fields[name])
        if changed:
            user.save(update_fields=changed)
        if fields.get("is_active") is False:
            AuthToken.objects.filter(user=user, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
    return user
