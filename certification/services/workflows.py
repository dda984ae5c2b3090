"""The two state machines of certification (applications, certificates) and who may move them."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from agri_platform.accounts.choices import PartnerKind
from agri_platform.api.errors import Conflict, PermissionDenied
from agri_platform.api.tenancy import is_member, require_membership
from agri_platform.api.workflow import Transition, Workflow, moves, stays
from enterprises.services import require_verified

from ..choices import ApplicationAction, ApplicationStatus, CertificateStatus
from ..models import Application, Certificate
from ._common import require_staff

S = ApplicationStatus
A = ApplicationAction

# The enterprise may change scope and documents only while the application is in its hands.
EDITABLE_STATUSES = (S.DRAFT, S.CHANGES_REQUESTED)
EDIT_ACTION = "edit"

C = CertificateStatus
REVIEW_ROLES = ("reviewer", "officer")
ASSIGN_ROLES = ("officer",)


def _member_of_applicant(user, obj) -> None:
    require_membership(user, obj.enterprise_id)


def is_routed_body(user, application) -> bool:
    """Whether `user` (a person or an API key's service account) acts for the certification body
    the application's scheme is routed to."""
    body = application.scheme.certification_body
    return (
        body is not None
        and bool(getattr(user, "partner_id", None))
        and user.partner_id == body.pk
        and body.kind == PartnerKind.CERTIFICATION_BODY
    )


def require_reviewer(user, application) -> None:
    """Platform reviewers and officers review every application; a certification body reviews the
    applications routed to it."""
    if is_routed_body(user, application):
        return
    require_staff(user, REVIEW_ROLES)


def _reviewer_without_conflict(user, application) -> None:
    require_reviewer(user, application)
    _require_no_conflict(user, application)


def _officer_without_conflict(user, application) -> None:
    require_staff(user, ASSIGN_ROLES)
    _require_no_conflict(user, application)


def _certificate_staff(user, certificate) -> None:
    require_staff(user, REVIEW_ROLES)


APPLICATION_WORKFLOW = Workflow(
    {
        EDIT_ACTION: Transition(stays(*EDITABLE_STATUSES), who=_member_of_applicant),
        A.SUBMIT: Transition(
            moves([S.DRAFT, S.CHANGES_REQUESTED], S.SUBMITTED),
            who=_member_of_applicant,
            guard=lambda application: require_verified(application.enterprise),
        ),
        A.CLAIM: Transition({S.SUBMITTED: S.UNDER_REVIEW}, who=_reviewer_without_conflict),
        A.ASSIGN: Transition(
            moves([S.SUBMITTED, S.UNDER_REVIEW], S.UNDER_REVIEW), who=_officer_without_conflict
        ),
        A.REQUEST_CHANGES: Transition(
            {S.UNDER_REVIEW: S.CHANGES_REQUESTED}, who=lambda u, a: _require_decider(u, a)
        ),
        A.APPROVE: Transition(
            {S.UNDER_REVIEW: S.APPROVED}, who=lambda u, a: _require_decider(u, a)
        ),
        A.REJECT: Transition({S.UNDER_REVIEW: S.REJECTED}, who=lambda u, a: _require_decider(u, a)),
        A.WITHDRAW: Transition(
            moves([S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED], S.WITHDRAWN),
            who=_member_of_applicant,
        ),
    },
    write_scope="certification:write",
    action_labels={
        "edit": pgettext_lazy("action", "edit"),
        "submit": pgettext_lazy("action", "submit"),
        "claim": pgettext_lazy("action", "claim"),
        "assign": pgettext_lazy("action", "assign"),
        "request-changes": pgettext_lazy("action", "request changes"),
        "approve": pgettext_lazy("action", "approve"),
        "reject": pgettext_lazy("action", "reject"),
        "withdraw": pgettext_lazy("action", "withdraw"),
    },
)


CERTIFICATE_WORKFLOW = Workflow(
    {
        "suspend": Transition({C.ACTIVE: C.SUSPENDED}, who=_certificate_staff),
        "reinstate": Transition(
            {C.SUSPENDED: C.ACTIVE},
            who=_certificate_staff,
            guard=lambda certificate: _require_not_past_expiry(certificate),
        ),
        "revoke": Transition(moves([C.ACTIVE, C.SUSPENDED], C.REVOKED), who=_certificate_staff),
        "renew": Transition(
            stays(C.ACTIVE, C.SUSPENDED, C.EXPIRED),
            who=_member_of_applicant,
            guard=lambda certificate: _require_no_open_renewal(certificate),
        ),
    },
    write_scope="certification:write",
    action_labels={
        "suspend": pgettext_lazy("action", "suspend"),
        "reinstate": pgettext_lazy("action", "reinstate"),
        "revoke": pgettext_lazy("action", "revoke"),
        "renew": pgettext_lazy("action", "renew"),
    },
)


def _require_no_conflict(user, application: Application) -> None:
    if is_member(user, application.enterprise_id):
        raise PermissionDenied(
            _("You are a member of the applying enterprise and cannot review its application."),
            code="conflict_of_interest",
        )


def _require_decider(user, application: Application) -> None:
    """The assigned reviewer decides; officers (and platform admins) may step in. A certification
    body decides as an organisation: any of its people or keys, whoever of them claimed it."""
    require_reviewer(user, application)
    _require_no_conflict(user, application)
    if is_routed_body(user, application):
        return
    if application.reviewer_id != user.pk and not user.has_staff_role(*ASSIGN_ROLES):
        raise PermissionDenied(
            _("Only the assigned reviewer (or an officer) may decide this application."),
            code="not_assigned_reviewer",
        )


def _require_not_past_expiry(certificate: Certificate) -> None:
    if certificate.expiry_date < timezone.localdate():
        raise Conflict(
            _("The certificate has passed its expiry date and cannot be reinstated; renew it."),
            code="certificate_past_expiry",
            current_status=certificate.status,
        )


def _require_no_open_renewal(certificate: Certificate) -> None:
    """One open renewal at a time."""
    open_renewal = certificate.renewal_applications.filter(
        status__in=[S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED]
    ).first()
    if open_renewal is not None:
        raise Conflict(
            _("A renewal application (#%(id)s) is already open.") % {"id": open_renewal.pk},
            code="renewal_already_open",
            application_id=open_renewal.pk,
        )
