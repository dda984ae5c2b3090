"""Every state change of certification: applications, review, certificates, expiry.

Each service locks the row it changes (`select_for_update`), checks the transition against the
tables below, stamps who and when, writes a timeline/certificate event row and records the domain
event in the same transaction. The API views, the Django admin and the Celery tasks all call these.
"""

import calendar
import logging
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from agri_platform.api.documents import client_file_name, document_save
from agri_platform.api.errors import (
    Conflict,
    PermissionDenied,
    ValidationFailed,
)
from agri_platform.api.serializers import unknown_id
from agri_platform.api.tenancy import is_member, require_membership
from agri_platform.api.uploads import check_document
from agri_platform.api.workflow import Transition, Workflow, moves, stays
from agri_platform.events import services as events
from enterprises.models import Enterprise, Product, ProductionBase
from enterprises.services import require_verified

from .. import facts, numbers
from ..choices import (
    REMINDER_THRESHOLDS_DAYS,
    ApplicationAction,
    ApplicationStatus,
    CertificateAction,
    CertificateStatus,
)
from ..models import (
    Application,
    ApplicationDocument,
    Certificate,
    CertificateEvent,
    CertificateSequence,
    ExpiryReminder,
    Scheme,
    TimelineEntry,
)

logger = logging.getLogger(__name__)

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


def _reviewer_without_conflict(user, application) -> None:
    _require_staff(user, REVIEW_ROLES)
    _require_no_conflict(user, application)


def _officer_without_conflict(user, application) -> None:
    _require_staff(user, ASSIGN_ROLES)
    _require_no_conflict(user, application)


def _certificate_staff(user, certificate) -> None:
    _require_staff(user, REVIEW_ROLES)


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
)


# --- helpers ----------------------------------------------------------------------------------


def _require_staff(user, roles: tuple[str, ...]) -> None:
    if not user.has_staff_role(*roles):
        raise PermissionDenied(
            f"Only platform staff with role {' or '.join(roles)} may do this.",
            code="staff_role_required",
        )


def _require_no_conflict(user, application: Application) -> None:
    if is_member(user, application.enterprise_id):
        raise PermissionDenied(
            "You are a member of the applying enterprise and cannot review its application.",
            code="conflict_of_interest",
        )


def _require_decider(user, application: Application) -> None:
    """The assigned reviewer decides; officers (and platform admins) may step in."""
    _require_staff(user, REVIEW_ROLES)
    _require_no_conflict(user, application)
    if application.reviewer_id != user.pk and not user.has_staff_role(*ASSIGN_ROLES):
        raise PermissionDenied(
            "Only the assigned reviewer (or an officer) may decide this application.",
            code="not_assigned_reviewer",
        )


def _lock_application(application: Application | int) -> Application:
    pk = application.pk if isinstance(application, Application) else application
    return Application.objects.select_for_update().select_related("scheme", "enterprise").get(pk=pk)


def _timeline(
    application: Application,
    *,
    action: str,
    actor,
    from_status: str = "",
    to_status: str = "",
    comment: str = "",
    internal: bool = False,
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        application=application,
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        internal=internal,
    )


def _application_payload(application: Application, **extra) -> dict:
    return {
        "application_id": application.pk,
        "enterprise_id": application.enterprise_id,
        "scheme": application.scheme.code,
        "status": application.status,
        **extra,
    }


def _record_application(kind: str, application: Application, actor, **extra) -> None:
    events.record(
        f"certification.application.{kind}",
        payload=_application_payload(application, **extra),
        enterprise=application.enterprise,
        actor=actor,
        subject=application,
    )
    facts.queue_application_refresh(application.pk)


def _resolve_scope(
    *,
    enterprise: Enterprise,
    scheme: Scheme,
    product_ids: Iterable[int],
    base_ids: Iterable[int],
) -> tuple[list[Product], list[ProductionBase]]:
    """Products and bases of `enterprise`; an id that is not theirs reads as unknown (400), with the
    same message whether it belongs to someone else or to nobody."""
    product_ids = sorted(set(product_ids))
    base_ids = sorted(set(base_ids))
    products = list(Product.objects.filter(enterprise=enterprise, pk__in=product_ids))
    unknown = sorted(set(product_ids) - {p.pk for p in products})
    if unknown:
        raise unknown_id("scope_products", unknown[0])
    bases = list(ProductionBase.objects.filter(enterprise=enterprise, pk__in=base_ids))
    unknown = sorted(set(base_ids) - {b.pk for b in bases})
    if unknown:
        raise unknown_id("scope_bases", unknown[0])
    if scheme.product_categories:
        outside = [p.pk for p in products if p.category not in scheme.product_categories]
        if outside:
            raise ValidationFailed(
                f"Product(s) {outside} are outside the categories {scheme.code} applies to "
                f"({', '.join(scheme.product_categories)}).",
                field="scope_products",
            )
    return products, bases


