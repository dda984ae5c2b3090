"""Every state change of legal services: cases, assignment, the case thread, reminders.

Each function locks the case (`select_for_update`), checks the transition table and the actor,
stamps who and when and records the domain event in the same transaction.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from agri_platform.accounts.choices import PartnerKind
from agri_platform.accounts.models import Partner
from agri_platform.api.documents import client_file_name, document_save
from agri_platform.api.errors import PermissionDenied, ValidationFailed, check_length
from agri_platform.api.tenancy import is_member, require_membership
from agri_platform.api.workflow import Transition, Workflow, moves, stays
from agri_platform.events import services as events
from enterprises.services import require_verified

from .choices import DesignationStatus, LegalKind, LegalStatus, MessageSide
from .models import DeadlineReminder, LegalAttachment, LegalMessage, LegalRequest, MadridDesignation

S = LegalStatus
OPEN = {S.SUBMITTED, S.ASSIGNED, S.IN_PROGRESS, S.AWAITING_CLIENT}
REMINDER_THRESHOLDS_DAYS = (7, 3, 1)
MAX_NICE_CLASS = 45
# What a person may write (the API's input serializers declare the same limits).
MAX_TITLE_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 10_000
MAX_MESSAGE_LENGTH = 20_000
MAX_ATTACHMENTS = 10
MAX_REASON_LENGTH = 4_000


def _lock(case: LegalRequest) -> LegalRequest:
    return (
        LegalRequest.objects.select_for_update(of=("self",))
        .select_related("enterprise", "assigned_firm")
        .get(pk=case.pk)
    )


def _require_firm(actor, case: LegalRequest) -> None:
    if actor is None or not actor.partner_id or actor.partner_id != case.assigned_firm_id:
        raise PermissionDenied(_("Only the law firm assigned to the case may do this."))


def _require_officer(actor) -> None:
    if actor is None or not actor.has_staff_role("officer"):
        raise PermissionDenied(_("Only platform officers may assign a law firm."))


def _require_member(actor, case: LegalRequest) -> None:
    require_membership(actor, case.enterprise_id)


def _require_member_or_officer(actor, case: LegalRequest) -> None:
    if not (is_member(actor, case.enterprise_id) or actor.has_staff_role("officer")):
        raise PermissionDenied(_("Only the enterprise or a platform officer may close the case."))


def _require_member_or_firm(actor, case: LegalRequest) -> None:
    if not is_member(actor, case.enterprise_id):
        _require_firm(actor, case)


def _require_thread_author(actor, case: LegalRequest) -> None:
    firm = actor is not None and actor.partner_id and actor.partner_id == case.assigned_firm_id
    if not (firm or is_member(actor, case.enterprise_id)):
        raise PermissionDenied(
            _("Only the enterprise and the assigned law firm write in the case thread.")
        )


# In the order of `allowed_actions`.
REQUEST_WORKFLOW = Workflow(
    {
        "add_document": Transition(stays(*OPEN, S.RESOLVED), who=_require_member_or_firm),
        "assign": Transition(
            moves([S.SUBMITTED, S.ASSIGNED], S.ASSIGNED),
            who=lambda actor, case: _require_officer(actor),
        ),
        "await_client": Transition({S.IN_PROGRESS: S.AWAITING_CLIENT}, who=_require_firm),
        "close": Transition({S.RESOLVED: S.CLOSED}, who=_require_member_or_officer),
        "message": Transition(stays(*OPEN, S.RESOLVED), who=_require_thread_author),
        "resolve": Transition(
            moves([S.IN_PROGRESS, S.AWAITING_CLIENT], S.RESOLVED), who=_require_firm
        ),
        "start": Transition(
            moves([S.ASSIGNED, S.AWAITING_CLIENT], S.IN_PROGRESS), who=_require_firm
        ),
        "update_designation": Transition(
            stays(S.ASSIGNED, S.IN_PROGRESS, S.AWAITING_CLIENT, S.RESOLVED), who=_require_firm
        ),
        "withdraw": Transition(moves(OPEN, S.WITHDRAWN), who=_require_member),
    },
    write_scope="legal:write",
    action_labels={
        "add_document": pgettext_lazy("action", "add a document"),
        "assign": pgettext_lazy("action", "assign a law firm"),
        "await_client": pgettext_lazy("action", "wait for the client"),
        "close": pgettext_lazy("legal action", "close"),
        "message": pgettext_lazy("action", "send a message"),
        "resolve": pgettext_lazy("action", "resolve"),
        "start": pgettext_lazy("action", "start work"),
        "update_designation": pgettext_lazy("action", "update a designation"),
        "withdraw": pgettext_lazy("action", "withdraw"),
    },
)


def _payload(case: LegalRequest, **extra) -> dict:
    return {
        "request_id": case.pk,
        "kind": case.kind,
        "status": case.status,
        "title": case.title,
        "deadline": case.deadline.isoformat() if case.deadline else None,
        "assigned_firm_id": case.assigned_firm_id,
        **extra,
    }


def _record(kind: str, case: LegalRequest, *, actor=None, partners=None, **extra) -> None:
    if partners is None:
        partners = [case.assigned_firm] if case.assigned_firm_id else []
    events.record(
        kind,
        payload=_payload(case, **extra),
        enterprise=case.enterprise,
        actor=actor,
        subject=case,
        partners=partners,
    )


def _clean_designations(kind: str, designations: list[dict]) -> list[dict]:
    if kind != LegalKind.TRADEMARK_REGISTRATION:
        if designations:
            raise ValidationFailed(
                _("Madrid designations belong to trademark registration requests only."),
                field="designations",
            )
        return []
    if not designations:
        raise ValidationFailed(
            _("Designate at least one country for a Madrid trademark registration."),
            field="designations",
        )
    seen = set()
    for item in designations:
        country = item["country"]
        if country.pk in seen:
            raise ValidationFailed(
                _("%(country)s is designated twice.") % {"country": country.pk},
                field="designations",
                code="duplicate",
            )
        seen.add(country.pk)
        classes = item.get("nice_classes") or []
        if any(not 1 <= c <= MAX_NICE_CLASS for c in classes):
            raise ValidationFailed(
                _("Nice classes run from 1 to %(max)d.") % {"max": MAX_NICE_CLASS},
                field="designations",
            )
    return designations


@transaction.atomic
def request_create(
    *,
    actor,
    enterprise,
    kind: str,
    title: str,
    description: str,
    countries=(),
    designations: list[dict] | None = None,
    trademark: str = "",
    deadline: date | None = None,
) -> LegalRequest:
    """File a case (status submitted). For trademark registration, `designations` lists
    {"country": Country, "nice_classes": [int]}; their countries join `countries`."""
    require_membership(actor, enterprise.pk)
    require_verified(enterprise)
    if kind not in LegalKind.values:
        raise ValidationFailed(
            _("Unknown legal request kind “%(kind)s”.") % {"kind": kind}, field="kind"
        )
    designations = _clean_designations(kind, list(designations or []))
    check_length(title, MAX_TITLE_LENGTH, field="title")
    check_length(description, MAX_DESCRIPTION_LENGTH, field="description")
    if kind == LegalKind.TRADEMARK_REGISTRATION and not trademark.strip():
        raise ValidationFailed(_("Name the mark to register."), field="trademark")
    if deadline is not None and deadline < timezone.localdate():
        raise ValidationFailed(_("The deadline is in the past."), field="deadline")
    case = LegalRequest.objects.create(
        enterprise=enterprise,
        kind=kind,
        title=title,
        description=description,
        trademark=trademark,
        deadline=deadline,
        created_by=actor,
    )
    all_countries = {c.pk: c for c in countries}
    for item in designations:
        all_countries.setdefault(item["country"].pk, item["country"])
        MadridDesignation.objects.create(
            request=case,
            country=item["country"],
            nice_classes=sorted(set(item.get("nice_classes") or [])),
        )
    case.countries.set(all_countries.values())
    _record(
        "legal.request.submitted",
        case,
        actor=actor,
        partners=[],
        countries=sorted(all_countries),
    )
    return case


@transaction.atomic
def request_assign(*, actor, case: LegalRequest, firm: Partner) -> LegalRequest:
    """An officer assigns (or reassigns) a partner law firm."""
    case = _lock(case)
    to_status = REQUEST_WORKFLOW.check("assign", actor=actor, obj=case)
    if firm.kind != PartnerKind.LAW_FIRM or not firm.is_active:
        raise ValidationFailed(
            _("%(firm)s is not an active law firm.") % {"firm": firm.name},
            field="firm",
            code="wrong_partner_kind",
        )
    previous = case.assigned_firm
    if previous is not None and previous.pk == firm.pk:
        raise ValidationFailed(_("The case is already assigned to this firm."), field="firm")
    case.assigned_firm = firm
    case.assigned_at = timezone.now()
    case.assigned_by = actor
    case.status = to_status
    case.save(update_fields=["assigned_firm", "assigned_at", "assigned_by", "status", "updated_at"])
    if previous is not None:
        _record("legal.request.unassigned", case, actor=actor, partners=[previous])
    _record("legal.request.assigned", case, actor=actor)
    return case


@transaction.atomic
def request_start(*, actor, case: LegalRequest) -> LegalRequest:
    case = _lock(case)
    REQUEST_WORKFLOW.apply("start", actor=actor, obj=case)
    fields = ["status", "updated_at"]
    if case.started_at is None:
        case.started_at = timezone.now()
        fields.append("started_at")
    case.save(update_fields=fields)
    _record("legal.request.started", case, actor=actor)
    return case


@transaction.atomic
def request_await_client(*, actor, case: LegalRequest, reason: str) -> LegalRequest:
    """The firm needs something from the enterprise (documents, a decision)."""
    case = _lock(case)
    to_status = REQUEST_WORKFLOW.check("await_client", actor=actor, obj=case)
    if not reason.strip():
        raise ValidationFailed(_("Say what the firm needs from the client."), field="reason")
    case.status = to_status
    case.status_reason = reason
    case.save(update_fields=["status", "status_reason", "updated_at"])
    _record("legal.request.awaiting_client", case, actor=actor, reason=reason)
    return case


@transaction.atomic
def request_resolve(*, actor, case: LegalRequest, resolution: str) -> LegalRequest:
    case = _lock(case)
    to_status = REQUEST_WORKFLOW.check("resolve", actor=actor, obj=case)
    if not resolution.strip():
        raise ValidationFailed(_("Say how the case was resolved."), field="resolution")
    case.status = to_status
    case.resolution = resolution
    case.resolved_at = timezone.now()
    case.save(update_fields=["status", "resolution", "resolved_at", "updated_at"])
    _record("legal.request.resolved", case, actor=actor)
    return case


@transaction.atomic
def request_close(*, actor, case: LegalRequest) -> LegalRequest:
    """The enterprise (or an officer) closes a resolved case; the thread is then read-only."""
    case = _lock(case)
    REQUEST_WORKFLOW.apply("close", actor=actor, obj=case)
    case.closed_at = timezone.now()
    case.closed_by = actor
    case.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    _record("legal.request.closed", case, actor=actor)
    return case


@transaction.atomic
def request_withdraw(*, actor, case: LegalRequest, reason: str = "") -> LegalRequest:
    case = _lock(case)
    REQUEST_WORKFLOW.apply("withdraw", actor=actor, obj=case)
    check_length(reason, MAX_REASON_LENGTH, field="reason")
    case.status_reason = reason
    case.closed_at = timezone.now()
    case.closed_by = actor
    case.save(update_fields=["status", "status_reason", "closed_at", "closed_by", "updated_at"])
    _record("legal.request.withdrawn", case, actor=actor, reason=reason)
    return case


@transaction.atomic
def designation_update(
    *, actor, case: LegalRequest, country_code: str, status: str, note: str = ""
) -> MadridDesignation:
    """The firm reports progress of one Madrid designation (filed, registered, refused)."""
    case = _lock(case)
    REQUEST_WORKFLOW.check("update_designation", actor=actor, obj=case)
    if status not in DesignationStatus.values:
        raise ValidationFailed(
            _("Unknown designation status “%(status)s”.") % {"status": status}, field="status"
        )
    designation = (
        MadridDesignation.objects.select_for_update(of=("self",))
        .filter(request=case, country_id=country_code.upper())
        .first()
    )
    if designation is None:
        raise ValidationFailed(
            _("%(country)s is not designated on this request.") % {"country": country_code.upper()},
            field="country",
        )
    designation.status = status
    designation.note = note
    designation.save(update_fields=["status", "note", "updated_at"])
    _record(
        "legal.request.designation_updated",
        case,
        actor=actor,
        country=designation.country_id,
        designation_status=status,
    )
    return designation


def _save_upload(*, case, upload, actor, message=None, title="", field="file") -> LegalAttachment:
    attachment = LegalAttachment(
        request=case, message=message, title=title or client_file_name(upload)
    )
    return document_save(attachment, upload=upload, actor=actor, field=field)


@transaction.atomic
def document_add(*, actor, case: LegalRequest, upload, title: str = "") -> LegalAttachment:
    case = _lock(case)
    REQUEST_WORKFLOW.check("add_document", actor=actor, obj=case)
    attachment = _save_upload(case=case, upload=upload, actor=actor, title=title)
    _record("legal.request.document_added", case, actor=actor, document_id=attachment.pk)
    return attachment


@transaction.atomic
def message_post(
    *, actor, case: LegalRequest, body: str, is_internal: bool = False, attachments=()
) -> LegalMessage:
    """A message in the case thread between the enterprise and the assigned firm. The firm may
    mark it internal: a note the enterprise never sees (and no event is sent for it)."""
    case = _lock(case)
    REQUEST_WORKFLOW.check("message", actor=actor, obj=case)
    if is_member(actor, case.enterprise_id):
        side, partner = MessageSide.ENTERPRISE, None
        if is_internal:
            raise ValidationFailed(
                _("Only the law firm can keep internal notes."), field="is_internal"
            )
    else:  # `_require_thread_author` let only the assigned firm through
        side, partner = MessageSide.LAW_FIRM, case.assigned_firm
    if not body.strip():
        raise ValidationFailed(_("The message is empty."), field="body")
    check_length(body, MAX_MESSAGE_LENGTH, field="body")
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationFailed(
            _("Attach at most %(count)d files to one message.") % {"count": MAX_ATTACHMENTS},
            field="attachments",
        )
    message = LegalMessage.objects.create(
        request=case,
        author=actor,
        author_side=side,
        author_partner=partner,
        body=body,
        is_internal=is_internal,
    )
    for upload in attachments:
        _save_upload(case=case, upload=upload, actor=actor, message=message, field="attachments")
    if not is_internal:
        _record(
            "legal.message.posted",
            case,
            actor=actor,
            message_id=message.pk,
            author_side=side,
            attachments=len(attachments),
        )
    return message


def deadline_reminders_send(*, today: date | None = None) -> int:
    """Remind the enterprise and the firm as a deadline comes near: once per case per threshold
    (7, 3, 1 days). When several thresholds are already due (a late filing), one reminder goes out
    for the nearest and the others are marked as passed. Returns how many reminders were sent."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=max(REMINDER_THRESHOLDS_DAYS))
    candidates = LegalRequest.objects.filter(
        status__in=OPEN, deadline__gte=today, deadline__lte=horizon
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(candidates):
        with transaction.atomic():
            case = (
                LegalRequest.objects.select_for_update(of=("self",))
                .select_related("enterprise", "assigned_firm")
                .filter(pk=pk, status__in=OPEN, deadline__isnull=False)
                .first()
            )
            if case is None:
                continue
            days_left = (case.deadline - today).days
            due = {t for t in REMINDER_THRESHOLDS_DAYS if days_left <= t}
            done = set(
                case.deadline_reminders.filter(deadline=case.deadline).values_list(
                    "threshold_days", flat=True
                )
            )
            new = due - done
            if not new:
                continue
            DeadlineReminder.objects.bulk_create(
                [
                    DeadlineReminder(request=case, threshold_days=t, deadline=case.deadline)
                    for t in new
                ]
            )
            _record(
                "legal.request.deadline_reminder",
                case,
                days_left=days_left,
                threshold_days=min(new),
            )
            sent += 1
    return sent
