"""The staff side of an application: claim, assign, request changes, approve (issuing the
certificate), reject, internal notes."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agri_platform.api.errors import ValidationFailed
from agri_platform.api.tenancy import is_member

from ..models import Application, Certificate, TimelineEntry
from ._common import lock_application, record_application, timeline
from .certificates import certificate_record
from .pdfs import certificate_pdf_issue
from .workflows import APPLICATION_WORKFLOW, REVIEW_ROLES, A, require_reviewer


@transaction.atomic
def application_claim(*, actor, application: Application, note: str = "") -> Application:
    application = lock_application(application)
    from_status = application.status
    to_status = APPLICATION_WORKFLOW.check(A.CLAIM, actor=actor, obj=application)
    application.status = to_status
    application.reviewer = actor
    application.save(update_fields=["status", "reviewer", "updated_at"])
    timeline(application, action=A.CLAIM, actor=actor, from_status=from_status, to_status=to_status)
    if note:
        timeline(application, action=A.NOTE, actor=actor, comment=note, internal=True)
    record_application("claimed", application, actor, reviewer_id=actor.pk)
    return application


@transaction.atomic
def application_assign(*, actor, application: Application, reviewer, note: str = "") -> Application:
    application = lock_application(application)
    from_status = application.status
    to_status = APPLICATION_WORKFLOW.check(A.ASSIGN, actor=actor, obj=application)
    if not reviewer.has_staff_role(*REVIEW_ROLES):
        raise ValidationFailed(
            _("The assignee must be a reviewer or an officer."), field="reviewer"
        )
    if is_member(reviewer, application.enterprise_id):
        raise ValidationFailed(
            _("The assignee is a member of the applying enterprise."),
            field="reviewer",
            code="conflict_of_interest",
        )
    application.status = to_status
    application.reviewer = reviewer
    application.save(update_fields=["status", "reviewer", "updated_at"])
    timeline(
        application,
        action=A.ASSIGN,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        comment=_("Assigned to %(name)s") % {"name": reviewer.full_name or reviewer.email},
    )
    if note:
        timeline(application, action=A.NOTE, actor=actor, comment=note, internal=True)
    record_application(
        "assigned", application, actor, reviewer_id=reviewer.pk, assigned_by_id=actor.pk
    )
    return application


@transaction.atomic
def application_request_changes(
    *, actor, application: Application, comment: str, note: str = ""
) -> Application:
    application = lock_application(application)
    from_status = application.status
    to_status = APPLICATION_WORKFLOW.check(A.REQUEST_CHANGES, actor=actor, obj=application)
    if not comment.strip():
        raise ValidationFailed(_("Say what needs to change."), field="comment")
    application.status = to_status
    application.sla_due_at = None
    application.save(update_fields=["status", "sla_due_at", "updated_at"])
    timeline(
        application,
        action=A.REQUEST_CHANGES,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )
    if note:
        timeline(application, action=A.NOTE, actor=actor, comment=note, internal=True)
    record_application("changes_requested", application, actor, comment=comment)
    return application


@transaction.atomic
def application_approve(
    *,
    actor,
    application: Application,
    comment: str = "",
    note: str = "",
    issue_date: date | None = None,
) -> Certificate:
    """Approve and issue the certificate, in one transaction: two approvals racing each other lock
    the same row, and the second finds the application approved (409). `issue_date` defaults to
    today; an audit decided earlier may date the certificate back to the last submission."""
    application = lock_application(application)
    from_status = application.status
    to_status = APPLICATION_WORKFLOW.check(A.APPROVE, actor=actor, obj=application)
    now = timezone.now()
    issue_date = checked_issue_date(application, issue_date or timezone.localdate())
    application.status = to_status
    application.decided_at = now
    application.decided_by = actor
    application.decision_reason = comment
    application.sla_due_at = None
    application.save(
        update_fields=[
            "status",
            "decided_at",
            "decided_by",
            "decision_reason",
            "sla_due_at",
            "updated_at",
        ]
    )
    timeline(
        application,
        action=A.APPROVE,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )
    if note:
        timeline(application, action=A.NOTE, actor=actor, comment=note, internal=True)
    certificate = _issue_certificate(application=application, actor=actor, issue_date=issue_date)
    record_application(
        "approved",
        application,
        actor,
        certificate_id=certificate.pk,
        certificate_number=certificate.number,
    )
    return certificate


def checked_issue_date(application: Application, issue_date: date) -> date:
    if issue_date > timezone.localdate():
        raise ValidationFailed(_("The issue date cannot be in the future."), field="issue_date")
    submitted = application.last_submitted_at or application.submitted_at
    if submitted is not None and issue_date < timezone.localdate(submitted):
        raise ValidationFailed(
            _("The issue date cannot be before the application was last submitted (%(date)s).")
            % {"date": timezone.localdate(submitted).isoformat()},
            field="issue_date",
        )
    return issue_date


@transaction.atomic
def application_reject(
    *, actor, application: Application, reason: str, note: str = ""
) -> Application:
    application = lock_application(application)
    from_status = application.status
    to_status = APPLICATION_WORKFLOW.check(A.REJECT, actor=actor, obj=application)
    if not reason.strip():
        raise ValidationFailed(_("A rejection needs a reason."), field="reason")
    application.status = to_status
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.decision_reason = reason
    application.sla_due_at = None
    application.save(
        update_fields=[
            "status",
            "decided_at",
            "decided_by",
            "decision_reason",
            "sla_due_at",
            "updated_at",
        ]
    )
    timeline(
        application,
        action=A.REJECT,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        comment=reason,
    )
    if note:
        timeline(application, action=A.NOTE, actor=actor, comment=note, internal=True)
    record_application("rejected", application, actor, reason=reason)
    return application


@transaction.atomic
def application_add_note(*, actor, application: Application, comment: str) -> TimelineEntry:
    """An internal reviewer note: staff and the certification body see it in the timeline, the
    enterprise never does."""
    application = lock_application(application)
    require_reviewer(actor, application)
    if not comment.strip():
        raise ValidationFailed(_("The note is empty."), field="comment")
    return timeline(application, action=A.NOTE, actor=actor, comment=comment, internal=True)


def _issue_certificate(*, application: Application, actor, issue_date: date) -> Certificate:
    products = list(application.scope_products.all())
    bases = list(application.scope_bases.all())
    certificate = certificate_record(
        actor=actor,
        enterprise=application.enterprise,
        scheme=application.scheme,
        products=products,
        bases=bases,
        issue_date=issue_date,
        application=application,
    )
    certificate_pdf_issue(certificate)
    return certificate