# --- applications: enterprise side ------------------------------------------------------------


@transaction.atomic
def application_create(
    *,
    actor,
    enterprise: Enterprise,
    scheme: Scheme,
    product_ids: Iterable[int] = (),
    base_ids: Iterable[int] = (),
    scope_note: str = "",
    renewal_of: Certificate | None = None,
) -> Application:
    require_membership(actor, enterprise.pk)
    if not scheme.is_active:
        raise ValidationFailed(
            f"The scheme {scheme.code} is not open for applications.", field="scheme"
        )
    products, bases = _resolve_scope(
        enterprise=enterprise, scheme=scheme, product_ids=product_ids, base_ids=base_ids
    )
    application = Application.objects.create(
        enterprise=enterprise,
        scheme=scheme,
        scope_note=scope_note,
        created_by=actor,
        renewal_of=renewal_of,
    )
    application.scope_products.set(products)
    application.scope_bases.set(bases)
    comment = f"Renewal of certificate {renewal_of.number}" if renewal_of else ""
    _timeline(application, action=A.CREATE, actor=actor, to_status=S.DRAFT, comment=comment)
    facts.queue_application_refresh(application.pk)
    return application


@transaction.atomic
def application_update(
    *,
    actor,
    application: Application,
    product_ids: Iterable[int] | None = None,
    base_ids: Iterable[int] | None = None,
    scope_note: str | None = None,
) -> Application:
    application = _lock_application(application)
    APPLICATION_WORKFLOW.check(EDIT_ACTION, actor=actor, obj=application)
    products, bases = _resolve_scope(
        enterprise=application.enterprise,
        scheme=application.scheme,
        product_ids=product_ids
        if product_ids is not None
        else application.scope_products.values_list("pk", flat=True),
        base_ids=base_ids
        if base_ids is not None
        else application.scope_bases.values_list("pk", flat=True),
    )
    if product_ids is not None:
        application.scope_products.set(products)
    if base_ids is not None:
        application.scope_bases.set(bases)
    if scope_note is not None:
        application.scope_note = scope_note
    application.save(update_fields=["scope_note", "updated_at"])
    return application


def document_add(*, actor, application: Application, kind: str, upload) -> ApplicationDocument:
    checked = check_document(upload)  # 413/415 before any lock or write
    with transaction.atomic():
        application = _lock_application(application)
        APPLICATION_WORKFLOW.check(EDIT_ACTION, actor=actor, obj=application)
        document = ApplicationDocument(
            application=application, kind=kind, original_name=client_file_name(upload)
        )
        return document_save(document, upload=upload, actor=actor, checked=checked)


@transaction.atomic
def document_remove(*, actor, document: ApplicationDocument) -> None:
    application = _lock_application(document.application_id)
    APPLICATION_WORKFLOW.check(EDIT_ACTION, actor=actor, obj=application)
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name), robust=True)


@transaction.atomic
def application_submit(*, actor, application: Application) -> Application:
    application = _lock_application(application)
    from_status = application.status
    to_status = APPLICATION_WORKFLOW.check(A.SUBMIT, actor=actor, obj=application)
    present = set(application.documents.values_list("kind", flat=True))
    missing = [kind for kind in application.scheme.required_documents if kind not in present]
    if missing:
        raise ValidationFailed(
            f"Documents required by {application.scheme.code} are missing: {', '.join(missing)}.",
            field="documents",
            code="documents_missing",
            missing_documents=missing,
        )
    if not application.scope_products.exists() and not application.scope_bases.exists():
        raise ValidationFailed(
            "Name at least one product or production base in the scope.", field="scope_products"
        )
    now = timezone.now()
    resubmission = from_status == S.CHANGES_REQUESTED
    application.status = to_status
    application.submitted_at = application.submitted_at or now
    application.last_submitted_at = now
    application.sla_due_at = now + timedelta(days=application.scheme.review_sla_days)
    application.save(
        update_fields=["status", "submitted_at", "last_submitted_at", "sla_due_at", "updated_at"]
    )
    _timeline(
        application,
        action=A.RESUBMIT if resubmission else A.SUBMIT,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
    )
    _record_application(
        "resubmitted" if resubmission else "submitted",
        application,
        actor,
        sla_due_at=application.sla_due_at.isoformat(),
    )
    return application


