"""Members and invitations: invite, revoke, accept, change a role, remove (the last owner stays)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agri_platform.accounts import secrets
from agri_platform.accounts.choices import MembershipRole
from agri_platform.accounts.models import Membership, User
from agri_platform.api.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from agri_platform.api.tenancy import forget_memberships
from agri_platform.events.services import record
from agri_platform.queue import queue_after_commit

from ..models import Enterprise, Invitation
from ._common import event_payload, require_administrator

INVITATION_KIND = "inv"
INVITATION_TTL = timedelta(days=14)


def _check_role(role: str) -> str:
    if role not in MembershipRole.values:
        raise ValidationFailed(
            _("Role must be one of %(roles)s.") % {"roles": ", ".join(MembershipRole.values)},
            field="role",
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
            _("Only an owner may grant or take away the owner role."), code="owner_only"
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
        raise ValidationFailed(_("A valid e-mail address is required."), field="email")
    with transaction.atomic():
        Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if Membership.objects.filter(enterprise=enterprise, user__email__iexact=email).exists():
            raise Conflict(
                _("%(email)s is already a member of this enterprise.") % {"email": email},
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
            raise Conflict(
                _("The invitation is already %(status)s.") % {"status": locked.status.label},
                code="invitation_closed",
            )
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
        raise PermissionDenied(_("Only people can join an enterprise."), code="cannot_join")
    not_found = NotFound(_("No open invitation for your account matches this token."))
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
            raise Conflict(_("This invitation has already been accepted."), code="invitation_used")
        if invitation.expires_at <= timezone.now():
            raise Conflict(
                _("This invitation has expired; ask for a new one."), code="invitation_expired"
            )
        if Membership.objects.filter(user=user, enterprise=invitation.enterprise).exists():
            raise Conflict(_("You are already a member of this enterprise."), code="already_member")
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
                _("The last owner cannot be demoted; make someone else owner first."),
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
                _("The last owner cannot be removed; make someone else owner first."),
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
