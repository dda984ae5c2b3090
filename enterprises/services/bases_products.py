"""State changes for enterprises: registration, verification workflow, members and invitations,
production bases and products. Later services call `require_verified` before acting.

Every function takes keyword-only arguments, runs in one transaction, checks the actor and (for the
workflow) the transition, and records its domain event with `agri_platform.events.services.record`.
"""

import logging
import re
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from agri_platform.accounts import secrets
from agri_platform.accounts.choices import MembershipRole
from agri_platform.accounts.models import Membership, User
from agri_platform.api.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from agri_platform.api.serializers import unknown_id
from agri_platform.api.tenancy import ADMINISTRATOR_ROLES, forget_memberships, require_membership
from agri_platform.api.workflow import Transition, Workflow
from agri_platform.events.services import record
from agri_platform.queue import queue_after_commit
from agri_platform.reference.choices import ExportCategory
from agri_platform.reference.models import Country, HSCode, Prefecture
from agri_platform.reference.selectors import cold_chain_profile_for, hs_code_lookup

from .. import uscc as uscc_rules
from ..choices import VerificationStatus
from ..models import (
    M2_PER_MU_DENOMINATOR,
    M2_PER_MU_NUMERATOR,
    Enterprise,
    Invitation,
    Product,
    ProductionBase,
)

logger = logging.getLogger(__name__)

INVITATION_KIND = "inv"
INVITATION_TTL = timedelta(days=14)
CUSTOMS_CODE_RE = re.compile(r"^[0-9A-Z]{10}$")
TEMPERATURE_LIMITS = (Decimal("-60"), Decimal("60"))

REVIEWER_ROLES = ("reviewer", "officer")


# --- the gate -----------------------------------------------------------------------------------


def require_verified(enterprise: Enterprise) -> None:
    """The single gate for 'only a verified enterprise may do this' (apply, book, finance)."""
    if not enterprise.is_verified:
        raise PermissionDenied(
            f"The enterprise must be verified first (current status: {enterprise.status}).",
            code="enterprise_not_verified",
            enterprise_status=enterprise.status,
        )


# --- helpers ------------------------------------------------------------------------------------


def _reviewer(user: User, enterprise: Enterprise) -> None:
    _require_reviewer(user)


V = VerificationStatus
VERIFICATION_WORKFLOW = Workflow(
    {
        "verify": Transition({V.PENDING: V.VERIFIED}, who=_reviewer),
        "reject": Transition({V.PENDING: V.REJECTED}, who=_reviewer),
        "suspend": Transition({V.VERIFIED: V.SUSPENDED}, who=_reviewer),
        "reinstate": Transition({V.SUSPENDED: V.VERIFIED}, who=_reviewer),
        "resubmit": Transition(
            {V.REJECTED: V.PENDING},
            who=lambda user, enterprise: require_administrator(user, enterprise),
        ),
    },
    write_scope="enterprises:write",
)
REASON_REQUIRED = ("reject", "suspend")


def event_payload(enterprise: Enterprise, **extra) -> dict:
    payload = {
        "enterprise_id": enterprise.pk,
        "uscc": enterprise.uscc,
        "name_zh": enterprise.name_zh,
        "name_en": enterprise.name_en,
        "status": enterprise.status,
    }
    payload.update(extra)
    return payload


def membership_of(user: User, enterprise: Enterprise) -> Membership | None:
    if not user or not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, enterprise=enterprise).first()


def _is_platform_admin(user: User) -> bool:
    # has_staff_role() with no roles is true only for platform admins and superusers
    return bool(user and user.is_authenticated and user.has_staff_role())


def require_member(user: User, enterprise: Enterprise, *, roles=None) -> Membership | None:
    """Any member (or a platform admin) may maintain the enterprise's bases and products."""
    if _is_platform_admin(user):
        return None
    require_membership(user, enterprise.pk, roles=roles)
    return membership_of(user, enterprise)


def require_administrator(user: User, enterprise: Enterprise) -> Membership | None:
    """Owners and admins (or a platform admin) manage the profile and the members."""
    return require_member(user, enterprise, roles=ADMINISTRATOR_ROLES)


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
            "A China Customs registration code has exactly 10 letters or digits.",
            field="customs_code",
            code="invalid_customs_code",
        )
    return code