@transaction.atomic
def application_withdraw(*, actor, application: Application, comment: str = "") -> Application:
    application = _lock_application(application)
    from_status = application.status
    APPLICATION_WORKFLOW.apply(A.WITHDRAW, actor=actor, obj=application)
    application.save(update_fields=["status", "updated_at"])
    _timeline(
        application,
        action=A.WITHDRAW,
        actor=actor,
        from_status=from_status,
        to_status=application.status,
        comment=comment,
    )
    _record_application("withdrawn", application, actor)
    return application


# --- applications: staff side -----------------------------------------------------------------


@transaction.atomic
def application_claim(*, actor, application: Application, note: str = "") -> Application:
    application = _lock_application(application)
    from_status = application.status
    to_status = APPLICATION_WORKFLOW.check(A.CLAIM, actor=actor, obj=application)
    application.status = to_status
    application.reviewer = actor
    application.save(update_fields=["status", "reviewer", "updated_at"])
    _timeline(
        application, action=A.CLAIM, actor=actor, from_status=from_status, to_status=to_status
    )
    if note:
        _timeline(application, action=A.NOTE, actor=actor, comment=note, internal=True)
    _record_application("claimed", application, actor, reviewer_id=actor.pk)
    return application


@transaction.atomic
def application_assign(*, actor, application: Application, reviewer, note: str = "") -> Application:
    application = _lock_application(application)
    from_status = application.status
    to_status = APPLICATION_WORKFLOW.check(A.ASSIGN, actor=actor, obj=application)
    if not reviewer.has_staff_role(*REVIEW_ROLES):
        raise ValidationFailed("The assignee must be a reviewer or an officer.", field="reviewer")
    if is_member(reviewer, application.enterprise_id):
        raise ValidationFailed(
            "The assignee is a member of the applying enterprise.",
            field="reviewer",
            code="conflict_of_interest",
        )
    application.status = to_status
    application.reviewer = reviewer
    application.save(update_fields=["status", "reviewer", "updated_at"])
    _timeline(
        application,
        action=A.ASSIGN,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        comment=f"Assigned to {reviewer.full_name or reviewer.email}",
    )
    if note:
        _timeline(application, action=A.NOTE, actor=actor, comment=note, internal=True)
    _record_application(
        "assigned", application, actor, reviewer_id=reviewer.pk, assigned_by_id=actor.pk
    )
    return application


@transaction.atomic
def application_request_changes(
    *, actor, application: Application, comment: str, note: str = ""
) -> Application:
    application = _lock_application(application)
    from_status = application.status
    to_status = APPLICATION_WORKFLOW.check(A.REQUEST_CHANGES, actor=actor, obj=application)
    if not comment.strip():
        raise ValidationFailed("Say what needs to change.", field="comment")
    application.status = to_status
    application.sla_due_at = None
    application.save(update_fields=["status", "sla_due_at", "updated_at"])
    _timeline(
        application,
        action=A.REQUEST_CHANGES,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )
    if note:
        _timeline(application, action=A.NOTE, actor=actor, comment=note, internal=True)
    _record_application("changes_requested", application, actor, comment=comment)
    return application


@transaction.atomic
def application_approve(
    *, actor, application: Application, comment: str = "", note: str = ""
) -> Certificate:
    """Approve and issue the certificate, in one transaction: two approvals racing each other lock
    the same row, and the second finds the application approved (409)."""
    application = _lock_application(application)
    from_status = application.status
    to_status = APPLICATION_WORKFLOW.check(A.APPROVE, actor=actor, obj=application)
    now = timezone.now()
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
    _timeline(
        application,
        action=A.APPROVE,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )
    if note:
        _timeline(application, action=A.NOTE, actor=actor, comment=note, internal=True)
    certificate = _issue_certificate(application=application, actor=actor, issue_date=now.date())
    _record_application(
        "approved",
        application,
        actor,
        certificate_id=certificate.pk,
        certificate_number=certificate.number,
    )
    return certificate


