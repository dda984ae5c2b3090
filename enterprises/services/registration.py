"""Registering an enterprise and editing its profile; the identity fields lock once verified."""

import re
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agri_platform.accounts.choices import MembershipRole
from agri_platform.accounts.models import Membership, User
from agri_platform.api.errors import Conflict, PermissionDenied, ValidationFailed
from agri_platform.events.services import record
from agri_platform.reference.choices import ExportCategory
from agri_platform.reference.models import Country, Prefecture

from .. import uscc as uscc_rules
from ..choices import VerificationStatus
from ..models import Enterprise
from ._common import event_payload, require_administrator

CUSTOMS_CODE_RE = re.compile(r"^[0-9A-Z]{10}$")


def _normalise_uscc(value: str) -> str:
    try:
        return uscc_rules.validate(value or "")
    except uscc_rules.InvalidUSCC as exc:
        raise ValidationFailed(
            str(exc), field="uscc", code=f"uscc_{exc.reason}", reason=exc.reason
        ) from exc


def _normalise_customs_code(value: str) -> str:
    code = (value or "").strip().upper()
    if code and not CUSTOMS_CODE_RE.match(code):
        raise ValidationFailed(
            _("A China Customs registration code has exactly 10 letters or digits."),
            field="customs_code",
            code="invalid_customs_code",
        )
    return code


def _check_categories(categories: Iterable[str]) -> list[str]:
    categories = list(dict.fromkeys(categories or []))
    unknown = [value for value in categories if value not in ExportCategory.values]
    if unknown:
        raise ValidationFailed(
            _("Unknown export categories: %(categories)s.") % {"categories": ", ".join(unknown)},
            field="export_categories",
        )
    return categories


# --- registration and profile -------------------------------------------------------------------

# Who the enterprise is, as the reviewer checked it against the business licence and the customs
# registration: every name in every language, the legal representative, the registered prefecture
# and county, the customs code (the USCC is never editable). Locked once verified (and while
# suspended): a change is a 400 `identity_locked` naming the field; the platform changes them.
IDENTITY_FIELDS = [
    "name_zh",
    "name_en",
    "legal_representative",
    "prefecture",
    "county",
    "customs_code",
]
# Editable at any time: how to reach the enterprise and what it exports.
PROFILE_FIELDS = [
    "name_en",
    "county",
    "address",
    "legal_representative",
    "contact_name",
    "contact_phone",
    "contact_email",
    "customs_code",
    "export_categories",
    "publish_contact",
]
IDENTITY_LOCKED_STATUSES = (VerificationStatus.VERIFIED, VerificationStatus.SUSPENDED)


def _check_identity_unchanged(enterprise: Enterprise, changes: dict) -> None:
    """400 `identity_locked` for the first identity field whose value would change."""
    if enterprise.status not in IDENTITY_LOCKED_STATUSES:
        return
    for name in IDENTITY_FIELDS:
        if name in changes and changes[name] != getattr(enterprise, name):
            raise ValidationFailed(
                _(
                    "%(field)s is part of a verified enterprise's identity and cannot be changed; "
                    "contact the platform."
                )
                % {"field": Enterprise._meta.get_field(name).verbose_name},
                field=name,
                code="identity_locked",
            )


def enterprise_register(
    *,
    user: User,
    uscc: str,
    name_zh: str,
    prefecture: Prefecture,
    export_markets: Iterable[Country] = (),
    **profile,
) -> Enterprise:
    """A signed-up user registers an enterprise and becomes its owner; status starts as pending."""
    if not user.is_authenticated or user.partner_id or user.is_service_account:
        raise PermissionDenied(
            _("Only people signed up for an enterprise may register one."),
            code="cannot_register",
        )
    if not user.email_confirmed:
        raise PermissionDenied(
            _(
                "Confirm your e-mail address first: open the link we sent you, or ask for a new "
                "one with POST /api/v1/auth/email-confirmation/resend/."
            ),
            code="email_not_confirmed",
        )
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    code = _normalise_uscc(uscc)
    if not (name_zh or "").strip():
        raise ValidationFailed(_("The Chinese name is required."), field="name_zh")
    profile["customs_code"] = _normalise_customs_code(profile.get("customs_code", ""))
    profile["export_categories"] = _check_categories(profile.get("export_categories", []))
    with transaction.atomic():
        existing = Enterprise.objects.filter(uscc=code).first()
        if existing is not None:
            raise _duplicate(existing)
        try:
            with transaction.atomic():
                enterprise = Enterprise.objects.create(
                    uscc=code,
                    name_zh=name_zh.strip(),
                    prefecture=prefecture,
                    registered_outside_sichuan=not uscc_rules.is_sichuan(code),
                    status=VerificationStatus.PENDING,
                    created_by=user,
                    **profile,
                )
        except IntegrityError:  # registered by someone else a moment ago
            raise _duplicate(Enterprise.objects.get(uscc=code)) from None
        enterprise.export_markets.set(list(export_markets))
        Membership.objects.create(user=user, enterprise=enterprise, role=MembershipRole.OWNER)
        record(
            "enterprise.registered",
            payload=event_payload(
                enterprise, registered_outside_sichuan=enterprise.registered_outside_sichuan
            ),
            enterprise=enterprise,
            actor=user,
            subject=enterprise,
        )
    return enterprise


def _duplicate(existing: Enterprise) -> Conflict:
    """409 naming the existing registration; never its owner, members or contact data."""
    name = f"{existing.name_zh} ({existing.name_en})" if existing.name_en else existing.name_zh
    return Conflict(
        _(
            "USCC %(uscc)s is already registered as %(name)s on %(date)s, status %(status)s. "
            "Ask that enterprise's owner to invite you instead."
        )
        % {
            "uscc": existing.uscc,
            "name": name,
            "date": f"{existing.created_at:%Y-%m-%d}",
            "status": existing.get_status_display(),
        },
        code="uscc_already_registered",
        field="uscc",
        existing_registration={
            "name_zh": existing.name_zh,
            "name_en": existing.name_en,
            "status": existing.status,
            "registered_on": existing.created_at.date().isoformat(),
        },
    )


def enterprise_update(
    *, enterprise: Enterprise, user: User, export_markets=None, **changes
) -> Enterprise:
    """Owners and admins edit the profile. Identity fields are fixed once verified."""
    require_administrator(user, enterprise)
    unknown = set(changes) - set(PROFILE_FIELDS) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))},
            field=sorted(unknown)[0],
        )
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if "customs_code" in changes:
            changes["customs_code"] = _normalise_customs_code(changes["customs_code"])
        _check_identity_unchanged(locked, changes)
        if "export_categories" in changes:
            changes["export_categories"] = _check_categories(changes["export_categories"])
        if "name_zh" in changes and not (changes["name_zh"] or "").strip():
            raise ValidationFailed(_("The Chinese name is required."), field="name_zh")
        for name, value in changes.items():
            setattr(locked, name, value)
        if changes:
            locked.save(update_fields=[*changes, "updated_at"])
        if export_markets is not None:
            locked.export_markets.set(list(export_markets))
        record(
            "enterprise.updated",
            payload=event_payload(
                locked,
                fields=sorted(
                    [*changes, *(["export_markets"] if export_markets is not None else [])]
                ),
            ),
            enterprise=locked,
            actor=user,
            subject=locked,
        )
    return locked