def _check_categories(categories: Iterable[str]) -> list[str]:
    categories = list(dict.fromkeys(categories or []))
    unknown = [value for value in categories if value not in ExportCategory.values]
    if unknown:
        raise ValidationFailed(
            f"Unknown export categories: {', '.join(unknown)}.", field="export_categories"
        )
    return categories


def _decimal(value, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed("A number is required.", field=field) from exc


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
                f"{name} is part of a verified enterprise's identity and cannot be changed; "
                "contact the platform.",
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
            "Only people signed up for an enterprise may register one.", code="cannot_register"
        )
    if not user.email_confirmed:
        raise PermissionDenied(
            "Confirm your e-mail address first: open the link we sent you, or ask for a new one "
            "with POST /api/v1/auth/email-confirmation/resend/.",
            code="email_not_confirmed",
        )
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown fields: {', '.join(sorted(unknown))}.")
    code = _normalise_uscc(uscc)
    if not (name_zh or "").strip():
        raise ValidationFailed("The Chinese name is required.", field="name_zh")
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
    return Conflict(
        f"USCC {existing.uscc} is already registered as {existing.name_zh}"
        + (f" ({existing.name_en})" if existing.name_en else "")
        + f" on {existing.created_at:%Y-%m-%d}, status {existing.status}. "
        "Ask that enterprise's owner to invite you instead.",
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
            f"These fields cannot be changed: {', '.join(sorted(unknown))}.",
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
            raise ValidationFailed("The Chinese name is required.", field="name_zh")
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


# --- verification workflow ----------------------------------------------------------------------


def _transition(
    enterprise: Enterprise, *, action: str, actor: User, reason: str = ""
) -> Enterprise:
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        target = VERIFICATION_WORKFLOW.check(action, actor=actor, obj=locked)
        if action in REASON_REQUIRED:
            reason = _required_reason(reason, action)
        locked.status = target
        locked.status_reason = (reason or "").strip()
        locked.status_changed_at = timezone.now()
        locked.status_changed_by = actor
        locked.save(
            update_fields=[
                "status",
                "status_reason",
                "status_changed_at",
                "status_changed_by",
                "updated_at",
            ]
        )
        extra = {"reason": reason} if action in ("reject", "suspend", "reinstate") else {}
        record(
            f"enterprise.{_EVENT_NAMES[action]}",
            payload=event_payload(locked, **extra),
            enterprise=locked,
            actor=actor,
            subject=locked,
        )
    for name in ("status", "status_reason", "status_changed_at", "status_changed_by_id"):
        setattr(enterprise, name, getattr(locked, name))
    return locked


_EVENT_NAMES = {
    "verify": "verified",
    "reject": "rejected",
    "suspend": "suspended",
    "reinstate": "reinstated",
    "resubmit": "resubmitted",
}


def _require_reviewer(user: User) -> None:
    if not (user and user.is_authenticated and user.has_staff_role(*REVIEWER_ROLES)):
        raise PermissionDenied(
            "Only platform reviewers and officers may review enterprises.", code="not_reviewer"
        )


def _required_reason(reason: str, action: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(f"A reason is required to {action} an enterprise.", field="reason")
    return reason


def enterprise_verify(*, enterprise: Enterprise, reviewer: User) -> Enterprise:
    return _transition(enterprise, action="verify", actor=reviewer)


def enterprise_reject(*, enterprise: Enterprise, reviewer: User, reason: str) -> Enterprise:
    return _transition(enterprise, action="reject", actor=reviewer, reason=reason)


def enterprise_suspend(*, enterprise: Enterprise, reviewer: User, reason: str) -> Enterprise:
    return _transition(enterprise, action="suspend", actor=reviewer, reason=reason)


def enterprise_reinstate(*, enterprise: Enterprise, reviewer: User, reason: str = "") -> Enterprise:
    return _transition(enterprise, action="reinstate", actor=reviewer, reason=reason)


def enterprise_resubmit(*, enterprise: Enterprise, user: User) -> Enterprise:
    """After a rejection, an owner or admin who fixed the profile asks for review again."""
    return _transition(enterprise, action="resubmit", actor=user)


# --- members and invitations --------------------------------------------------------------------


def _check_role(role: str) -> str:
    if role not in MembershipRole.values:
        raise ValidationFailed(
            f"Role must be one of {', '.join(MembershipRole.values)}.", field="role"
        )
    return role


def _may_grant(actor_membership: Membership | None, role: str) -> None:
    """Only owners (or a platform admin) may make or unmake owners."""
    if (
        role == MembershipRole.OWNER
        and actor_membership is not None
        and actor_membership.role != MembershipRole.OWNER
    ):
        raise PermissionDenied(
            "Only an owner may grant or take away the owner role.", code="owner_only"
        )


def member_invite(
    *, enterprise: Enterprise, inviter: User, email: str, role: str = MembershipRole.MEMBER
) -> tuple[Invitation, str]:
    """Invite an e-mail address with a role. Returns the invitation and its token (shown once)."""
    actor = require_administrator(inviter, enterprise)
    _check_role(role)
    _may_grant(actor, role)
    email = (email or "").strip().lower()
    if not email or "@" not in email:
        raise ValidationFailed("A valid e-mail address is required.", field="email")
    with transaction.atomic():
        Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if Membership.objects.filter(enterprise=enterprise, user__email__iexact=email).exists():
            raise Conflict(
                f"{email} is already a member of this enterprise.",
                code="already_member",
                field="email",
            )
        now = timezone.now()
        # A new invitation replaces an open one to the same address (a re-send with a new token).
        Invitation.objects.filter(
            enterprise=enterprise, email=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        issued = secrets.issue(INVITATION_KIND)
        invitation = Invitation.objects.create(
            enterprise=enterprise,
            email=email,
            role=role,
            prefix=issued.prefix,
            digest=issued.digest,
            invited_by=inviter,
            expires_at=now + INVITATION_TTL,
        )
        record(
            "enterprise.member_invited",
            payload=event_payload(enterprise, invitation_id=invitation.pk, email=email, role=role),
            enterprise=enterprise,
            actor=inviter,
            subject=invitation,
        )
        # a broker that is down loses only the e-mail: the inviter has the token from the response
        queue_after_commit("enterprises.send_invitation_email", invitation.pk, issued.plaintext)
    return invitation, issued.plaintext


def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    require_administrator(actor, invitation.enterprise)
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at or locked.revoked_at:
            raise Conflict(f"The invitation is already {locked.status}.", code="invitation_closed")
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        record(
            "enterprise.invitation_revoked",
            payload=event_payload(locked.enterprise, invitation_id=locked.pk, email=locked.email),
            enterprise=locked.enterprise,
            actor=actor,
            subject=locked,
        )
    return locked


def member_accept(*, token: str, user: User) -> Membership:
    """The invited person (signed in with the invited address) accepts and becomes a member."""
    if not user.is_authenticated or user.partner_id or user.is_service_account:
        raise PermissionDenied("Only people can join an enterprise.", code="cannot_join")
    not_found = NotFound("No open invitation for your account matches this token.")
    prefix = secrets.split_prefix((token or "").strip(), INVITATION_KIND)
    if prefix is None:
        raise not_found
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("enterprise")
            .filter(prefix=prefix)
            .first()
        )
        if (
            invitation is None
            or not secrets.matches(token.strip(), invitation.digest)
            or invitation.email.lower() != user.email.lower()
            or invitation.revoked_at is not None
        ):
            raise not_found
        if invitation.accepted_at is not None:
            raise Conflict("This invitation has already been accepted.", code="invitation_used")
        if invitation.expires_at <= timezone.now():
            raise Conflict(
                "This invitation has expired; ask for a new one.", code="invitation_expired"
            )
        if Membership.objects.filter(user=user, enterprise=invitation.enterprise).exists():
            raise Conflict("You are already a member of this enterprise.", code="already_member")
        membership = Membership.objects.create(
            user=user, enterprise=invitation.enterprise, role=invitation.role
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        record(
            "enterprise.member_joined",
            payload=event_payload(
                invitation.enterprise,
                user_id=user.pk,
                email=user.email,
                role=membership.role,
                invitation_id=invitation.pk,
            ),
            enterprise=invitation.enterprise,
            actor=user,
            subject=membership,
        )
    forget_memberships(user)
    return membership


def _owner_count_locked(enterprise_id: int) -> int:
    return len(
        Membership.objects.select_for_update()
        .filter(enterprise_id=enterprise_id, role=MembershipRole.OWNER)
        .values_list("pk", flat=True)
    )


def member_change_role(*, membership: Membership, actor: User, role: str) -> Membership:
    actor_membership = require_administrator(actor, membership.enterprise)
    _check_role(role)
    if membership.role == role:
        return membership
    _may_grant(actor_membership, role)
    _may_grant(actor_membership, membership.role)
    with transaction.atomic():
        owners = _owner_count_locked(membership.enterprise_id)
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.role == MembershipRole.OWNER and owners <= 1:
            raise Conflict(
                "The last owner cannot be demoted; make someone else owner first.",
                code="last_owner",
            )
        previous = locked.role
        locked.role = role
        locked.save(update_fields=["role"])
        record(
            "enterprise.member_role_changed",
            payload=event_payload(
                locked.enterprise,
                user_id=locked.user_id,
                role=role,
                previous_role=previous,
            ),
            enterprise=locked.enterprise,
            actor=actor,
            subject=locked,
        )
    membership.role = role
    return locked


def member_remove(*, membership: Membership, actor: User) -> None:
    """Owners and admins remove members; anyone may leave. The last owner stays."""
    if membership.user_id != actor.pk:
        actor_membership = require_administrator(actor, membership.enterprise)
        _may_grant(actor_membership, membership.role)
    with transaction.atomic():
        owners = _owner_count_locked(membership.enterprise_id)
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.role == MembershipRole.OWNER and owners <= 1:
            raise Conflict(
                "The last owner cannot be removed; make someone else owner first.",
                code="last_owner",
            )
        record(
            "enterprise.member_removed",
            payload=event_payload(locked.enterprise, user_id=locked.user_id, role=locked.role),
            enterprise=locked.enterprise,
            actor=actor,
            subject=locked.enterprise,
        )
        locked.delete()


# --- production bases -----------------------------------------------------------------------------


def mu_to_m2(area_mu: Decimal) -> Decimal:
    return (area_mu * M2_PER_MU_NUMERATOR / M2_PER_MU_DENOMINATOR).quantize(Decimal("0.01"))


def _base_values(values: dict) -> dict:
    """Validate and convert production-base input (area in mu or m², ranges, signs)."""
    values = dict(values)
    area_m2 = _decimal(values.pop("area_m2", None), "area_m2") if "area_m2" in values else None
    area_mu = _decimal(values.pop("area_mu", None), "area_mu") if "area_mu" in values else None
    if area_m2 is not None and area_mu is not None:
        raise ValidationFailed("Give the area in m² or in mu, not both.", field="area_mu")
    for name, value in (("area_m2", area_m2), ("area_mu", area_mu)):
        if value is not None and value < 0:
            raise ValidationFailed("The area cannot be negative.", field=name, code="negative")
    if area_mu is not None:
        values["area_m2"] = mu_to_m2(area_mu)
    elif area_m2 is not None:
        values["area_m2"] = area_m2.quantize(Decimal("0.01"))
    if "annual_capacity_t" in values:
        capacity = _decimal(values["annual_capacity_t"], "annual_capacity_t")
        if capacity is not None and capacity < 0:
            raise ValidationFailed(
                "The annual capacity cannot be negative.",
                field="annual_capacity_t",
                code="negative",
            )
        values["annual_capacity_t"] = capacity
    for name, limit in (("latitude", 90), ("longitude", 180)):
        if name in values:
            value = _decimal(values[name], name)
            if value is not None and not -limit <= value <= limit:
                raise ValidationFailed(f"{name} must be between -{limit} and {limit}.", field=name)
            values[name] = value
    return values


def _same_enterprise(objects, enterprise: Enterprise, field: str) -> list:
    """An object of another enterprise (even one the caller belongs to) answers like a missing id."""
    objects = list(objects or [])
    foreign = [obj.pk for obj in objects if obj.enterprise_id != enterprise.pk]
    if foreign:
        raise unknown_id(field, foreign[0])
    return objects


BASE_FIELDS = {
    "name",
    "kind",
    "prefecture",
    "county",
    "latitude",
    "longitude",
    "area_m2",
    "area_mu",
    "annual_capacity_t",
}


def production_base_create(
    *, enterprise: Enterprise, user: User, products: Iterable[Product] = (), **values
) -> ProductionBase:
    require_member(user, enterprise)
    unknown = set(values) - BASE_FIELDS
    if unknown:
        raise ValidationFailed(f"Unknown fields: {', '.join(sorted(unknown))}.")
    values = _base_values(values)
    products = _same_enterprise(products, enterprise, "products")
    with transaction.atomic():
        base = ProductionBase.objects.create(enterprise=enterprise, **values)
        base.products.set(products)
        record(
            "enterprise.production_base_added",
            payload=event_payload(enterprise, production_base_id=base.pk, name=base.name),
            enterprise=enterprise,
            actor=user,
            subject=base,
        )
    return base


def production_base_update(
    *, base: ProductionBase, user: User, products: Iterable[Product] | None = None, **values
) -> ProductionBase:
    require_member(user, base.enterprise)
    unknown = set(values) - BASE_FIELDS
    if unknown:
        raise ValidationFailed(f"Unknown fields: {', '.join(sorted(unknown))}.")
    values = _base_values(values)
    if products is not None:
        products = _same_enterprise(products, base.enterprise, "products")
    with transaction.atomic():
        locked = ProductionBase.objects.select_for_update().get(pk=base.pk)
        for name, value in values.items():
            setattr(locked, name, value)
        if values:
            locked.save(update_fields=[*values, "updated_at"])
        if products is not None:
            locked.products.set(products)
        record(
            "enterprise.production_base_updated",
            payload=event_payload(
                locked.enterprise, production_base_id=locked.pk, name=locked.name
            ),
            enterprise=locked.enterprise,
            actor=user,
            subject=locked,
        )
    return locked


def production_base_delete(*, base: ProductionBase, user: User) -> None:
    require_member(user, base.enterprise)
    with transaction.atomic():
        record(
            "enterprise.production_base_removed",
            payload=event_payload(base.enterprise, production_base_id=base.pk, name=base.name),
            enterprise=base.enterprise,
            actor=user,
            subject=base.enterprise,
        )
        base.delete()


# --- products -----------------------------------------------------------------------------------

PRODUCT_FIELDS = {
    "name_zh",
    "name_en",
    "variety",
    "category",
    "hs_code",
    "temp_min_c",
    "temp_max_c",
    "humidity_max_pct",
    "shelf_life_days",
}


def _resolve_hs_code(value) -> HSCode:
    if isinstance(value, HSCode):
        return value
    found = hs_code_lookup(str(value or ""))
    if found is None:
        raise ValidationFailed(
            f"HS code '{value}' is not in the reference list (see reference/hs-codes/).",
            field="hs_code",
            code="unknown_hs_code",
        )
    return found


def _band(values: dict, current: Product | None, hs_code: HSCode) -> dict:
    """Work out temp_min_c, temp_max_c, humidity_max_pct and the profile the band came from."""
    given = {
        name: _decimal(values[name], name)
        for name in ("temp_min_c", "temp_max_c", "humidity_max_pct")
        if name in values
    }
    band = {
        name: given.get(name, getattr(current, name) if current else None)
        for name in ("temp_min_c", "temp_max_c", "humidity_max_pct")
    }
    profile = current.cold_chain_profile if current else None
    if current is None and band["temp_min_c"] is None and band["temp_max_c"] is None:
        profile = cold_chain_profile_for(hs_code.code)
        if profile is not None:
            band["temp_min_c"] = profile.temp_min_c
            band["temp_max_c"] = profile.temp_max_c
            if band["humidity_max_pct"] is None:
                band["humidity_max_pct"] = profile.humidity_max_pct
    elif {"temp_min_c", "temp_max_c"} & set(given):
        profile = None  # a band of the enterprise's own
    low, high = band["temp_min_c"], band["temp_max_c"]
    if (low is None) != (high is None):
        missing = "temp_max_c" if high is None else "temp_min_c"
        raise ValidationFailed(
            "Give both ends of the storage band (or neither, to take the product family's).",
            field=missing,
        )
    for name in ("temp_min_c", "temp_max_c"):
        value = band[name]
        if value is not None and not TEMPERATURE_LIMITS[0] <= value <= TEMPERATURE_LIMITS[1]:
            raise ValidationFailed("Storage temperatures lie between -60 and 60 °C.", field=name)
    if low is not None and low >= high:
        raise ValidationFailed(
            f"The band is inverted: temp_min_c ({low}) must be below temp_max_c ({high}).",
            field="temp_min_c",
            code="inverted_band",
        )
    humidity = band["humidity_max_pct"]
    if humidity is not None and not 0 < humidity <= 100:
        raise ValidationFailed(
            "The humidity limit is a percentage above 0 and at most 100.",
            field="humidity_max_pct",
        )
    band["cold_chain_profile"] = profile
    return band


def product_create(
    *,
    enterprise: Enterprise,
    user: User,
    production_bases: Iterable[ProductionBase] = (),
    **values,
) -> Product:
    require_member(user, enterprise)
    unknown = set(values) - PRODUCT_FIELDS
    if unknown:
        raise ValidationFailed(f"Unknown fields: {', '.join(sorted(unknown))}.")
    if values.get("category") not in ExportCategory.values:
        raise ValidationFailed(
            f"Category must be one of {', '.join(ExportCategory.values)}.", field="category"
        )
    hs_code = _resolve_hs_code(values.pop("hs_code", None))
    band = _band(values, None, hs_code)
    for name in ("temp_min_c", "temp_max_c", "humidity_max_pct"):
        values.pop(name, None)
    bases = _same_enterprise(production_bases, enterprise, "production_bases")
    with transaction.atomic():
        product = Product.objects.create(enterprise=enterprise, hs_code=hs_code, **values, **band)
        for base in bases:
            base.products.add(product)
        record(
            "enterprise.product_added",
            payload=event_payload(
                enterprise,
                product_id=product.pk,
                product_name_zh=product.name_zh,
                hs_code=hs_code.code,
            ),
            enterprise=enterprise,
            actor=user,
            subject=product,
        )
    return product


def product_update(
    *,
    product: Product,
    user: User,
    production_bases: Iterable[ProductionBase] | None = None,
    **values,
) -> Product:
    require_member(user, product.enterprise)
    unknown = set(values) - PRODUCT_FIELDS
    if unknown:
        raise ValidationFailed(f"Unknown fields: {', '.join(sorted(unknown))}.")
    if "category" in values and values["category"] not in ExportCategory.values:
        raise ValidationFailed(
            f"Category must be one of {', '.join(ExportCategory.values)}.", field="category"
        )
    if production_bases is not None:
        production_bases = _same_enterprise(
            production_bases, product.enterprise, "production_bases"
        )
    with transaction.atomic():
        locked = Product.objects.select_for_update().get(pk=product.pk)
        if "hs_code" in values:
            values["hs_code"] = _resolve_hs_code(values["hs_code"])
        band = _band(values, locked, values.get("hs_code", locked.hs_code))
        for name in ("temp_min_c", "temp_max_c", "humidity_max_pct"):
            values.pop(name, None)
        changes = {**values, **band}
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*changes, "updated_at"])
        if production_bases is not None:
            locked.production_bases.set(production_bases)
        record(
            "enterprise.product_updated",
            payload=event_payload(locked.enterprise, product_id=locked.pk),
            enterprise=locked.enterprise,
            actor=user,
            subject=locked,
        )
    return locked


def product_delete(*, product: Product, user: User) -> None:
    require_member(user, product.enterprise)
    with transaction.atomic():
        record(
            "enterprise.product_removed",
            payload=event_payload(product.enterprise, product_id=product.pk),
            enterprise=product.enterprise,
            actor=user,
            subject=product.enterprise,
        )
        product.delete()