@transaction.atomic
def application_reject(
    *, actor, application: Application, reason: str, note: str = ""
) -> Application:
    application = _lock_application(application)
    from_status = application.status
    to_status = APPLICATION_WORKFLOW.check(A.REJECT, actor=actor, obj=application)
    if not reason.strip():
        raise ValidationFailed("A rejection needs a reason.", field="reason")
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
    _timeline(
        application,
        action=A.REJECT,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        comment=reason,
    )
    if note:
        _timeline(application, action=A.NOTE, actor=actor, comment=note, internal=True)
    _record_application("rejected", application, actor, reason=reason)
    return application


@transaction.atomic
def application_add_note(*, actor, application: Application, comment: str) -> TimelineEntry:
    """An internal reviewer note: staff see it in the timeline, the enterprise never does."""
    application = _lock_application(application)
    _require_staff(actor, REVIEW_ROLES)
    if not comment.strip():
        raise ValidationFailed("The note is empty.", field="comment")
    return _timeline(application, action=A.NOTE, actor=actor, comment=comment, internal=True)


# --- certificates -----------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def expiry_for(scheme: Scheme, issue_date: date) -> date:
    """Last day of validity: issue date + the scheme's validity, minus one day."""
    if scheme.validity_months:
        return add_months(issue_date, scheme.validity_months) - timedelta(days=1)
    return issue_date + timedelta(days=scheme.validity_days - 1)


def next_certificate_number(*, scheme: Scheme, year: int) -> str:
    """Draw the next number of `scheme` in `year`. Must run inside a transaction: the sequence row
    stays locked until it commits, so concurrent issues get distinct consecutive numbers."""
    CertificateSequence.objects.bulk_create(
        [CertificateSequence(scheme=scheme, year=year)], ignore_conflicts=True
    )
    sequence = CertificateSequence.objects.select_for_update().get(scheme=scheme, year=year)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return numbers.format_number(scheme.certificate_prefix, year, sequence.last_value)


def scope_summary(products: Iterable[Product], bases: Iterable[ProductionBase]) -> str:
    parts = []
    products = list(products)
    bases = list(bases)
    if products:
        parts.append(
            "Products: "
            + "; ".join(f"{p.name_en or p.name_zh} (HS {p.hs_code_id})" for p in products)
        )
    if bases:
        parts.append("Sites: " + "; ".join(f"{b.name} ({b.get_kind_display()})" for b in bases))
    return ". ".join(parts) or "Whole enterprise"


def _record_certificate(kind: str, certificate: Certificate, actor, **extra) -> None:
    events.record(
        f"certificate.{kind}",
        payload={
            "certificate_id": certificate.pk,
            "number": certificate.number,
            "enterprise_id": certificate.enterprise_id,
            "scheme": certificate.scheme.code,
            "status": certificate.status,
            "issue_date": certificate.issue_date.isoformat(),
            "expiry_date": certificate.expiry_date.isoformat(),
            **extra,
        },
        enterprise=certificate.enterprise,
        actor=actor,
        subject=certificate,
    )
    facts.queue_certificate_refresh(certificate.pk)


def _issue_certificate(*, application: Application, actor, issue_date: date) -> Certificate:
    products = list(application.scope_products.all())
    bases = list(application.scope_bases.all())
    return certificate_record(
        actor=actor,
        enterprise=application.enterprise,
        scheme=application.scheme,
        products=products,
        bases=bases,
        issue_date=issue_date,
        application=application,
    )


@transaction.atomic
def certificate_record(
    *,
    actor,
    enterprise: Enterprise,
    scheme: Scheme,
    products: Iterable[Product] = (),
    bases: Iterable[ProductionBase] = (),
    issue_date: date,
    application: Application | None = None,
    expiry_date: date | None = None,
) -> Certificate:
    """Issue a certificate (from an approval, or staff recording one issued elsewhere)."""
    products, bases = list(products), list(bases)
    certificate = Certificate.objects.create(
        number=next_certificate_number(scheme=scheme, year=issue_date.year),
        application=application,
        enterprise=enterprise,
        scheme=scheme,
        scope_summary=scope_summary(products, bases),
        issue_date=issue_date,
        expiry_date=expiry_date or expiry_for(scheme, issue_date),
        issued_by=actor if actor is not None and actor.is_authenticated else None,
        status_changed_at=timezone.now(),
    )
    certificate.scope_products.set(products)
    certificate.scope_bases.set(bases)
    CertificateEvent.objects.create(
        certificate=certificate,
        action=CertificateAction.ISSUE,
        actor=certificate.issued_by,
        to_status=certificate.status,
    )
    _record_certificate("issued", certificate, actor, application_id=application and application.pk)
    return certificate


