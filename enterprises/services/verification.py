"""The verification workflow (verify, reject, suspend, reinstate, resubmit) and the gate other
apps call before acting for an enterprise, `require_verified`."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from agri_platform.accounts.models import User
from agri_platform.api.errors import PermissionDenied, ValidationFailed
from agri_platform.api.workflow import Transition, Workflow
from agri_platform.events.services import record

from ..choices import VerificationStatus
from ..models import Enterprise
from ._common import event_payload, require_administrator

REVIEWER_ROLES = ("reviewer", "officer")


# --- the gate -----------------------------------------------------------------------------------


def require_verified(enterprise: Enterprise) -> None:
    """The single gate for 'only a verified enterprise may do this' (apply, book, finance)."""
    if not enterprise.is_verified:
        raise PermissionDenied(
            _("The enterprise must be verified first (current status: %(status)s).")
            % {"status": enterprise.get_status_display()},
            code="enterprise_not_verified",
            enterprise_status=enterprise.status,
        )


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
    action_labels={
        "verify": pgettext_lazy("action", "verify"),
        "reject": pgettext_lazy("action", "reject"),
        "suspend": pgettext_lazy("action", "suspend"),
        "reinstate": pgettext_lazy("action", "reinstate"),
        "resubmit": pgettext_lazy("action", "resubmit"),
    },
)
# The actions that need a reason, with the message when it is missing.
REASON_REQUIRED = {
    "reject": lambda: _("A reason is required to reject an enterprise."),
    "suspend": lambda: _("A reason is required to suspend an enterprise."),
}


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
            _("Only platform reviewers and officers may review enterprises."), code="not_reviewer"
        )


def _required_reason(reason: str, action: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(REASON_REQUIRED[action](), field="reason")
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
