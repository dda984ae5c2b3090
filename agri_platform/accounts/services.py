"""State changes for identity: tokens, API keys, partner service accounts, passwords and e-mail
confirmation."""

import logging

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agri_platform.api.errors import Conflict, ValidationFailed
from agri_platform.api.permissions import SCOPES
from agri_platform.events import services as events
from agri_platform.queue import queue_after_commit

from . import secrets, tokens
from .emails import EMAIL_CONFIRMATION, PASSWORD_RESET
from .models import ApiKey, AuthToken, Partner, User

logger = logging.getLogger(__name__)

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


def sign_out_everywhere(*, user: User, keep: AuthToken | None = None) -> int:
    """Revoke every bearer token of `user` (but `keep`) and end every browser session; returns
    how many tokens were revoked."""
    now = timezone.now()
    with transaction.atomic():
        active = AuthToken.objects.filter(user=user, revoked_at__isnull=True)
        if keep is not None:
            active = active.exclude(pk=keep.pk)
        revoked = active.update(revoked_at=now)
        # Sessions carry an HMAC of the password hash and this stamp (User._get_session_auth_hash).
        user.signed_out_everywhere_at = now
        user.save(update_fields=["signed_out_everywhere_at"])
    return revoked


# --- Passwords and e-mail confirmation ---------------------------------------------------------


def _check_new_password(password: str, *, user: User, field: str) -> None:
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), code="weak_password", field=field) from exc


def _queue_account_email(user: User, kind: str) -> None:
    """After commit, at most one of a kind per account per ACCOUNT_EMAIL_INTERVAL_SECONDS (so
    nobody can flood a mailbox from many addresses); a broker that is down loses this e-mail
    (logged), never the request."""
    interval = settings.ACCOUNT_EMAIL_INTERVAL_SECONDS
    if interval > 0 and not cache.add(f"account-email:{kind}:{user.pk}", 1, timeout=interval):
        return
    queue_after_commit("accounts.send_account_email", user.pk, kind)


def password_change(
    *, user: User, current_password: str, new_password: str, keep: AuthToken | None = None
) -> None:
    """Change the password of a signed-in person; every other token and session ends."""
    if not user.check_password(current_password):
        raise ValidationFailed(
            _("The current password is wrong."), code="wrong_password", field="current_password"
        )
    _check_new_password(new_password, user=user, field="new_password")
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        sign_out_everywhere(user=user, keep=keep)


def password_reset_request(*, email: str) -> None:
    """E-mail a reset link if an active person has this address; the caller learns nothing."""
    user = User.objects.filter(
        email=email.strip().lower(), is_active=True, is_service_account=False
    ).first()
    if user is not None:
        _queue_account_email(user, PASSWORD_RESET)


def _user_from_link(uid: str, token: str, generator) -> User:
    user = tokens.user_of(uid)
    if user is None or not generator.check_token(user, token):
        raise ValidationFailed(
            _("This link is invalid, expired or already used. Ask for a new one."),
            code="invalid_token",
            field="token",
        )
    return user


def password_reset_confirm(*, uid: str, token: str, new_password: str) -> User:
    """Set a new password from an e-mailed link (works once); every token and session ends."""
    user = _user_from_link(uid, token, tokens.password_reset_tokens)
    _check_new_password(new_password, user=user, field="new_password")
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        sign_out_everywhere(user=user)
    return user


def email_confirmation_send(*, user: User) -> None:
    """(Re)send the confirmation link; a confirmed address is a 409."""
    if user.email_confirmed:
        raise Conflict(
            _("This e-mail address is already confirmed."), code="email_already_confirmed"
        )
    _queue_account_email(user, EMAIL_CONFIRMATION)


def email_confirm(*, uid: str, token: str) -> User:
    """Confirm the address from an e-mailed link (works once)."""
    user = _user_from_link(uid, token, tokens.email_confirmation_tokens)
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["email_confirmed_at"])
    return user


def sign_up(*, email: str, password: str, **profile) -> User:
    """A new person; the confirmation e-mail goes out after commit."""
    email = email.strip().lower()
    with transaction.atomic():
        if User.objects.filter(email=email).exists():
            raise Conflict(
                _("An account with this e-mail already exists."), code="email_taken", field="email"
            )
        user = User.objects.create_user(email=email, password=password, **profile)
        email_confirmation_send(user=user)
    return user


PROFILE_FIELDS = ("full_name", "language", "timezone")


def profile_update(*, user: User, **fields) -> User:
    """Change a person's own name, language or time zone: the one writer for the portal's
    settings and language switch and the API's `PATCH /auth/me/` (their forms and serializer
    validate the fields with the model's validators, e.g. `validate_time_zone`)."""
    changed = [name for name in PROFILE_FIELDS if name in fields]
    for name in changed:
        setattr(user, name, fields[name])
    if changed:
        user.save(update_fields=changed)
    return user


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
    language: str = "",
) -> tuple[ApiKey, str]:
    """A new partner API key; returns the row and the plaintext (shown once). Without an expiry
    it stops working after settings.API_KEY_DEFAULT_TTL (the API and the desk share the rule)."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise ValidationFailed(
            _("Unknown scopes: %(scopes)s.") % {"scopes": ", ".join(unknown)}, field="scopes"
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationFailed(_("The expiry must be in the future."), field="expires_at")
    if expires_at is None:
        expires_at = timezone.now() + settings.API_KEY_DEFAULT_TTL
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
            language=language,
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


API_KEY_EDITABLE_FIELDS = ("name", "language")


def api_key_update(*, key: ApiKey, **fields) -> ApiKey:
    """Rename `key` or change the language answers to it are in; scopes and expiry stay (a new
    key is the way to change them). No domain event: nothing a partner must act on."""
    changed = [name for name in API_KEY_EDITABLE_FIELDS if name in fields]
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().get(pk=key.pk)
        changed = [name for name in changed if getattr(key, name) != fields[name]]
        for name in changed:
            setattr(key, name, fields[name])
        if changed:
            key.save(update_fields=changed)  # the history table records who and when
    return key


# --- Partners and their people (platform staff) ------------------------------------------------

PARTNER_FIELDS = ("name", "name_zh", "kind", "country", "contact_email", "is_active")


def partner_create(*, actor: User, **fields) -> Partner:
    """A new partner organisation; its service account is made when its first key is."""
    with transaction.atomic():
        if Partner.objects.filter(name=fields["name"]).exists():
            raise Conflict(_("A partner with this name already exists."), code="partner_exists")
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
            raise Conflict(_("A partner with this name already exists."), code="partner_exists")
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
    language: str = "",
) -> User:
    """A person who acts for `partner` (signs in with e-mail and password, manages its keys)."""
    email = email.strip().lower()
    with transaction.atomic():
        if User.objects.filter(email=email).exists():
            raise Conflict(_("An account with this e-mail already exists."), code="email_taken")
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