def _lock_certificate(certificate: Certificate | int) -> Certificate:
    pk = certificate.pk if isinstance(certificate, Certificate) else certificate
    return Certificate.objects.select_for_update().select_related("scheme", "enterprise").get(pk=pk)


def _require_not_past_expiry(certificate: Certificate) -> None:
    if certificate.expiry_date < timezone.localdate():
        raise Conflict(
            "The certificate has passed its expiry date and cannot be reinstated; renew it.",
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
            f"A renewal application (#{open_renewal.pk}) is already open.",
            code="renewal_already_open",
            application_id=open_renewal.pk,
        )


def _certificate_transition(
    *, actor, certificate: Certificate, action: str, reason: str, kind: str
) -> Certificate:
    certificate = _lock_certificate(certificate)
    from_status = certificate.status
    to_status = CERTIFICATE_WORKFLOW.check(action, actor=actor, obj=certificate)
    if not reason.strip():
        raise ValidationFailed("Give a reason.", field="reason")
    certificate.status = to_status
    certificate.status_reason = reason
    certificate.status_changed_at = timezone.now()
    certificate.status_changed_by = actor
    certificate.save(
        update_fields=["status", "status_reason", "status_changed_at", "status_changed_by"]
    )
    CertificateEvent.objects.create(
        certificate=certificate,
        action=action,
        actor=actor,
        from_status=from_status,
        to_status=certificate.status,
        reason=reason,
    )
    _record_certificate(kind, certificate, actor, reason=reason)
    return certificate


@transaction.atomic
def certificate_suspend(*, actor, certificate: Certificate, reason: str) -> Certificate:
    return _certificate_transition(
        actor=actor, certificate=certificate, action="suspend", reason=reason, kind="suspended"
    )


@transaction.atomic
def certificate_reinstate(*, actor, certificate: Certificate, reason: str) -> Certificate:
    return _certificate_transition(
        actor=actor, certificate=certificate, action="reinstate", reason=reason, kind="reinstated"
    )


@transaction.atomic
def certificate_revoke(*, actor, certificate: Certificate, reason: str) -> Certificate:
    return _certificate_transition(
        actor=actor, certificate=certificate, action="revoke", reason=reason, kind="revoked"
    )


@transaction.atomic
def certificate_renew(*, actor, certificate: Certificate) -> Application:
    """Start the renewal: a draft application for the same scheme and scope, linked to the old
    certificate. One open renewal at a time."""
    certificate = _lock_certificate(certificate)
    CERTIFICATE_WORKFLOW.check("renew", actor=actor, obj=certificate)
    application = application_create(
        actor=actor,
        enterprise=certificate.enterprise,
        scheme=certificate.scheme,
        product_ids=certificate.scope_products.values_list("pk", flat=True),
        base_ids=certificate.scope_bases.values_list("pk", flat=True),
        scope_note=f"Renewal of {certificate.number}",
        renewal_of=certificate,
    )
    CertificateEvent.objects.create(
        certificate=certificate,
        action=CertificateAction.RENEWAL_STARTED,
        actor=actor,
        from_status=certificate.status,
        to_status=certificate.status,
        reason=f"Renewal application #{application.pk}",
    )
    return application


# --- expiry -----------------------------------------------------------------------------------


def certificates_expire(*, today: date) -> int:
    """Mark certificates past their last valid day as expired; one `certificate.expired` each.
    Safe to run twice: the status guard under the row lock says what is left to do."""
    candidates = list(
        Certificate.objects.filter(
            status__in=[C.ACTIVE, C.SUSPENDED], expiry_date__lt=today
        ).values_list("pk", flat=True)
    )
    done = 0
    for pk in candidates:
        with transaction.atomic():
            certificate = (
                Certificate.objects.select_for_update()
                .select_related("scheme", "enterprise")
                .filter(pk=pk, status__in=[C.ACTIVE, C.SUSPENDED], expiry_date__lt=today)
                .first()
            )
            if certificate is None:
                continue
            from_status = certificate.status
            certificate.status = C.EXPIRED
            certificate.status_reason = ""
            certificate.status_changed_at = timezone.now()
            certificate.status_changed_by = None
            certificate.save(
                update_fields=["status", "status_reason", "status_changed_at", "status_changed_by"]
            )
            CertificateEvent.objects.create(
                certificate=certificate,
                action=CertificateAction.EXPIRE,
                from_status=from_status,
                to_status=C.EXPIRED,
            )
            _record_certificate("expired", certificate, None)
            done += 1
    return done


def reminder_threshold(days_left: int) -> int | None:
    """The reminder bucket a certificate with `days_left` falls in: 90, 30 or 7 (None if further
    away or already past). A certificate issued with 20 days left gets the 30-day one only."""
    if days_left < 0:
        return None
    fitting = [t for t in REMINDER_THRESHOLDS_DAYS if days_left <= t]
    return min(fitting) if fitting else None


def expiry_reminders_send(*, today: date) -> int:
    """Send `certificate.expiring`: one event per enterprise per day listing its certificates that
    reached a new threshold. Returns the number of reminders (certificates) sent.

    Exactly once per certificate and threshold: the enterprise row is locked while its reminders are
    decided (a concurrent run waits, then finds them sent), and the unique (certificate, threshold)
    row is the final guard. An enterprise that already got its digest today gets new ones tomorrow.
    """
    horizon = today + timedelta(days=max(REMINDER_THRESHOLDS_DAYS))
    enterprise_ids = sorted(
        set(
            Certificate.objects.filter(
                status=C.ACTIVE, expiry_date__gte=today, expiry_date__lte=horizon
            ).values_list("enterprise_id", flat=True)
        )
    )
    sent = 0
    for enterprise_id in enterprise_ids:
        try:
            sent += _send_enterprise_reminders(enterprise_id=enterprise_id, today=today)
        except IntegrityError:  # a concurrent run won the race: its reminders stand, ours roll back
            logger.info("expiry reminders for enterprise %s already sent", enterprise_id)
    return sent


@transaction.atomic
def _send_enterprise_reminders(*, enterprise_id: int, today: date) -> int:
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise_id)
    if ExpiryReminder.objects.filter(
        certificate__enterprise_id=enterprise_id, sent_on=today
    ).exists():
        return 0
    horizon = today + timedelta(days=max(REMINDER_THRESHOLDS_DAYS))
    certificates = list(
        Certificate.objects.filter(
            enterprise_id=enterprise_id,
            status=C.ACTIVE,
            expiry_date__gte=today,
            expiry_date__lte=horizon,
        )
        .select_related("scheme")
        .order_by("expiry_date", "pk")
    )
    sent_before: dict[int, set[int]] = {}
    for certificate_id, threshold in ExpiryReminder.objects.filter(
        certificate__in=certificates
    ).values_list("certificate_id", "threshold_days"):
        sent_before.setdefault(certificate_id, set()).add(threshold)
    due = []
    for certificate in certificates:
        days_left = (certificate.expiry_date - today).days
        threshold = reminder_threshold(days_left)
        already = sent_before.get(certificate.pk, set())
        # once a closer reminder went out, a farther one is never sent again
        if threshold is None or any(t <= threshold for t in already):
            continue
        due.append((certificate, threshold, days_left))
    if not due:
        return 0
    event = events.record(
        "certificate.expiring",
        payload={
            "enterprise_id": enterprise_id,
            "date": today.isoformat(),
            "certificates": [
                {
                    "certificate_id": certificate.pk,
                    "number": certificate.number,
                    "scheme": certificate.scheme.code,
                    "expiry_date": certificate.expiry_date.isoformat(),
                    "days_left": days_left,
                    "threshold_days": threshold,
                }
                for certificate, threshold, days_left in due
            ],
        },
        enterprise=enterprise,
    )
    ExpiryReminder.objects.bulk_create(
        [
            ExpiryReminder(
                certificate=certificate, threshold_days=threshold, sent_on=today, event=event
            )
            for certificate, threshold, _ in due
        ]
    )
    return len(due)
